// The runner's tool cache behind the engine's cache port, as the action chooses it off GitHub-hosted
// runners (src/action/tool-cache.ts): files by SHA-256 in one store, served only where the
// lockfile records that hash for the storage ID, since any job on the runner can write the store.
// Each test has a tool cache of its own, under RUNNER_TOOL_CACHE as the runner sets it.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, readdir, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { pullSummary, pullWith } from '../../harness/engine.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import { LOCKFILE, sha256, sharedEmulator, transfers } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { NO_CACHE, type AssetCache } from '../../src/engine/index.js'
import { ToolCacheStore } from '../../src/action/tool-cache.js'

const emulator = sharedEmulator()

// Not a GitHub-hosted runner, even when the tests run on one: there the Actions cache is chosen.
const restoreEnvironment = setEnvironment({
  RUNNER_ENVIRONMENT: undefined,
  RUNNER_TOOL_CACHE: undefined
})
afterAll(restoreEnvironment)
let toolCache = ''
beforeEach(async () => {
  toolCache = await scratchFolder('tool-cache')
  process.env.RUNNER_TOOL_CACHE = toolCache
})

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }

/** The one folder of the action's files in the tool cache. */
const store = (): string => path.join(toolCache, 'echo3d-assets', 'sha256')

/** A run on this runner: the cache is the one the action picks from the inputs. */
const pullOnRunner = (inputs: Record<string, string>, workspace?: string) =>
  pullWith(emulator(), { inputs, cache: 'runner', workspace })

/** A new checkout of a repository that commits the lockfile an earlier run wrote, not the files. */
async function checkoutWithLockfile(earlier: { workspace: string }): Promise<string> {
  const workspace = path.join(await scratchFolder('checkout'), 'workspace')
  await mkdir(path.dirname(path.join(workspace, LOCKFILE)), { recursive: true })
  await writeFile(
    path.join(workspace, LOCKFILE),
    await readFile(path.join(earlier.workspace, LOCKFILE))
  )
  return workspace
}

async function lockedSha256(workspace: string): Promise<string[]> {
  const lockfile = JSON.parse(await readFile(path.join(workspace, LOCKFILE), 'utf8')) as {
    files: { sha256: string }[]
  }
  return lockfile.files.map(file => file.sha256)
}

