// `optimize`: GLB models made smaller for the web before they are written, on the optimiser's
// thread, from real models generated here: a textured terrain of 100,352 triangles (also as Draco
// compressed it), a skinned and animated strip, one with a morph target, a texture that declares
// 30,000 × 30,000 pixels, and a model that claims Draco-compressed geometry it does not hold.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { makeSample } from '../../emulator/samples.ts'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { checkWith, pullSummary, pullWith } from '../../harness/engine.ts'
import { NodeIO } from '@gltf-transform/core'
import { ALL_EXTENSIONS } from '@gltf-transform/extensions'
import draco3d from 'draco3dgltf'
import { MeshoptDecoder } from 'meshoptimizer'
import {
  animatedGlb,
  dracoCompressed,
  dracoGlb,
  gltfOf,
  patternPng,
  terrainGlb,
  textureBombGlb,
  zeroFilledGlb
} from '../../harness/optimizable.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import { glbOf } from '../../harness/models.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { LOCKFILE, listAssets, sha256, transfers } from '../support.ts'

const TERRAIN_QUADS = 224
const TERRAIN_TRIANGLES = TERRAIN_QUADS * TERRAIN_QUADS * 2
let emulator: Emulator
let terrain: Buffer
let dracoTerrain: Buffer

beforeAll(async () => {
  terrain = await terrainGlb(TERRAIN_QUADS, patternPng(512))
  dracoTerrain = await dracoCompressed(await terrainGlb(64, patternPng(64)))
  const glb = (id: string, upload: Buffer) => ({
    id,
    filename: `${id}.glb`,
    derived: [],
    uploads: [upload]
  })
  emulator = await startEmulator({
    entries: [
      glb('terrain', terrain),
      glb('bomb', await textureBombGlb()),
      glb('draco', dracoGlb()),
      glb('draco-large', dracoGlb(10_000_000)),
      glb('draco-huge', dracoGlb(30_000_000)),
      glb('draco-terrain', dracoTerrain),
      glb('draco-lying', withCounts(dracoTerrain, 3)),
      glb('rigged', await animatedGlb(40)),
      {
        id: 'scene',
        filename: 'scene.gltf',
        derived: [],
        uploads: [await gltfOf(await terrainGlb(32, patternPng(128)))]
      },
      {
        id: 'apart',
        filename: 'apart.gltf',
        derived: [],
        uploads: [await gltfOf(await terrainGlb(4, patternPng(8)), { externalTexture: true })]
      },
      glb('morphing', await animatedGlb(40, { morph: true })),
      glb('small', await terrainGlb(4, patternPng(8))),
      glb(
        'many-maps',
        await terrainGlb(
          2,
          patternPng(16, [8192, 8192]),
          patternPng(16, [8192, 8191]),
          patternPng(16, [8191, 8192])
        )
      ),
      glb('zeros', zeroFilledGlb(20_000_000)),
      { id: 'statue', filename: 'statue.stl', derived: [], uploads: [makeSample('stl', 'Statue')] }
    ]
  })
})
afterAll(() => emulator.close())

interface LockedFile {
  path: string
  bytes: number
  sha256: string
  optimized?: { source: { bytes: number; sha256: string }; settings: Record<string, unknown> }
}

/** The GLB with every accessor claiming `count` elements, its bytes otherwise as they were. */
function withCounts(glb: Buffer, count: number): Buffer {
  const jsonLength = glb.readUInt32LE(12)
  const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8')) as {
    accessors: { count: number }[]
  }
  for (const accessor of json.accessors) accessor.count = count
  return glbOf(Buffer.from(JSON.stringify(json)), glb.subarray(20 + jsonLength + 8))
}

/** The written model as glTF-Transform reads it, every compression it may use decoded. */
async function readModel(workspace: string, file: { path: string }) {
  const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
    'meshopt.decoder': MeshoptDecoder,
    'draco3d.decoder': await draco3d.createDecoderModule()
  })
  await MeshoptDecoder.ready
  return io.read(path.join(workspace, file.path))
}

async function lockfileOf(workspace: string): Promise<LockedFile[]> {
  const text = await readFile(path.join(workspace, LOCKFILE), 'utf8')
  return (JSON.parse(text) as { files: LockedFile[] }).files
}

