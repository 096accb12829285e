import { describe, expect, it } from '@jest/globals'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import type { Fault } from '../../emulator/server.ts'
import {
  filesOutput,
  listAssets,
  log,
  pull,
  readWorkspaceFile,
  sha256,
  sharedEmulator
} from './support.ts'

const emulator = sharedEmulator()

const fileHits = () => emulator().requests.filter(request => request.route === 'file')

async function expectIntactRobot(inputs: Record<string, string> = {}) {
  const result = await pull(emulator(), { entries: ROBOT, timeout: '10s', ...inputs })
  expect(result.code).toBe(0)
  const [file] = filesOutput(result)
  const served = emulator().fileBytes(file.storageId!)!
  expect(sha256(await readWorkspaceFile(result, file.path))).toBe(sha256(served))
  expect(await listAssets(result.workspace)).toEqual(['assets/echo3d/Robot.glb'])
  return result
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
    const result = await expectIntactRobot()
    expect(log(result)).toMatch(/retry 1 of 3 in/)
  })

  it('honours Retry-After on 429', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 429, retryAfter: '2' })
    const started = Date.now()
    const result = await expectIntactRobot()
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(log(result)).toMatch(/HTTP 429.*retry 1 of 3 in 2.0s/)
  })

  it('detects a stalled body well before timeout and retries it', async () => {
    emulator().fault({ route: 'file', kind: 'stall' })
    const started = Date.now()
    const result = await expectIntactRobot({ timeout: '15s' })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(log(result)).toMatch(/the download stalled: no data for 3 s/)
  })

  it('retries a conversion cut by a proxy', async () => {
    emulator().fault({ route: 'download', kind: 'status', status: 504 })
    const result = await pull(emulator(), {
      entries: `${CHAIR}: stl`,
      'convert-missing': 'true',
      timeout: '20s'
    })
    expect(result.code).toBe(0)
    expect(filesOutput(result)[0].source).toBe('conversion')
  })
})

describe('faults that persist', () => {
  it('fails the asset after the retries, names it, and leaves no file at all', async () => {
    emulator().fault({
      route: 'file',
      kind: 'error200',
      times: 10,
      match: emulator().storageIdOf(ROBOT, 'glb')
    })
    const result = await pull(emulator(), { entries: ROBOT, retries: '2' })
    expect(result.code).toBe(1)
    expect(fileHits()).toHaveLength(3)
    expect(log(result)).toMatch(
      /entry 0c71e96a-3da2-47f7-8c71-566eff40b81e \(glb\): the server sent a text: 'Entry not found' instead of a GLB file/
    )
    expect(await listAssets(result.workspace)).toEqual([])
    expect(filesOutput(result)).toEqual([])
  })

  it('keeps retrying 5xx only up to `retries`', async () => {
    emulator().fault({ route: 'file', kind: 'status', status: 500, times: 10 })
    const result = await pull(emulator(), { entries: ROBOT, retries: '1' })
    expect(result.code).toBe(1)
    expect(fileHits()).toHaveLength(2)
    expect(log(result)).toMatch(
      /echo3D kept failing \(HTTP 500 'Service Unavailable'\) after every retry/
    )
  })

  it('cleans up after a truncated body that never recovers', async () => {
    emulator().fault({ route: 'file', kind: 'truncate', times: 10 })
    const result = await pull(emulator(), { entries: ROBOT, retries: '1' })
    expect(result.code).toBe(1)
    expect(await listAssets(result.workspace)).toEqual([])
  })
})

describe('a download that is a chain of hops, echo3D then its storage host', () => {
  const hits = (route: string) => emulator().requests.filter(request => request.route === route)

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
