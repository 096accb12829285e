// The Actions cache on a GitHub-hosted runner, as the runner sees it: the bundle saves what it
// downloads through the real @actions/cache to the cache service double, and a later run on a
// fresh machine restores it: one entry per run at most, restored once, by the prefix of its key.
// The entry's index may name bytes for a storage ID that the lockfile does not record, never
// against the lockfile. A service that fails never fails the step, nor holds it.
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { saveCache } from '@actions/cache'
import { startCacheDouble, type CacheDouble } from '../../doubles/cache-service.ts'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { setEnvironment, withoutOutput } from '../../harness/in-process.ts'
import { actionsCacheKeyPrefix } from '../../src/action/cache.js'
import {
  LOCKFILE,
  filesOutput,
  log,
  pull,
  readWorkspaceFile,
  sha256,
  sharedEmulator,
  transfers
} from '../support.ts'
import { scratchFolder, type RunResult } from '../../harness/runner.ts'

const emulator = sharedEmulator()
let service: CacheDouble | undefined
afterEach(() => service?.close())

type HostedRunner = Awaited<ReturnType<typeof hostedRunner>>

/** A GitHub-hosted runner: same RUNNER_TEMP path in every run, but a fresh disk and tool cache. */
async function hostedRunner(double: CacheDouble) {
  const runnerTemp = path.join(await scratchFolder('hosted'), '_temp')
  return {
    runnerTemp,
    env: {
      RUNNER_ENVIRONMENT: 'github-hosted',
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${double.url}/`,
      ACTIONS_RUNTIME_TOKEN: double.runtimeToken
    }
  }
}

function warnings(result: RunResult): string[] {
  return log(result)
    .split('\n')
    .filter(line => line.startsWith('::warning::'))
}

/** How many times the run asked the service for each thing. */
function callsOf(double: CacheDouble): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const call of double.calls.splice(0)) counts[call] = (counts[call] ?? 0) + 1
  return counts
}

/** A workspace as `path: 'assets/echo3d'` and the default lockfile give it, and its key prefix. */
async function newWorkspace(): Promise<{ workspace: string; keyPrefix: string }> {
  // As deep as a run's workspace: the archive names the store relative to the workspace.
  const workspace = path.join(await scratchFolder('echo3d-run'), 'workspace')
  await mkdir(workspace, { recursive: true })
  const keyPrefix = actionsCacheKeyPrefix({
    workspace,
    destination: path.join(workspace, 'assets/echo3d'),
    lockfile: path.join(workspace, LOCKFILE)
  })
  return { workspace, keyPrefix }
}

/**
 * An entry that someone with access to the repository's cache saved under the catalogue's
 * prefix: the store's layout, whose index says that `storageId` holds `bytes`.
 */
async function plantEntry(
  runner: HostedRunner,
  storageId: string,
  bytes: Buffer,
  hash = sha256(bytes)
): Promise<void> {
  const root = path.join(runner.runnerTemp, 'echo3d-cache')
  await mkdir(path.join(root, 'sha256'), { recursive: true })
  await writeFile(path.join(root, 'sha256', hash), bytes)
  const index = { version: 1, files: [{ storageId, bytes: bytes.length, sha256: hash }] }
  await writeFile(path.join(root, 'index.json'), JSON.stringify(index))
  const { workspace, keyPrefix } = await newWorkspace()
  const restore = setEnvironment({
    ...runner.env,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: await scratchFolder('planting')
  })
  try {
    expect(await withoutOutput(() => saveCache([root], `${keyPrefix}planted`))).toBeGreaterThan(0)
  } finally {
    restore()
  }
  await rm(root, { recursive: true, force: true })
}

/** A valid model that is not the robot: what a planted entry claims the robot's storage ID holds. */
function chairBytes(): Buffer {
  const bytes = emulator().fileBytes(emulator().storageIdOf(CHAIR, 'glb') ?? '')
  if (!bytes) throw new Error('the emulator has no GLB of the chair')
  return bytes
}

function robotStorageId(): string {
  return emulator().storageIdOf(ROBOT, 'glb') ?? ''
}

describe('the Actions cache on GitHub-hosted runners', () => {
  it('restores on a fresh machine what an earlier run saved, and saves only what is new', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    const first = await pull(emulator(), { entries: ROBOT }, runner)
    expect(log(first)).not.toMatch(/::warning::/)
    expect(first.code).toBe(0)
    expect(double.entries.filter(entry => entry.finalized)).toHaveLength(1)
    // A lookup that finds nothing, and one save.
    expect(callsOf(double)).toEqual({
      GetCacheEntryDownloadURL: 1,
      CreateCacheEntry: 1,
      FinalizeCacheEntryUpload: 1
    })

    await rm(runner.runnerTemp, { recursive: true, force: true })
    emulator().requests.splice(0)
    const second = await pull(emulator(), { entries: `${ROBOT}\n${CHAIR}` }, runner)
    // Shows the whole log if a restore failed, rather than only a count.
    expect(log(second)).not.toMatch(/Failed to (save|restore)|::warning::/)
    expect(second.code).toBe(0)
    expect(second.outputs['cache-hits']).toBe('1')
    expect(filesOutput(second).map(file => [file.path, file.source])).toEqual([
      ['assets/echo3d/Robot.glb', 'cache'],
      ['assets/echo3d/Chair.glb', 'download']
    ])
    for (const file of filesOutput(second)) {
      expect(sha256(await readWorkspaceFile(second, file.path))).toBe(file.sha256)
    }
    expect(transfers(emulator())).toBe(1)
    // A lookup and the restore of what it found, then one save of the robot and the chair.
    expect(callsOf(double)).toEqual({
      GetCacheEntryDownloadURL: 2,
      CreateCacheEntry: 1,
      FinalizeCacheEntryUpload: 1
    })
    const keys = double.entries.map(entry => entry.key)
    expect(keys).toHaveLength(2)
    expect(new Set(keys).size).toBe(2)

    // Every file is on disk and in the lockfile: the cache is not asked at all.
    const third = await pull(
      emulator(),
      { entries: `${ROBOT}\n${CHAIR}` },
      {
        ...runner,
        workspace: second.workspace
      }
    )
    expect(filesOutput(third).map(file => file.source)).toEqual(['unchanged', 'unchanged'])
    expect(callsOf(double)).toEqual({})
  })

  it('takes the bytes its index names for a storage ID that the lockfile does not record', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    await plantEntry(runner, robotStorageId(), chairBytes())
    double.calls.splice(0)

    const result = await pull(emulator(), { entries: ROBOT }, runner)
    expect(result.code).toBe(0)
    expect(transfers(emulator())).toBe(0)
    expect(filesOutput(result).map(file => file.source)).toEqual(['cache'])
    expect(await readWorkspaceFile(result, 'assets/echo3d/Robot.glb')).toEqual(chairBytes())
    // Nothing new was downloaded: nothing is saved.
    expect(callsOf(double)).toEqual({ GetCacheEntryDownloadURL: 2 })
  })

  it('never takes bytes of another hash than the lockfile records, and keeps its hash', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    const recorded = await pull(emulator(), { entries: ROBOT, cache: 'false' })
    const lockfile = await readWorkspaceFile(recorded, LOCKFILE)
    const robot = filesOutput(recorded)[0]
    await plantEntry(runner, robotStorageId(), chairBytes())

    const { workspace } = await newWorkspace()
    await mkdir(path.dirname(path.join(workspace, LOCKFILE)), { recursive: true })
    await writeFile(path.join(workspace, LOCKFILE), lockfile)
    emulator().requests.splice(0)
    const result = await pull(emulator(), { entries: ROBOT }, { ...runner, workspace })
    expect(result.code).toBe(0)
    expect(transfers(emulator())).toBe(1)
    expect(filesOutput(result)).toEqual([
      expect.objectContaining({ source: 'download', sha256: robot.sha256 })
    ])
    expect(sha256(await readWorkspaceFile(result, robot.path))).toBe(robot.sha256)
    expect(await readFile(path.join(workspace, LOCKFILE))).toEqual(lockfile)
  })

  it('never indexes a storage ID for bytes that only a lockfile named', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    const first = await pull(emulator(), { entries: `${ROBOT}\n${CHAIR}` }, runner)
    const robot = filesOutput(first).find(file => file.storageId === robotStorageId())
    const chair = chairBytes()
    // A pull request's lockfile says the robot's storage ID holds the chair's bytes.
    const forged = JSON.parse((await readWorkspaceFile(first, LOCKFILE)).toString()) as {
      files: { storageId: string; bytes: number; sha256: string }[]
    }
    for (const record of forged.files.filter(file => file.storageId === robotStorageId())) {
      Object.assign(record, { bytes: chair.length, sha256: sha256(chair) })
    }
    const { workspace } = await newWorkspace()
    await mkdir(path.dirname(path.join(workspace, LOCKFILE)), { recursive: true })
    await writeFile(path.join(workspace, LOCKFILE), JSON.stringify(forged))
    // Something new is downloaded, so this run saves the cache.
    const second = await pull(
      emulator(),
      { entries: `${ROBOT}\n${CHAIR}\n${DESK_LAMP}` },
      { ...runner, workspace }
    )
    expect(second.code).toBe(0)
    expect(callsOf(double)).toEqual(expect.objectContaining({ FinalizeCacheEntryUpload: 2 }))

    emulator().requests.splice(0)
    const third = await pull(emulator(), { entries: ROBOT }, runner)
    expect(filesOutput(third)).toEqual([
      expect.objectContaining({ source: 'download', sha256: robot?.sha256 })
    ])
  })

  it('saves again when a copy it held failed its hash and was downloaded in its place', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    const recorded = await pull(emulator(), { entries: ROBOT, cache: 'false' })
    const robot = filesOutput(recorded)[0]
    // The right name and size, the wrong bytes: what a corrupted entry holds.
    const corrupt = Buffer.alloc(robot.bytes, 0x20)
    await plantEntry(runner, robotStorageId(), corrupt, robot.sha256)
    double.calls.splice(0)

    const { workspace } = await newWorkspace()
    await mkdir(path.dirname(path.join(workspace, LOCKFILE)), { recursive: true })
    await writeFile(path.join(workspace, LOCKFILE), await readWorkspaceFile(recorded, LOCKFILE))
    const result = await pull(emulator(), { entries: ROBOT }, { ...runner, workspace })
    expect(filesOutput(result)).toEqual([
      expect.objectContaining({ source: 'download', sha256: robot.sha256 })
    ])
    expect(callsOf(double)).toEqual(
      expect.objectContaining({ CreateCacheEntry: 1, FinalizeCacheEntryUpload: 1 })
    )
  })

  it('warns once when the service refuses the save, and the step ends all the same', async () => {
    const double = (service = await startCacheDouble())
    double.refusingSaves = true
    const runner = await hostedRunner(double)
    const result = await pull(emulator(), { entries: `${ROBOT}: glb, usdz` }, runner)
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([
      expect.stringMatching(
        /^::warning::The cache could not save this run's files \(the Actions cache did not take the entry echo3d-assets-v2-[0-9a-f]{12}-all-local-1-[0-9a-f]{16}\); the next run downloads them again$/
      )
    ])
    expect(callsOf(double)).toEqual({ GetCacheEntryDownloadURL: 1, CreateCacheEntry: 1 })
  })

  it('warns once and downloads when the cache service fails, and the step ends all the same', async () => {
    const double = (service = await startCacheDouble())
    double.failing = true
    const runner = await hostedRunner(double)
    const started = Date.now()
    const result = await pull(
      emulator(),
      { entries: `${ROBOT}: glb, usdz`, timeout: '20s' },
      runner
    )
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([
      '::warning::The Actions cache is not usable (it did not answer within 2.0s); files are downloaded from echo3D without it'
    ])
    expect(filesOutput(result).map(file => file.source)).toEqual(['download', 'download'])
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
