// Network faults against the engine in-process: each is retried or reported, never saved, and no
// partial file is left. Retries wait on the test clock, so back-off costs no real time.
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import type { Fault } from '../../emulator/server.ts'
import { pullWith } from '../../harness/engine.ts'
import { listAssets, sha256, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()

const hits = (route: string) => emulator().requests.filter(request => request.route === route)

async function expectIntactRobot(inputs: Record<string, string> = {}) {
  const run = await pullWith(emulator(), { inputs: { entries: ROBOT, ...inputs } })
  expect(run.report.failures).toEqual([])
  const [file] = run.report.files
  const served = emulator().fileBytes(file.storageId!)!
  expect(sha256(await readFile(path.join(run.workspace, file.path)))).toBe(sha256(served))
  expect(await listAssets(run.workspace)).toEqual(['assets/echo3d/Robot.glb'])
  return run
}

describe('transient faults are retried and never saved', () => {
  it.each<[string, Fault]>([
    ['a 503', { route: 'file', kind: 'status', status: 503 }],
    ['a 524 from a proxy', { route: 'file', kind: 'status', status: 524 }],
    ['a connection reset mid-body', { route: 'file', kind: 'reset' }],
    ['a truncated body', { route: 'file', kind: 'truncate' }],
    ['an error text served with status 200', { route: 'file', kind: 'error200' }],
    ['a failing metadata query', { route: 'query', kind: 'status', status: 500 }]
  ])('recovers from %s', async (_name, fault) => {
    emulator().fault(fault)
    const run = await expectIntactRobot()
    expect(run.log()).toMatch(/retry 1 of 3 in/)
    expect(run.clock.waits).toHaveLength(1)
  })

  it('says where to look when the API cannot be reached at all', async () => {
    const run = pullWith(emulator(), {
      inputs: { entries: ROBOT, 'api-url': 'http://127.0.0.1:1' }
    })
    await expect(run).rejects.toThrow(
      /The metadata query failed: .*ECONNREFUSED.*: echo3D's API could not be reached\. Check the network and any proxy/
    )
  })

  it('honours Retry-After on 429', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 429, retryAfter: '2' })
    const run = await expectIntactRobot()
    expect(run.clock.waits).toEqual([2000])
    expect(run.log()).toMatch(/HTTP 429.*retry 1 of 3 in 2.0s/)
  })

  it('detects a stalled body well before timeout and retries it', async () => {
    emulator().fault({ route: 'file', kind: 'stall' })
    const started = Date.now()
    const run = await expectIntactRobot({ timeout: '3s' })
    expect(Date.now() - started).toBeLessThan(2500)
    expect(run.log()).toMatch(/the download stalled: no data for 0.6 s/)
  })

  it('retries a conversion cut by a proxy', async () => {
    emulator().fault({ route: 'download', kind: 'status', status: 504 })
    const run = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: stl`, 'convert-missing': 'true' }
    })
    expect(run.report.failures).toEqual([])
    expect(run.report.files[0].source).toBe('conversion')
  })
})

describe('faults that persist', () => {
  it('fail the asset after the retries, name it, and leave no file at all', async () => {
    emulator().fault({
      route: 'file',
      kind: 'error200',
      times: 10,
      match: emulator().storageIdOf(ROBOT, 'glb')
    })
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT, retries: '2' } })
    expect(hits('file')).toHaveLength(3)
    expect(run.report.failures).toEqual([
      {
        label: `entry ${ROBOT} (glb)`,
        message: "the server sent a text: 'Entry not found' instead of a GLB file"
      }
    ])
    expect(await listAssets(run.workspace)).toEqual([])
    expect(run.report.files).toEqual([])
  })

  it('retry 5xx only up to `retries`', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 500, times: 10 })
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT, retries: '1' } })
    expect(hits('file')).toHaveLength(2)
    expect(run.report.failures[0].message).toMatch(
      /echo3D kept failing \(HTTP 500 'Service Unavailable'\) after every retry/
    )
  })

  it('leave nothing behind after a truncated body that never recovers', async () => {
    emulator().fault({ route: 'file', kind: 'truncate', times: 10 })
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT, retries: '1' } })
    expect(run.report.failures).toHaveLength(1)
    expect(await listAssets(run.workspace)).toEqual([])
  })

  it('give up at the timeout, whatever Retry-After asks', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 503, retryAfter: '3600', times: 5 })
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT, timeout: '10m' } })
    expect(run.clock.waits).toEqual([])
    expect(run.report.failures[0].message).toMatch(/HTTP 503/)
  })
})

describe('a download that is a chain of hops, echo3D then its storage host', () => {
  it('retries each hop on its own: two failures of each are within retries: 3', async () => {
    emulator().fault({ route: 'redirect', kind: 'status', status: 503, times: 2 })
    emulator().fault({ route: 'file', kind: 'status', status: 503, times: 2 })
    await expectIntactRobot()
    expect(hits('redirect').map(request => request.status)).toEqual([503, 503, 302])
    // The storage URL is tried again itself, not by way of echo3D's API.
    expect(hits('file').map(request => request.status)).toEqual([503, 503, 200])
  })

  it('goes back to the API when the storage URL no longer works', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 503 })
    emulator().fault({ route: 'file', kind: 'status', status: 403 })
    await expectIntactRobot()
    expect(hits('redirect')).toHaveLength(2)
    expect(hits('file').map(request => request.status)).toEqual([503, 403, 200])
  })
})
