// Pulling entries, tags and storage IDs, and conversions, against the engine in-process. The
// outputs and the job summary of a real step are checked end to end in __tests__/e2e/.
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, FLOOR_PLAN, ROBOT } from '../../emulator/sample-collection.ts'
import { pullSummary, pullWith } from '../../harness/engine.ts'
import { listAssets, sha256, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()

const hits = (route: string) => emulator().requests.filter(request => request.route === route)

describe('pulling entries', () => {
  it('writes every asked format, and reports each file with the bytes it wrote', async () => {
    const run = await pullWith(emulator(), {
      inputs: { entries: `${DESK_LAMP}: glb, usdz\n# a comment\n${ROBOT}`, formats: 'glb' }
    })
    expect(run.report.failures).toEqual([])
    expect(await listAssets(run.workspace)).toEqual([
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.glb'
    ])
    const { files } = run.report
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
      expect(sha256(await readFile(path.join(run.workspace, file.path)))).toBe(file.sha256)
    }
    expect(run.log()).toMatch(/✓ Robot.glb \(glb, \d+ B, download, /)
    expect(hits('query')).toHaveLength(1)

    const summary = await pullSummary(run)
    expect(summary).toContain('<h2>echo3D assets</h2>')
    expect(summary).toContain('<td>assets/echo3d/Desk Lamp.usdz</td>')
    expect(summary).toMatch(
      /<th>File<\/th><th>Entry<\/th><th>Format<\/th><th>Size<\/th><th>Source<\/th><th>Time<\/th>/
    )
  })

  it('brings an OBJ with its material and textures when the original is asked for', async () => {
    const run = await pullWith(emulator(), { inputs: { entries: `${DESK_LAMP}: original` } })
    expect(run.report.failures).toEqual([])
    expect(await listAssets(run.workspace)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Desk Lamp.obj',
      'assets/echo3d/Lamp_BaseColor.png'
    ])
    const obj = await readFile(path.join(run.workspace, 'assets/echo3d/Desk Lamp.obj'), 'utf8')
    expect(obj).toContain('mtllib Desk Lamp.mtl')
  })

  it('selects entries by tag with the default formats', async () => {
    const run = await pullWith(emulator(), { inputs: { tags: 'release', formats: 'usdz' } })
    expect(run.report.failures).toEqual([])
    expect(run.report.files.map(file => file.path)).toEqual([
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.usdz'
    ])
  })

  it('fetches storage IDs as they are', async () => {
    const storageId = emulator().storageIdOf(ROBOT, 'usdz')!
    const run = await pullWith(emulator(), { inputs: { files: storageId, path: 'raw' } })
    expect(run.report.failures).toEqual([])
    expect(run.report.files).toEqual([
      expect.objectContaining({
        entry: null,
        storageId,
        path: `raw/${storageId}`,
        source: 'download'
      })
    ])
  })

  it('reports a storage ID echo3D does not have, saying to check it, and pulls the rest', async () => {
    const storageId = emulator().storageIdOf(ROBOT, 'usdz')!
    const mistyped = 'ffffffff-0000-4000-8000-000000000000'
    const run = await pullWith(emulator(), { inputs: { files: `${mistyped}\n${storageId}` } })
    expect(run.report.failures).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /has no file under this storage ID \(HTTP 404.*Check a storage ID given in `files` \(--files\)/
        )
      })
    ])
    expect(run.report.files.map(file => file.storageId)).toEqual([storageId])
  })

  it('honours file-name templates and a custom path', async () => {
    const run = await pullWith(emulator(), {
      inputs: {
        entries: `${DESK_LAMP}: glb\n${ROBOT}: glb`,
        path: 'public/models',
        'file-name': '{entry}/{name}-{format}.{ext}'
      }
    })
    expect(run.report.failures).toEqual([])
    expect(await listAssets(run.workspace)).toEqual(
      [
        `public/models/${ROBOT}/Robot-glb.glb`,
        `public/models/${DESK_LAMP}/Desk Lamp-glb.glb`
      ].sort()
    )
  })

  it('reports an entry ID that does not exist, by ID, and pulls the rest', async () => {
    const run = await pullWith(emulator(), { inputs: { entries: `deadbeef-0000\n${ROBOT}` } })
    expect(run.report.failures).toEqual([
      {
        label: 'entry deadbeef-0000',
        message: expect.stringMatching(/^not found in the collection/)
      }
    ])
    expect(run.report.files).toHaveLength(1)
  })
})