describe('optimize', () => {
  let first: Awaited<ReturnType<typeof pullWith>>

  it('writes the terrain smaller, valid, with every triangle, its statistics and budgets on what is written', async () => {
    first = await pullWith(emulator, {
      inputs: { entries: 'terrain', optimize: 'true', budgets: 'glb.file-size: 1MB' }
    })
    expect(first.report.failures).toEqual([])
    expect(first.report.overBudget).toEqual([])
    const [file] = first.report.files
    expect(file.bytes).toBeLessThan(terrain.length * 0.2)
    expect(file.model?.triangles).toBe(TERRAIN_TRIANGLES)
    expect(file.model?.largestTexture).toEqual([512, 512])
    expect(file.model?.extensions).toEqual([
      'EXT_meshopt_compression',
      'EXT_texture_webp',
      'KHR_mesh_quantization'
    ])
    expect(file.validation?.skipped).toBeUndefined()
    const written = await readFile(path.join(first.workspace, file.path))
    expect({ bytes: written.length, sha256: sha256(written) }).toEqual({
      bytes: file.bytes,
      sha256: file.sha256
    })
    const settings = {
      geometry: 'meshopt',
      textures: 'webp',
      textureSize: 2048,
      textureQuality: 80
    }
    const source = {
      bytes: terrain.length,
      sha256: sha256(terrain),
      model: expect.objectContaining({
        triangles: TERRAIN_TRIANGLES,
        largestTexture: [512, 512],
        textureFormats: ['png']
      })
    }
    expect(file.model?.textureFormats).toEqual(['webp'])
    expect(file.optimized).toEqual({ source, settings })
    const [record] = await lockfileOf(first.workspace)
    expect(record).toMatchObject({ bytes: file.bytes, sha256: file.sha256 })
    expect(record.optimized).toEqual({ source, settings })
    expect(await listAssets(first.workspace)).toEqual(['assets/echo3d/terrain.glb'])
    const summary = await pullSummary(first)
    expect(summary).toContain('<h3>Optimised for the web</h3>')
    expect(summary).toMatch(
      /<td>assets\/echo3d\/terrain\.glb<\/td><td>3\.\d+ MiB<\/td><td>\d+\.\d KiB<\/td><td>−9\d\.\d %<\/td><td>100,352<\/td><td>512 × 512, PNG → 512 × 512, WebP<\/td>/
    )
    expect(summary).toContain('three.js&#39;s GLTFLoader.setMeshoptDecoder(MeshoptDecoder)')
    expect(summary).toContain('WebP support for the textures (EXT_texture_webp)')
  })

  it('writes the same bytes again from scratch', async () => {
    const again = await pullWith(emulator, { inputs: { entries: 'terrain', optimize: 'true' } })
    expect(again.report.files[0].sha256).toBe(first.report.files[0].sha256)
  })

  it('leaves the file unchanged, with no transfer, while the source and settings are the same; re-optimises when they change', async () => {
    const { workspace } = first
    emulator.reset()
    const same = await pullWith(emulator, {
      workspace,
      inputs: { entries: 'terrain', optimize: 'true' }
    })
    expect(same.report.files[0]).toMatchObject({
      source: 'unchanged',
      sha256: first.report.files[0].sha256,
      optimized: first.report.files[0].optimized
    })
    expect(transfers(emulator)).toBe(0)
    const changed = { entries: 'terrain', optimize: 'texture-size: 256' }
    const check = await checkWith(emulator, { workspace, inputs: changed })
    expect(check.report.stale.map(stale => stale.reason)).toEqual([
      'the `optimize` settings changed'
    ])
    const smaller = await pullWith(emulator, { workspace, inputs: changed })
    const [file] = smaller.report.files
    expect(file.source).toBe('download')
    expect(file.model?.largestTexture).toEqual([256, 256])
    expect(file.optimized?.settings.textureSize).toBe(256)
    expect(file.before?.bytes).toBe(first.report.files[0].bytes)
    expect(smaller.log()).toContain('the `optimize` settings changed; pulling it again')
  })

  it('refuses a texture that declares 30,000 × 30,000 pixels unread, and a model it cannot read, each alone', async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'bomb\ndraco\nsmall', optimize: 'true' }
    })
    expect(run.report.failures).toEqual([
      {
        label: 'entry bomb (glb)',
        message:
          'optimising textures: texture 0 declares 30000 × 30000 pixels, more than the 67,108,864 (8192 × 8192) the optimiser decodes: refused unread'
      },
      {
        label: 'entry draco (glb)',
        message: 'reading the model to optimise: a Draco stream is not a mesh that Draco can decode'
      }
    ])
    expect(run.report.files.map(file => file.path)).toEqual(['assets/echo3d/small.glb'])
    expect(await listAssets(run.workspace)).toEqual(['assets/echo3d/small.glb'])
  })
})

