import { describe, expect, it } from '@jest/globals'
import { CHAIR, DESK_LAMP, FLOOR_PLAN, ROBOT } from '../../emulator/sample-collection.ts'
import {
  filesOutput,
  listAssets,
  log,
  pull,
  readWorkspaceFile,
  sha256,
  sharedEmulator
} from '../support.ts'

const emulator = sharedEmulator()

describe('pulling entries', () => {
  it('writes every asked format, with outputs and a summary that match the bytes', async () => {
    const result = await pull(emulator(), {
      entries: `${DESK_LAMP}: glb, usdz\n# a comment\n${ROBOT}`,
      formats: 'glb'
    })
    expect(result.code).toBe(0)
    expect(await listAssets(result.workspace)).toEqual([
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.glb'
    ])

    const files = filesOutput(result)
    expect(files.map(file => [file.path, file.format, file.source, file.entry])).toEqual([
      ['assets/echo3d/Desk Lamp.glb', 'glb', 'download', DESK_LAMP],
      ['assets/echo3d/Desk Lamp.usdz', 'usdz', 'download', DESK_LAMP],
      ['assets/echo3d/Robot.glb', 'glb', 'download', ROBOT]
    ])
    for (const file of files) {
      const served = emulator().fileBytes(file.storageId ?? '')
      expect(served).toBeDefined()
      expect(file.sha256).toBe(sha256(served!))
      expect(file.bytes).toBe(served!.length)
      expect(sha256(await readWorkspaceFile(result, file.path))).toBe(file.sha256)
    }
    expect(result.outputs.count).toBe('3')
    expect(result.outputs.bytes).toBe(String(files.reduce((sum, file) => sum + file.bytes, 0)))
    expect(result.outputs['cache-hits']).toBe('0')

    expect(result.summary).toContain('<h2>echo3D assets</h2>')
    expect(result.summary).toContain('<td>assets/echo3d/Desk Lamp.usdz</td>')
    expect(result.summary).toMatch(
      /<th>File<\/th><th>Entry<\/th><th>Format<\/th><th>Size<\/th><th>Source<\/th><th>Time<\/th>/
    )
    expect(log(result)).toMatch(/✓ Robot.glb \(glb, \d+ B, download, /)

    const queries = emulator().requests.filter(request => request.route === 'query')
    expect(queries).toHaveLength(1)
  })

  it('brings an OBJ with its material and textures when the original is asked for', async () => {
    const result = await pull(emulator(), { entries: `${DESK_LAMP}: original` })
    expect(result.code).toBe(0)
    expect(await listAssets(result.workspace)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Desk Lamp.obj',
      'assets/echo3d/Lamp_BaseColor.png'
    ])
    const obj = (await readWorkspaceFile(result, 'assets/echo3d/Desk Lamp.obj')).toString()
    expect(obj).toContain('mtllib Desk Lamp.mtl')
  })

  it('selects entries by tag with the default formats', async () => {
    const result = await pull(emulator(), { tags: 'release', formats: 'usdz' })
    expect(result.code).toBe(0)
    expect(filesOutput(result).map(file => file.path)).toEqual([
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.usdz'
    ])
  })

  it('fetches storage IDs as they are', async () => {
    const storageId = emulator().storageIdOf(ROBOT, 'usdz')!
    const result = await pull(emulator(), { files: storageId, path: 'raw' })
    expect(result.code).toBe(0)
    expect(filesOutput(result)).toEqual([
      expect.objectContaining({
        entry: null,
        storageId,
        path: `raw/${storageId}`,
        source: 'download'
      })
    ])
  })

  it('honours file-name templates and a custom path', async () => {
    const result = await pull(emulator(), {
      entries: `${DESK_LAMP}: glb\n${ROBOT}: glb`,
      path: 'public/models',
      'file-name': '{entry}/{name}-{format}.{ext}'
    })
    expect(result.code).toBe(0)
    expect(await listAssets(result.workspace)).toEqual(
      [
        `public/models/${ROBOT}/Robot-glb.glb`,
        `public/models/${DESK_LAMP}/Desk Lamp-glb.glb`
      ].sort()
    )
  })
})