describe('the tool cache', () => {
  it('serves a later checkout on the same runner, by its lockfile, without any file transfer', async () => {
    const inputs = { entries: `${DESK_LAMP}: glb, original\n${ROBOT}: usdz` }
    const first = await pullOnRunner(inputs)
    expect(first.report.failures).toEqual([])
    expect(first.report.files.filter(file => file.source === 'cache')).toEqual([])
    expect(transfers(emulator())).toBe(5)
    expect((await readdir(store())).sort()).toEqual(first.report.files.map(f => f.sha256).sort())

    emulator().requests.splice(0)
    const second = await pullOnRunner(inputs, await checkoutWithLockfile(first))
    expect(second.report.failures).toEqual([])
    expect(transfers(emulator())).toBe(0)
    const { files } = second.report
    expect(files.map(file => file.source)).toEqual(Array(5).fill('cache'))
    expect(files.map(file => [file.path, file.sha256])).toEqual(
      first.report.files.map(file => [file.path, file.sha256])
    )
    for (const file of files) {
      expect(sha256(await readFile(path.join(second.workspace, file.path)))).toBe(file.sha256)
    }
    expect(await pullSummary(second)).toContain('<td>cache</td>')
  })

  it('caches a conversion under the hash of its bytes', async () => {
    const inputs = { entries: `${CHAIR}: gltf`, 'convert-missing': 'true' }
    const first = await pullOnRunner(inputs)
    expect(first.report.files[0]).toEqual(
      expect.objectContaining({
        source: 'conversion',
        storageId: emulator().storageIdOf(CHAIR, 'gltf')
      })
    )

    emulator().requests.splice(0)
    const second = await pullOnRunner(inputs, await checkoutWithLockfile(first))
    expect(transfers(emulator())).toBe(0)
    expect(second.report.files[0].source).toBe('cache')
  })

  it('serves nothing for a storage ID that the lockfile does not record', async () => {
    await pullOnRunner({ entries: ROBOT })
    expect(await readdir(store())).toHaveLength(1)

    emulator().requests.splice(0)
    const second = await pullOnRunner({ entries: ROBOT })
    expect(transfers(emulator())).toBe(1)
    expect(second.report.files[0].source).toBe('download')
  })

  it('never serves planted bytes in place of those the lockfile records, and keeps its hash', async () => {
    const first = await pullOnRunner({ entries: ROBOT, cache: 'false' })
    const recorded = first.report.files[0].sha256
    // The model with one byte changed: the same size and header, another hash. It is put under
    // the name the lockfile's hash gives, and under its own.
    const planted = await readFile(path.join(first.workspace, first.report.files[0].path))
    planted[planted.length - 1] ^= 0xff
    await mkdir(store(), { recursive: true })
    await writeFile(path.join(store(), recorded), planted)
    await writeFile(path.join(store(), sha256(planted)), planted)

    emulator().requests.splice(0)
    const second = await pullOnRunner({ entries: ROBOT }, await checkoutWithLockfile(first))
    expect(second.report.failures).toEqual([])
    expect(transfers(emulator())).toBe(1)
    expect(second.log()).toMatch(/The cached copy of .* failed its check/)
    expect(second.report.files[0]).toEqual(
      expect.objectContaining({ source: 'download', sha256: recorded })
    )
    const onDisk = await readFile(path.join(second.workspace, second.report.files[0].path))
    expect(sha256(onDisk)).toBe(recorded)
    expect(await lockedSha256(second.workspace)).toEqual([recorded])
    // The download put the right bytes in the store, over the planted ones.
    expect(sha256(await readFile(path.join(store(), recorded)))).toBe(recorded)
  })

  it('holds a copy of each verified file, so that a job writing the store cannot change the workspace', async () => {
    const run = await pullOnRunner({ entries: `${DESK_LAMP}: glb` })
    const [file] = run.report.files
    const inStore = path.join(store(), file.sha256)
    await writeFile(inStore, 'another job wrote this in place', { flag: 'r+' })
    expect(sha256(await readFile(path.join(run.workspace, file.path)))).toBe(file.sha256)
  })

  it('receives each download as it arrives, and keeps no part of one that failed', async () => {
    emulator().fault({
      route: 'file',
      kind: 'truncate',
      match: emulator().storageIdOf(ROBOT, 'glb')
    })
    const run = await pullOnRunner({ entries: `${ROBOT}\n${DESK_LAMP}: glb`, retries: '0' })
    expect(run.report.failures.map(failure => failure.label)).toEqual([
      expect.stringContaining(ROBOT)
    ])
    const [lamp] = run.report.files
    // Only the whole, verified download is there, under its hash: no partial copy is left.
    expect(await readdir(store())).toEqual([lamp.sha256])
    expect(sha256(await readFile(path.join(store(), lamp.sha256)))).toBe(lamp.sha256)
  })

  it('copies the placed file when the copy written beside it was dropped', async () => {
    const chosen = new ToolCacheStore(toolCache, quiet)
    const fullDisk: AssetCache = {
      find: content => chosen.find(content),
      store: (storageId, filePath, content) => chosen.store(storageId, filePath, content),
      finish: () => chosen.finish(),
      receive: async () => {
        const copy = await chosen.receive()
        if (!copy) return undefined
        // A disk that is full: the copy fails at once and is dropped.
        const full = (...args: unknown[]) => {
          const done = args.at(-1) as (error: Error) => void
          done(new Error('no space left on the cache disk'))
        }
        copy.file._write = full
        copy.file._writev = full
        return copy
      }
    }
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT }, cache: fullDisk })
    const [robot] = run.report.files
    expect(run.report.failures).toEqual([])
    expect(await readdir(store())).toEqual([robot.sha256])
    expect(sha256(await readFile(path.join(store(), robot.sha256)))).toBe(robot.sha256)
  })

  it('forgets a copy that no job has written for a day, as a killed job leaves it', async () => {
    await pullOnRunner({ entries: ROBOT })
    const leftover = path.join(store(), '.0f0e0d0c-0b0a-4908-8706-050403020100.partial')
    const current = path.join(store(), '.1f0e0d0c-0b0a-4908-8706-050403020100.partial')
    await writeFile(leftover, 'half a model')
    await writeFile(current, 'a model being written by another job')
    const yesterday = new Date(Date.now() - 25 * 60 * 60 * 1000)
    await utimes(leftover, yesterday, yesterday)
    await pullOnRunner({ entries: DESK_LAMP })
    expect(await readdir(store())).toContain(path.basename(current))
    expect(await readdir(store())).not.toContain(path.basename(leftover))
  })

  it('never files a copy that is not whole', async () => {
    const cache = new ToolCacheStore(toolCache, quiet)
    const copy = await cache.receive()
    if (!copy) throw new Error('the tool cache took no copy')
    copy.file.end(Buffer.from('half a model'))
    await finished(copy.file)
    const claimed = { bytes: 24, sha256: sha256(Buffer.from('half a model, and the rest')) }
    await expect(copy.keep(claimed)).rejects.toThrow('not whole')
    expect(await readdir(store())).toEqual([])
  })

  it('follows no link that someone put in the store, even to the right bytes', async () => {
    const first = await pullOnRunner({ entries: ROBOT, cache: 'false' })
    const file = first.report.files[0]
    await mkdir(store(), { recursive: true })
    await symlink(path.join(first.workspace, file.path), path.join(store(), file.sha256))

    emulator().requests.splice(0)
    const second = await pullOnRunner({ entries: ROBOT }, await checkoutWithLockfile(first))
    expect(second.report.files[0].source).toBe('download')
    expect(transfers(emulator())).toBe(1)
  })

  it('is turned off, with one warning, when its folder is a link', async () => {
    const elsewhere = await scratchFolder('elsewhere')
    await symlink(elsewhere, path.join(toolCache, 'echo3d-assets'))
    const run = await pullOnRunner({ entries: `${ROBOT}: glb, usdz` })
    expect(run.report.failures).toEqual([])
    const warnings = run
      .log()
      .split('\n')
      .filter(line => line.includes('tool cache'))
    expect(warnings).toEqual([
      expect.stringMatching(/^The tool cache is not used: its folder .* is a link/)
    ])
    expect(await readdir(elsewhere)).toEqual([])
  })

  it('is read by the engine through real folders only, and only as a regular file', async () => {
    const first = await pullOnRunner({ entries: ROBOT, cache: 'false' })
    const file = first.report.files[0]
    const root = await scratchFolder('claimed-store')
    await symlink(path.join(first.workspace, 'assets'), path.join(root, 'linked'))
    // A cache that claims a file reached through a link, as one swapped in after a lookup would be.
    const cache = {
      ...NO_CACHE,
      find: () => Promise.resolve({ store: root, path: path.join(root, 'linked/echo3d/Robot.glb') })
    }
    const workspace = await checkoutWithLockfile(first)
    const second = await pullWith(emulator(), { inputs: { entries: ROBOT }, cache, workspace })
    expect(second.log()).toContain('the cache holds a link, or no regular file, in its place')
    expect(second.report.files[0]).toEqual(
      expect.objectContaining({ source: 'download', sha256: file.sha256 })
    )
  })

  it('forgets files that no run wrote or used for 30 days', async () => {
    const first = await pullOnRunner({ entries: `${ROBOT}\n${DESK_LAMP}` })
    const [robot, lamp] = first.report.files.map(file => file.sha256)
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000)
    await utimes(path.join(store(), robot), longAgo, longAgo)
    await utimes(path.join(store(), lamp), longAgo, longAgo)

    // This run uses the lamp, so only the robot has gone unused.
    const second = await pullOnRunner({ entries: DESK_LAMP }, await checkoutWithLockfile(first))
    expect(second.report.files[0].source).toBe('cache')
    expect(await readdir(store())).toEqual([lamp])
  })

  it('is neither read nor written with cache: false', async () => {
    const unused = await pullOnRunner({ entries: DESK_LAMP, cache: 'false' })
    expect(unused.report.files).toHaveLength(1)
    expect(await readdir(toolCache)).toEqual([])

    const first = await pullOnRunner({ entries: ROBOT })
    emulator().requests.splice(0)
    const second = await pullOnRunner(
      { entries: ROBOT, cache: 'false' },
      await checkoutWithLockfile(first)
    )
    expect(transfers(emulator())).toBe(1)
    expect(second.report.files[0].source).toBe('download')
  })
})