describe('optimize with Draco and simplify', () => {
  it('compresses with Draco, every triangle kept, the same bytes on every run, and says which decoder an app needs', async () => {
    const inputs = { entries: 'terrain', optimize: 'geometry: draco' }
    const run = await pullWith(emulator, { inputs })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.bytes).toBeLessThan(terrain.length * 0.2)
    expect(file.model?.triangles).toBe(TERRAIN_TRIANGLES)
    expect(file.model?.extensions).toEqual(['EXT_texture_webp', 'KHR_draco_mesh_compression'])
    expect(file.validation?.skipped).toBeUndefined()
    expect(file.optimized?.settings.geometry).toBe('draco')
    const summary = await pullSummary(run)
    expect(summary).toContain('a Draco decoder for the geometry (KHR_draco_mesh_compression)')
    const again = await pullWith(emulator, { inputs })
    expect(again.report.files[0].sha256).toBe(file.sha256)
  })

  it('reads a Draco-compressed source, and writes it with meshopt, every triangle kept', async () => {
    const run = await pullWith(emulator, { inputs: { entries: 'draco-terrain', optimize: 'true' } })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.model?.triangles).toBe(64 * 64 * 2)
    expect(file.model?.extensions).not.toContain('KHR_draco_mesh_compression')
    expect(file.model?.extensions).toContain('EXT_meshopt_compression')
  })

  it('re-encodes textures as AVIF, the same bytes on every run, and says what an app needs', async () => {
    const inputs = { entries: 'small', optimize: 'textures: avif' }
    const run = await pullWith(emulator, { inputs })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.model).toMatchObject({ textureFormats: ['avif'], largestTexture: [8, 8] })
    expect(file.model?.extensions).toContain('EXT_texture_avif')
    expect(file.optimized?.settings).toMatchObject({ textures: 'avif', textureQuality: 50 })
    expect(await pullSummary(run)).toContain('AVIF support for the textures (EXT_texture_avif)')
    const again = await pullWith(emulator, { inputs })
    expect(again.report.files[0].sha256).toBe(file.sha256)
  })

  it('keeps about the share of triangles simplify asks for, and records it', async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'terrain', optimize: 'simplify: 0.5' }
    })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.model?.triangles).toBeGreaterThan(TERRAIN_TRIANGLES * 0.4)
    expect(file.model?.triangles).toBeLessThan(TERRAIN_TRIANGLES * 0.6)
    const [record] = await lockfileOf(run.workspace)
    expect(record.optimized?.settings).toMatchObject({ simplify: 0.5 })
    expect(await pullSummary(run)).toMatch(/<td>100,352 → \d\d,\d\d\d<\/td>/)
  })
})