describe('conversion', () => {
  it('asks echo3D to convert a missing format, waits with a heartbeat, and records the new storage ID', async () => {
    emulator().conversionDelayMs = 3500
    const result = await pull(emulator(), {
      entries: `${CHAIR}: obj`,
      'convert-missing': 'true',
      timeout: '30s'
    })
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    expect(file).toEqual(
      expect.objectContaining({
        source: 'conversion',
        format: 'obj',
        path: 'assets/echo3d/Chair.obj'
      })
    )
    expect(file.storageId).toBe(emulator().storageIdOf(CHAIR, 'obj'))
    expect(log(result)).toMatch(/asked echo3D to convert it/)
    expect(log(result)).toMatch(/still converting, waited \d/)
    expect(emulator().requests.filter(request => request.route === 'download')).toHaveLength(1)
  })

  it('follows a conversion redirected to the storage host as a GET, without the credentials', async () => {
    emulator().downloadRedirect = 302
    const result = await pull(emulator(), { entries: `${CHAIR}: usdz`, 'convert-missing': 'true' })
    expect(result.code).toBe(0)
    expect(filesOutput(result)[0].source).toBe('conversion')
    const storageHits = emulator().requests.filter(request => request.route === 'file')
    expect(storageHits.map(request => request.method)).toEqual(['GET'])
  })

  it('refuses to re-send the credentials when a conversion is redirected to another origin with 307', async () => {
    emulator().downloadRedirect = 307
    const result = await pull(emulator(), { entries: `${CHAIR}: gltf`, 'convert-missing': 'true' })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /echo3D redirected the gltf conversion of entry c4a19f02-7d55-4a8e-9b61-3f0e2d1c4b7a to http:\/\/127.0.0.1:\d+ with HTTP 307, which would send the credentials there too/
    )
    expect(emulator().requests.filter(request => request.route === 'file')).toEqual([])
  })

  it('fails a missing format without convert-missing, names the fix, and still pulls the rest', async () => {
    const result = await pull(emulator(), { entries: `${FLOOR_PLAN}: usdz\n${ROBOT}` })
    expect(result.code).toBe(1)
    expect(log(result)).toContain(
      `entry ${FLOOR_PLAN} (usdz): echo3D has no usdz file for this entry yet. Set \`convert-missing: true\``
    )
    expect(await listAssets(result.workspace)).toEqual(['assets/echo3d/Robot.glb'])
    expect(result.summary).toContain('<h3>Failures</h3>')
    expect(emulator().requests.filter(request => request.route === 'download')).toHaveLength(0)
  })

  it('reports a conversion echo3D rejects, without retrying it', async () => {
    const result = await pull(emulator(), {
      entries: `${FLOOR_PLAN}: usdz`,
      'convert-missing': 'true'
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /entry 9e2b7c41-1f3a-4d6b-8c5e-7a0f1b2c3d4e \(usdz\): echo3D rejected the conversion to usdz \(HTTP 400/
    )
    expect(emulator().requests.filter(request => request.route === 'download')).toHaveLength(1)
  })

  it('gives up on a conversion that outlasts timeout, leaving no partial file', async () => {
    emulator().conversionDelayMs = 8000
    const result = await pull(emulator(), {
      entries: `${CHAIR}: stl`,
      'convert-missing': 'true',
      timeout: '3s'
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /entry c4a19f02-7d55-4a8e-9b61-3f0e2d1c4b7a \(stl\): gave up after the `timeout` of 3.0s. Raise `timeout`/
    )
    expect(await listAssets(result.workspace)).toEqual([])
  })

  it('reports an entry ID that does not exist, by ID', async () => {
    const result = await pull(emulator(), { entries: `deadbeef-0000\n${ROBOT}` })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/entry deadbeef-0000: not found in the collection/)
    expect(filesOutput(result)).toHaveLength(1)
  })
})
