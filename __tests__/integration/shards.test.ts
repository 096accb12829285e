import { afterEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import path from 'node:path'
import {
  readZip,
  startArtifactDouble,
  type ArtifactDouble
} from '../../doubles/artifact-service.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { startEmulator, type EntrySpec } from '../../emulator/server.ts'
import { shardOf } from '../../src/engine/shard.js'
import {
  filesOutput,
  githubRunner,
  LOCKFILE,
  log,
  pull,
  scratchFolder,
  sharedEmulator
} from '../support.ts'

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
let github: GitHubDouble | undefined
let artifacts: ArtifactDouble | undefined
afterEach(async () => {
  await github?.close()
  await artifacts?.close()
  github = undefined
  artifacts = undefined
})

const SHARDS = [1, 2, 3, 4]

describe('shard', () => {
  it('gives each job its part: four shards together pull every entry, each once', async () => {
    const results = await Promise.all(
      SHARDS.map(index => pull(emulator(), { tags: 'catalogue', shard: `${index}/4` }))
    )
    const paths = results.flatMap(result => filesOutput(result).map(file => file.path))
    expect(paths.sort()).toEqual([...ALL_PATHS].sort())
    for (const [position, result] of results.entries()) {
      expect(result.code).toBe(0)
      const count = CATALOGUE.filter(entry => shardOf(entry.id, 4) === position + 1).length
      expect(log(result)).toContain(`Shard ${position + 1} of 4: this job pulls ${count} of`)
    }
  })

  it('four shards committing at once end with every file and one complete lockfile', async () => {
    github = await startGitHubDouble()
    const double = github
    const results = await Promise.all(
      SHARDS.map(index =>
        pull(
          emulator(),
          { tags: 'catalogue', shard: `${index}/4`, commit: 'push' },
          githubRunner(double)
        )
      )
    )
    for (const result of results) {
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
    }
    // Each workspace starts empty, so each shard's own lockfile holds its records only: the
    // branch ends complete only if every shard merged with what the others had committed.
    const tree = (await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')
    expect(tree.sort()).toEqual(['README.md', LOCKFILE, ...ALL_PATHS].sort())
    const lockfile = JSON.parse(await double.git('show', `main:${LOCKFILE}`)) as {
      files: { path: string; sha256: string }[]
    }
    expect(lockfile.files.map(file => file.path).sort()).toEqual([...ALL_PATHS].sort())
    const pulled = results.flatMap(filesOutput)
    for (const file of lockfile.files) {
      expect(pulled.find(candidate => candidate.path === file.path)?.sha256).toBe(file.sha256)
    }
  }, 60_000)

  it('shards committing with git from checkouts of their own also end with one complete lockfile', async () => {
    github = await startGitHubDouble()
    const double = github
    const checkouts = await Promise.all(
      [1, 2].map(async () => {
        const workspace = path.join(await scratchFolder('shard-checkout'), 'repo')
        await run('git', ['clone', '--quiet', double.bareRepo, workspace])
        return workspace
      })
    )
    const results = await Promise.all(
      checkouts.map((workspace, index) =>
        pull(
          emulator(),
          { tags: 'catalogue', shard: `${index + 1}/2`, commit: 'push', 'commit-method': 'git' },
          githubRunner(double, { workspace })
        )
      )
    )
    for (const result of results) {
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
    }
    const lockfile = JSON.parse(await double.git('show', `main:${LOCKFILE}`)) as {
      files: { path: string }[]
    }
    expect(lockfile.files.map(file => file.path).sort()).toEqual([...ALL_PATHS].sort())
    const tree = (await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')
    expect(tree.sort()).toEqual(['README.md', LOCKFILE, ...ALL_PATHS].sort())
  }, 60_000)

  it('refuse to commit two entries of different shards that write one file', async () => {
    const ids = ['chair-a', 'chair-b', 'chair-c', 'chair-d', 'chair-e']
    const first = ids[0]
    const second = ids.find(id => shardOf(id, 2) !== shardOf(first, 2))!
    const chairs = await startEmulator({
      entries: [first, second].map(id => ({ id, filename: 'Chair.glb', derived: [], tags: ['c'] }))
    })
    github = await startGitHubDouble()
    const double = github
    try {
      const inputs = (id: string) => ({
        tags: 'c',
        shard: `${shardOf(id, 2)}/2`,
        commit: 'push'
      })
      const one = await pull(chairs, inputs(first), githubRunner(double))
      expect(one.code).toBe(0)
      const other = await pull(chairs, inputs(second), githubRunner(double))
      expect(other.code).toBe(1)
      expect(log(other)).toMatch(/and another shard write the same files; nothing was committed/)
      expect(log(other)).toContain(
        `assets/echo3d/Chair.glb: entry ${second} of this shard, and ${first} of another`
      )
      expect(await double.git('rev-parse', 'main')).toBe(one.outputs['commit-sha'])
    } finally {
      await chairs.close()
    }
  }, 60_000)

  it('four shards upload an artifact each, which a later job can download into one workspace', async () => {
    artifacts = await startArtifactDouble()
    const service = artifacts
    const env = {
      ACTIONS_RESULTS_URL: `${service.url}/`,
      ACTIONS_RUNTIME_TOKEN: service.runtimeToken,
      GITHUB_REPOSITORY: 'octo-org/ar-app',
      GITHUB_RUN_ID: '777'
    }
    const results = await Promise.all(
      SHARDS.map(index =>
        pull(
          emulator(),
          { tags: 'catalogue', shard: `${index}/4`, 'upload-artifact': 'true' },
          { env }
        )
      )
    )
    for (const result of results) expect(result.code).toBe(0)
    expect(service.artifacts.map(artifact => artifact.name).sort()).toEqual(
      SHARDS.map(index => `echo3d-assets-shard-${index}-of-4`)
    )
    const names = service.artifacts.flatMap(artifact =>
      readZip(artifact.content).map(entry => entry.name)
    )
    expect(names.sort()).toEqual([...ALL_PATHS].sort())
  }, 60_000)

  it("prunes only its own shard's files", async () => {
    const full = await pull(emulator(), { tags: 'catalogue' })
    expect(full.code).toBe(0)
    // The selection shrinks to nothing but one entry; shard 1 of 2 prunes its part only.
    const kept = CATALOGUE[0].id
    const pruned = await pull(
      emulator(),
      { entries: kept, shard: '1/2', prune: 'true' },
      { workspace: full.workspace }
    )
    expect(pruned.code).toBe(0)
    const left = await readdir(path.join(full.workspace, 'assets/echo3d'))
    for (const entry of CATALOGUE) {
      const file = `Part ${entry.id.slice(5)}.glb`
      const ours = shardOf(entry.id, 2) === 1
      expect(left.includes(file)).toBe(!ours || entry.id === kept)
    }
  })
})
