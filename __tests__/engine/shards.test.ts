// A selection split over the jobs of a matrix: each job pulls its part, and delivers it so that the
// parts add up, committed to one branch at once or uploaded as an artifact each. The jobs run
// side by side in-process; delivery goes to the GitHub and artifact doubles.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { readZip, startArtifactDouble } from '../../doubles/artifact-service.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { startEmulator, type EntrySpec } from '../../emulator/server.ts'
import { deliver, fileEnvironment } from '../../harness/delivery.ts'
import { pullWith } from '../../harness/engine.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import { shardOf } from '../../src/engine/shard.js'
import type { DeliveryReport } from '../../src/model.js'
import { LOCKFILE, sharedEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const run = promisify(execFile)

const CATALOGUE: EntrySpec[] = Array.from({ length: 24 }, (_, index) => ({
  id: `part-${index}`,
  filename: `Part ${index}.glb`,
  derived: [],
  tags: ['catalogue'],
  minBytes: 1024
}))
const ALL_PATHS = CATALOGUE.map(entry => `assets/echo3d/Part ${entry.id.slice(5)}.glb`)

const emulator = sharedEmulator({ entries: CATALOGUE })

// One GitHub for the file (@actions/github takes its URL once); each test commits to a branch of
// its own, made from main.
let github: GitHubDouble
let restoreEnvironment = () => {}
beforeAll(async () => {
  github = await startGitHubDouble()
  restoreEnvironment = setEnvironment(fileEnvironment(github))
})
afterAll(async () => {
  restoreEnvironment()
  await github.close()
})

async function branchFromMain(name: string): Promise<string> {
  await github.git('branch', name, 'main')
  return name
}

async function treeOf(branch: string): Promise<string[]> {
  return (await github.git('ls-tree', '-r', '--name-only', branch)).split('\n').sort()
}

async function lockedPaths(branch: string): Promise<string[]> {
  const lockfile = JSON.parse(await github.git('show', `${branch}:${LOCKFILE}`)) as {
    files: { path: string }[]
  }
  return lockfile.files.map(file => file.path).sort()
}

function expectDone(delivery: DeliveryReport): void {
  expect(delivery).toMatchObject({ kind: 'done' })
}

const SHARDS = [1, 2, 3, 4]

describe('shard', () => {
  it('gives each job its part: four shards together pull every entry, each once', async () => {
    const runs = await Promise.all(
      SHARDS.map(index =>
        pullWith(emulator(), { inputs: { tags: 'catalogue', shard: `${index}/4` } })
      )
    )
    const paths = runs.flatMap(shard => shard.report.files.map(file => file.path))
    expect(paths.sort()).toEqual([...ALL_PATHS].sort())
    for (const [position, shard] of runs.entries()) {
      expect(shard.report.failures).toEqual([])
      const count = CATALOGUE.filter(entry => shardOf(entry.id, 4) === position + 1).length
      expect(shard.log()).toContain(`Shard ${position + 1} of 4: this job pulls ${count} of`)
    }
  })

  it('three shards committing at once end with every file and one complete lockfile', async () => {
    const branch = await branchFromMain('shards-api')
    const inputs = (index: number) => ({
      tags: 'catalogue',
      shard: `${index}/3`,
      commit: 'push',
      branch,
      'github-token': github.token
    })
    const runs = await Promise.all(
      [1, 2, 3].map(index => pullWith(emulator(), { inputs: inputs(index) }))
    )
    const deliveries = await Promise.all(runs.map(deliverRun))
    for (const { delivery } of deliveries) expectDone(delivery)
    // Each workspace starts empty, so each shard's own lockfile holds its records only: the
    // branch ends complete only if every shard merged with what the others had committed.
    expect(await treeOf(branch)).toEqual(['README.md', LOCKFILE, ...ALL_PATHS].sort())
    expect(await lockedPaths(branch)).toEqual([...ALL_PATHS].sort())
    const lockfile = JSON.parse(await github.git('show', `${branch}:${LOCKFILE}`)) as {
      files: { path: string; sha256: string }[]
    }
    const pulled = runs.flatMap(shard => shard.report.files)
    for (const file of lockfile.files) {
      expect(pulled.find(candidate => candidate.path === file.path)?.sha256).toBe(file.sha256)
    }
  })

  it('shards committing with git from checkouts of their own also end with one complete lockfile', async () => {
    const branch = await branchFromMain('shards-git')
    const checkouts = await Promise.all(
      [1, 2].map(async () => {
        const workspace = path.join(await scratchFolder('shard-checkout'), 'repo')
        await run('git', ['clone', '--quiet', '--branch', branch, github.bareRepo, workspace])
        return workspace
      })
    )
    const runs = await Promise.all(
      checkouts.map((workspace, index) =>
        pullWith(emulator(), {
          inputs: {
            tags: 'catalogue',
            shard: `${index + 1}/2`,
            commit: 'push',
            'commit-method': 'git',
            branch,
            'github-token': github.token
          },
          workspace
        })
      )
    )
    const deliveries = await Promise.all(runs.map(deliverRun))
    for (const { delivery } of deliveries) expectDone(delivery)
    expect(await lockedPaths(branch)).toEqual([...ALL_PATHS].sort())
    expect(await treeOf(branch)).toEqual(['README.md', LOCKFILE, ...ALL_PATHS].sort())
  })

  it('refuse to commit two entries of different shards that write one file', async () => {
    const ids = ['chair-a', 'chair-b', 'chair-c', 'chair-d', 'chair-e']
    const first = ids[0]
    const second = ids.find(id => shardOf(id, 2) !== shardOf(first, 2))!
    const chairs = await startEmulator({
      entries: [first, second].map(id => ({ id, filename: 'Chair.glb', derived: [], tags: ['c'] }))
    })
    try {
      const branch = await branchFromMain('shards-conflict')
      const shardOfEntry = (id: string) =>
        pullWith(chairs, {
          inputs: {
            tags: 'c',
            shard: `${shardOf(id, 2)}/2`,
            commit: 'push',
            branch,
            'github-token': github.token
          }
        })
      const one = await deliverRun(await shardOfEntry(first))
      expectDone(one.delivery)
      const other = await deliverRun(await shardOfEntry(second))
      expect(other.delivery.kind).toBe('failed')
      const message = other.delivery.kind === 'failed' ? other.delivery.error.message : ''
      expect(message).toMatch(/and another shard write the same files; nothing was committed/)
      expect(message).toContain(
        `assets/echo3d/Chair.glb: entry ${second} of this shard, and ${first} of another`
      )
      const committed = one.delivery.kind === 'done' ? one.delivery.outcome.commitSha : ''
      expect(await github.git('rev-parse', branch)).toBe(committed)
    } finally {
      await chairs.close()
    }
  })

  it('four shards upload an artifact each, which a later job can download into one workspace', async () => {
    const artifacts = await startArtifactDouble()
    const restore = setEnvironment({
      ACTIONS_RESULTS_URL: `${artifacts.url}/`,
      ACTIONS_RUNTIME_TOKEN: artifacts.runtimeToken,
      GITHUB_RUN_ID: '777'
    })
    try {
      const runs = await Promise.all(
        SHARDS.map(index =>
          pullWith(emulator(), {
            inputs: { tags: 'catalogue', shard: `${index}/4`, 'upload-artifact': 'true' }
          })
        )
      )
      const deliveries = await Promise.all(runs.map(deliverRun))
      for (const { delivery } of deliveries) expectDone(delivery)
      expect(artifacts.artifacts.map(artifact => artifact.name).sort()).toEqual(
        SHARDS.map(index => `echo3d-assets-shard-${index}-of-4`)
      )
      // A shard's artifact holds its files, not its partial lockfile.
      const names = artifacts.artifacts.flatMap(artifact =>
        readZip(artifact.content).map(entry => entry.name)
      )
      expect(names.sort()).toEqual([...ALL_PATHS].sort())
    } finally {
      restore()
      await artifacts.close()
    }
  })

  it("prunes only its own shard's files", async () => {
    const full = await pullWith(emulator(), { inputs: { tags: 'catalogue' } })
    expect(full.report.failures).toEqual([])
    // The selection shrinks to nothing but one entry; shard 1 of 2 prunes its part only.
    const kept = CATALOGUE[0].id
    const pruned = await pullWith(emulator(), {
      inputs: { entries: kept, shard: '1/2', prune: 'true' },
      workspace: full.workspace
    })
    expect(pruned.report.failures).toEqual([])
    const left = await readdir(path.join(full.workspace, 'assets/echo3d'))
    for (const entry of CATALOGUE) {
      const file = `Part ${entry.id.slice(5)}.glb`
      const ours = shardOf(entry.id, 2) === 1
      expect(left.includes(file)).toBe(!ours || entry.id === kept)
    }
  })
})

/** A run's delivery, in the environment this file set for @actions/github: runs deliver at once. */
function deliverRun(run: Awaited<ReturnType<typeof pullWith>>) {
  return deliver(run.options, run.report)
}