describe('optimize with glTF files', () => {
  it('writes a glTF with its buffers and textures embedded, smaller, valid, every triangle kept', async () => {
    const inputs = { entries: 'scene: original', optimize: 'true' }
    const run = await pullWith(emulator, { inputs })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.path).toBe('assets/echo3d/scene.gltf')
    expect(file.optimized?.source.bytes).toBeGreaterThan(file.bytes * 2)
    expect(file.validation?.skipped).toBeUndefined()
    expect(file.model).toMatchObject({
      triangles: 32 * 32 * 2,
      textureFormats: ['webp'],
      extensions: ['EXT_meshopt_compression', 'EXT_texture_webp', 'KHR_mesh_quantization']
    })
    const written = JSON.parse(await readFile(path.join(run.workspace, file.path), 'utf8')) as {
      buffers: { uri?: string }[]
      images: { uri?: string }[]
    }
    const uris = [...written.buffers, ...written.images].flatMap(item => item.uri ?? [])
    expect(uris.length).toBeGreaterThan(1)
    for (const uri of uris)
      expect(uri).toMatch(/^data:(application\/octet-stream|image\/webp);base64,/)
    const again = await pullWith(emulator, { inputs })
    expect(again.report.files[0].sha256).toBe(file.sha256)
    expect(run.report.notes).toEqual([])
  })

  it('fails a glTF whose texture is a file beside it, alone: the validator cannot load it', async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'apart: original\nscene: original', optimize: 'true' }
    })
    expect(run.report.failures).toEqual([
      {
        label: 'entry apart (original)',
        message: expect.stringMatching(
          /^validating the source: the Khronos glTF Validator found 1 error: IO_ERROR: .+\(\/images\/0\/uri\)$/
        )
      }
    ])
    expect(run.report.files.map(file => file.path)).toEqual(['assets/echo3d/scene.gltf'])
  })
})

describe('optimize per entry, in echo3d.yml', () => {
  const config = [
    'optimize:',
    '  texture-size: 256',
    'entries:',
    '  - small',
    '  - id: terrain',
    '    optimize:',
    '      geometry: draco',
    '  - id: rigged',
    '    optimize: false',
    ''
  ].join('\n')

  it("gives an entry's own settings over the run's, and turns it off for another", async () => {
    const workspace = await scratchFolder('optimize-per-entry')
    await writeFile(path.join(workspace, 'echo3d.yml'), config)
    const run = await pullWith(emulator, { inputs: { config: 'echo3d.yml' }, workspace })
    expect(run.report.failures).toEqual([])
    const byName = new Map(run.report.files.map(file => [path.basename(file.path), file]))
    expect(byName.get('small.glb')?.optimized?.settings).toMatchObject({
      geometry: 'meshopt',
      textureSize: 256
    })
    expect(byName.get('terrain.glb')?.optimized?.settings).toMatchObject({
      geometry: 'draco',
      textureSize: 256
    })
    expect(byName.get('terrain.glb')?.model?.largestTexture).toEqual([256, 256])
    expect(byName.get('rigged.glb')?.optimized).toBeUndefined()
    expect(run.report.notes).toEqual([])
    emulator.reset()
    const again = await pullWith(emulator, { inputs: { config: 'echo3d.yml' }, workspace })
    expect(again.report.files.map(file => file.source)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged'
    ])
    expect(transfers(emulator)).toBe(0)
  })

  it('reports a bad setting of an entry with its line', async () => {
    const workspace = await scratchFolder('optimize-per-entry-bad')
    const bad = 'entries:\n  - id: terrain\n    optimize:\n      simplify: 2\n'
    await writeFile(path.join(workspace, 'echo3d.yml'), bad)
    await expect(
      pullWith(emulator, { inputs: { config: 'echo3d.yml' }, workspace })
    ).rejects.toThrow(/echo3d\.yml:4:7: optimize: '2' is not a share of triangles to keep/)
  })
})

describe('optimize with skinned, animated and morphing models', () => {
  it.each([
    ['the web preset', 'true'],
    ['Draco', 'geometry: draco']
  ])(
    'keeps every triangle, attribute, joint, animation and morph target with %s',
    async (_name, optimize) => {
      const run = await pullWith(emulator, { inputs: { entries: 'rigged\nmorphing', optimize } })
      expect(run.report.failures).toEqual([])
      for (const file of run.report.files) {
        expect(file.optimized).toBeDefined()
        expect(file.validation?.skipped).toBeUndefined()
        expect(file.model).toMatchObject({ triangles: 80, animations: 1 })
        const root = (await readModel(run.workspace, file)).getRoot()
        const [primitive] = root.listMeshes()[0].listPrimitives()
        expect(primitive.listSemantics().sort()).toEqual([
          'JOINTS_0',
          'NORMAL',
          'POSITION',
          'WEIGHTS_0'
        ])
        expect(
          root
            .listSkins()[0]
            .listJoints()
            .map(joint => joint.getName())
        ).toEqual(['root', 'bend'])
        const [animation] = root.listAnimations()
        const paths = animation.listChannels().map(channel => channel.getTargetPath())
        const morphing = file.path.endsWith('morphing.glb')
        expect(paths).toEqual(morphing ? ['rotation', 'weights'] : ['rotation'])
        expect(primitive.listTargets()).toHaveLength(morphing ? 1 : 0)
      }
    }
  )
})