describe('conversion', () => {
  it('asks echo3D to convert a missing format, waits with a heartbeat, and records the new storage ID', async () => {
    // The heartbeat comes every timeout/20, at least 250 ms: about three while echo3D converts.
    emulator().conversionDelayMs = 750
    const run = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: obj`, 'convert-missing': 'true', timeout: '5s' }
    })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file).toEqual(
      expect.objectContaining({
        source: 'conversion',
        format: 'obj',
        path: 'assets/echo3d/Chair.obj'
      })
    )
    expect(file.storageId).toBe(emulator().storageIdOf(CHAIR, 'obj'))
    expect(run.log()).toMatch(/asked echo3D to convert it; waiting \(up to 5.0s\)/)
    expect(run.log()).toMatch(/still converting, waited \d/)
    expect(hits('download')).toHaveLength(1)
  })

  it('follows a conversion redirected to the storage host as a GET, without the credentials', async () => {
    emulator().downloadRedirect = 302
    const run = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: usdz`, 'convert-missing': 'true' }
    })
    expect(run.report.failures).toEqual([])
    expect(run.report.files[0].source).toBe('conversion')
    expect(hits('file').map(request => request.method)).toEqual(['GET'])
  })

  it('refuses to re-send the credentials when a conversion is redirected to another origin with 307', async () => {
    emulator().downloadRedirect = 307
    const run = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: gltf`, 'convert-missing': 'true' }
    })
    expect(run.report.failures).toEqual([
      {
        label: `entry ${CHAIR} (gltf)`,
        message: expect.stringMatching(
          /^echo3D redirected the gltf conversion of entry c4a19f02-7d55-4a8e-9b61-3f0e2d1c4b7a to http:\/\/127.0.0.1:\d+ with HTTP 307, which would send the credentials there too/
        )
      }
    ])
    expect(hits('file')).toEqual([])
  })

  it('fails a missing format without convert-missing, names the fix, and still pulls the rest', async () => {
    const run = await pullWith(emulator(), { inputs: { entries: `${FLOOR_PLAN}: usdz\n${ROBOT}` } })
    expect(run.report.failures).toEqual([
      {
        label: `entry ${FLOOR_PLAN} (usdz)`,
        message: expect.stringMatching(
          /^echo3D has no usdz file for this entry yet. Set `convert-missing: true`/
        )
      }
    ])
    expect(await listAssets(run.workspace)).toEqual(['assets/echo3d/Robot.glb'])
    expect(await pullSummary(run)).toMatch(
      /<h3>Failures<\/h3>\n<ul>\n<li>entry 9e2b7c41-1f3a-4d6b-8c5e-7a0f1b2c3d4e \(usdz\): echo3D has no usdz file/
    )
    expect(hits('download')).toHaveLength(0)
  })

  it('reports a conversion echo3D rejects, without retrying it', async () => {
    const run = await pullWith(emulator(), {
      inputs: { entries: `${FLOOR_PLAN}: usdz`, 'convert-missing': 'true' }
    })
    expect(run.report.failures[0].message).toMatch(
      /^echo3D rejected the conversion to usdz \(HTTP 400/
    )
    expect(hits('download')).toHaveLength(1)
    expect(run.clock.waits).toEqual([])
  })

  it('gives up on a conversion that outlasts timeout, leaving no partial file', async () => {
    // echo3D abandons the conversion when the action leaves: the delay is never waited out.
    emulator().conversionDelayMs = 60_000
    const started = Date.now()
    const run = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: stl`, 'convert-missing': 'true', timeout: '1s' }
    })
    expect(run.report.failures).toEqual([
      {
        label: `entry ${CHAIR} (stl)`,
        message:
          'gave up after the `timeout` of 1.0s. Raise `timeout` for large models or slow conversions'
      }
    ])
    expect(await listAssets(run.workspace)).toEqual([])
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