describe('optimize with models of other formats', () => {
  it('writes them as echo3D serves them, and says so once', async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'small\nstatue: original', optimize: 'true' }
    })
    expect(run.report.failures).toEqual([])
    const statue = run.report.files.find(file => file.path.endsWith('.stl'))
    expect(statue?.optimized).toBeUndefined()
    expect(statue?.sha256).toBe(sha256(makeSample('stl', 'Statue')))
    expect(run.report.notes).toEqual([
      '`optimize` applies to GLB and glTF files; written as echo3D serves them: 1 model (STL).'
    ])
    expect(await pullSummary(run)).toContain('written as echo3D serves them: 1 model (STL).')
  })
})

describe('optimize with models that ask for more memory than they hold', () => {
  it('refuses unread textures that are each within the limit but too many pixels together', async () => {
    const run = await pullWith(emulator, { inputs: { entries: 'many-maps', optimize: 'true' } })
    expect(run.report.failures.map(failure => failure.message)).toEqual([
      expect.stringMatching(
        /^optimising textures: its textures declare 201,310,208 pixels in all, more than the 134,217,728 the optimiser decodes for one model: refused unread/
      )
    ])
  })

  it("counts Draco's accessors apart from zero-filled ones, within a limit of their own", async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'draco-large\ndraco-huge', optimize: 'true' }
    })
    expect(run.report.failures.map(failure => failure.message)).toEqual([
      'reading the model to optimise: a Draco stream is not a mesh that Draco can decode',
      'reading the model to optimise: its compressed geometry (Draco, meshopt) declares 90,000,000 values, more than the 67,108,864 the optimiser decodes'
    ])
  })

  it('refuses a Draco stream that decodes to more than its accessors declare, unread by glTF-Transform', async () => {
    const run = await pullWith(emulator, { inputs: { entries: 'draco-lying', optimize: 'true' } })
    expect(run.report.failures.map(failure => failure.message)).toEqual([
      "reading the model to optimise: mesh 0 primitive 0's Draco stream decodes to 4,225 points and 8,192 triangles, not what its accessors declare"
    ])
  })

  it('refuses accessors that ask for millions of values the file does not hold', async () => {
    const run = await pullWith(emulator, { inputs: { entries: 'zeros', optimize: 'true' } })
    expect(run.report.failures.map(failure => failure.message)).toEqual([
      expect.stringMatching(
        /^reading the model to optimise: its accessors without data ask for 60,000,000 values, more than the 16,777,216/
      )
    ])
    expect(await listAssets(run.workspace)).toEqual([])
  })
})

describe("optimize with the runner's cache", () => {
  it('optimises again from the cached source when the settings change, with no transfer', async () => {
    const toolCache = await scratchFolder('optimize-tool-cache')
    const restore = setEnvironment({ RUNNER_ENVIRONMENT: undefined, RUNNER_TOOL_CACHE: toolCache })
    try {
      const first = await pullWith(emulator, {
        inputs: { entries: 'small', optimize: 'true' },
        cache: 'runner'
      })
      expect(first.report.files[0].optimized).toBeDefined()
      emulator.reset()
      const again = await pullWith(emulator, {
        workspace: first.workspace,
        inputs: { entries: 'small', optimize: 'geometry: quantize' },
        cache: 'runner'
      })
      const [file] = again.report.files
      expect(file.source).toBe('cache')
      expect(file.optimized?.settings.geometry).toBe('quantize')
      expect(file.optimized?.source).toEqual(first.report.files[0].optimized?.source)
      expect(transfers(emulator)).toBe(0)
    } finally {
      restore()
    }
  })
})
