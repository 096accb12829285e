// What changed inside each model: statistics read from real GLB files made with glTF-Transform,
// recorded in the lockfile and outputs, reviewed before → after in the job summary and the pull
// request, and the Khronos glTF Validator's verdict; bad files fail their asset alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Document, NodeIO } from '@gltf-transform/core'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { makePng, makeSample, makeUsdzArchive } from '../../emulator/samples.ts'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { filesOutput, githubRunner, LOCKFILE, log, pull } from '../support.ts'

interface ModelShape {
  triangles: number
  texture: [number, number]
  /** Metres per model unit: 100 is a model exported in centimetres read as metres. */
  scale: number
}

/** A GLB with a mesh of a known triangle count in a 1 m box, and a PNG texture of a known size. */
async function modelGlb(shape: ModelShape): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const positions = new Float32Array(shape.triangles * 9)
  for (let triangle = 0; triangle < shape.triangles; triangle++) {
    positions.set([0, 0, 0, 1, 0, 0, 0, 1, 1], triangle * 9)
  }
  const position = document.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer)
  const uvs = document
    .createAccessor()
    .setType('VEC2')
    .setArray(new Float32Array(shape.triangles * 6))
    .setBuffer(buffer)
  const texture = document
    .createTexture('base colour')
    .setImage(makePng(...shape.texture))
    .setMimeType('image/png')
  const material = document.createMaterial('paint').setBaseColorTexture(texture)
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', position)
    .setAttribute('TEXCOORD_0', uvs)
    .setMaterial(material)
  const mesh = document.createMesh('chair').addPrimitive(primitive)
  const node = document
    .createNode('chair')
    .setMesh(mesh)
    .setScale([shape.scale, shape.scale, shape.scale])
  document.createScene().addChild(node)
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/** The sample GLB with its JSON edited in place, keeping every length. */
function editedGlb(from: string, to: string): Buffer {
  const glb = makeSample('glb', 'Broken')
  const text = glb.toString('latin1')
  expect(text).toContain(from)
  expect(from.length).toBe(to.length)
  return Buffer.from(text.replace(from, to), 'latin1')
}

let emulator: Emulator
let github: GitHubDouble | undefined
const before = { triangles: 12, texture: [256, 256], scale: 1 } satisfies ModelShape
const after = { triangles: 48, texture: [2048, 2048], scale: 100 } satisfies ModelShape

beforeAll(async () => {
  const garbageImage = new Document()
  const broken = garbageImage.createBuffer()
  const positions = garbageImage
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setBuffer(broken)
  const lie = garbageImage
    .createTexture('lie')
    .setImage(Buffer.from('not a picture at all'))
    .setMimeType('image/png')
  const mesh = garbageImage
    .createMesh()
    .addPrimitive(
      garbageImage
        .createPrimitive()
        .setAttribute('POSITION', positions)
        .setMaterial(garbageImage.createMaterial().setBaseColorTexture(lie))
    )
  garbageImage.createScene().addChild(garbageImage.createNode().setMesh(mesh))
  emulator = await startEmulator({
    entries: [
      {
        id: 'chair',
        filename: 'Chair.glb',
        derived: [],
        uploads: [await modelGlb(before), await modelGlb(after)]
      },
      { id: 'lamp', filename: 'Lamp.glb', derived: [] },
      {
        id: 'packed',
        filename: 'Packed.usdz',
        derived: [],
        uploads: [
          makeUsdzArchive([
            { name: 'model.usda', data: Buffer.from('#usda 1.0\n') },
            { name: 'textures/wood.png', data: makePng(512, 256) },
            { name: 'textures/tiny.png', data: makePng(8, 8) }
          ])
        ]
      },
      { id: 'big-chair', filename: 'Big Chair.glb', derived: [], uploads: [await modelGlb(after)] },
      {
        id: 'wrong-bounds',
        filename: 'Bounds.glb',
        derived: [],
        uploads: [editedGlb('"max":[1,1,0]', '"max":[2,1,0]')]
      },
      {
        id: 'corrupt-json',
        filename: 'Corrupt.glb',
        derived: [],
        uploads: [editedGlb('{"asset"', '["asset"')]
      },
      {
        id: 'absurd-count',
        filename: 'Absurd.glb',
        derived: [],
        uploads: [editedGlb('"count":3', '"count":9')]
      },
      {
        id: 'lying-image',
        filename: 'Lying.glb',
        derived: [],
        uploads: [Buffer.from(await new NodeIO().writeBinary(garbageImage))]
      }
    ]
  })
})
afterAll(async () => {
  await emulator.close()
  await github?.close()
})

describe('model statistics and the review of a change', () => {
  it('records what each model holds, then shows before → after with markers on the jumps', async () => {
    github = await startGitHubDouble()
    const inputs = { entries: 'chair', commit: 'pull-request' }
    const first = await pull(emulator, inputs, githubRunner(github))
    expect(log(first)).not.toContain('::error::')
    expect(first.code).toBe(0)
    const [file] = filesOutput(first)
    expect(file.model).toEqual({
      triangles: 12,
      vertices: 36,
      meshes: 1,
      materials: 1,
      textures: 1,
      largestTexture: [256, 256],
      textureBytes: makePng(256, 256).length,
      animations: 0,
      size: [1, 1, 1],
      extensions: []
    })
    expect(file.validation).toEqual({ warnings: [] })
    expect(log(first)).toMatch(
      /Read the statistics of 1 model in [\d.]+s; validated 1 with the glTF Validator in [\d.]+s/
    )
    expect(first.summary).toContain('<h3>What changed in the models</h3>')
    expect(first.summary).toMatch(/<td>assets\/echo3d\/Chair\.glb<\/td>.*<td>new<\/td>/)
    const lockfile = JSON.parse(await readFile(path.join(first.workspace, LOCKFILE), 'utf8')) as {
      files: { model?: unknown }[]
    }
    expect(lockfile.files[0].model).toEqual(file.model)

    emulator.reupload('chair')
    const second = await pull(emulator, inputs, {
      ...githubRunner(github),
      workspace: first.workspace
    })
    expect(second.code).toBe(0)
    expect(filesOutput(second)[0].model).toMatchObject({
      triangles: 48,
      largestTexture: [2048, 2048],
      size: [100, 100, 100]
    })
    const row = /<td>assets\/echo3d\/Chair\.glb<\/td>.*<\/tr>/.exec(second.summary)?.[0] ?? ''
    expect(row).toContain('<td>12 → 48</td>')
    expect(row).toContain('1, largest 256×256')
    expect(row).toContain('1 × 1 × 1 → 100 × 100 × 100')
    expect(row).toMatch(
      /⚠️ <strong>triangles \+300%; .*largest texture 2048×2048; bounding box 100× larger<\/strong>/
    )

    const body = github.pulls[0].body
    expect(body).toContain('### What changed in the models')
    expect(body).toMatch(/\| ⚠️ `triangles \+300%; .*bounding box 100× larger` \|/)
    expect(body.indexOf('What changed in the models')).toBeLessThan(
      body.indexOf('| File | Entry |')
    )
  })

  it("reads a USDZ's packed files and textures, an STL's and an OBJ's counts", async () => {
    const result = await pull(emulator, {
      entries: 'packed: usdz\nlamp: stl, obj',
      'convert-missing': 'true'
    })
    expect(log(result)).not.toContain('::error::')
    expect(result.code).toBe(0)
    const models = Object.fromEntries(filesOutput(result).map(file => [file.format, file.model]))
    expect(models.usdz).toEqual({
      textures: 2,
      largestTexture: [512, 256],
      textureBytes: makePng(512, 256).length + makePng(8, 8).length,
      packedFiles: 3
    })
    expect(models.stl).toEqual({ triangles: 1, vertices: 3 })
    expect(models.obj).toEqual({ triangles: 1, vertices: 3 })
  })

  it('fails a model the validator rejects, or one that is corrupt, and no other', async () => {
    const entries = 'lamp\nwrong-bounds\ncorrupt-json\nabsurd-count\nlying-image'
    const result = await pull(emulator, { entries })
    expect(result.code).toBe(1)
    expect(filesOutput(result).map(file => file.path)).toEqual(['assets/echo3d/Lamp.glb'])
    const text = log(result)
    expect(text).toMatch(
      /entry wrong-bounds \(glb\): the Khronos glTF Validator found 1 error: ACCESSOR_MAX_MISMATCH/
    )
    expect(text).toMatch(/entry corrupt-json \(glb\): its JSON chunk is not valid JSON/)
    expect(text).toMatch(
      /entry absurd-count \(glb\): accessor 0 claims 9 elements, more than its buffer view's 36 bytes hold/
    )
    expect(text).toMatch(/entry lying-image \(glb\): image 0 has no PNG, JPEG, WebP or KTX2 header/)
    for (const name of ['Bounds.glb', 'Corrupt.glb', 'Absurd.glb', 'Lying.glb']) {
      expect(existsSync(path.join(result.workspace, 'assets/echo3d', name))).toBe(false)
    }
    // A model is checked once: the validator's verdict is final, not retried.
    const tries = emulator.requests.filter(
      request =>
        request.route === 'file' &&
        request.target.includes(emulator.storageIdOf('wrong-bounds', 'original') ?? '?')
    )
    expect(tries).toHaveLength(1)
  })
})

describe('budgets', () => {
  const budgets = 'triangles: 40\nglb.triangles: 100\ntexture-size: 1024\nbounding-box: 10'
  const broken = [
    {
      path: 'assets/echo3d/Big Chair.glb',
      format: 'glb',
      limit: 'texture-size',
      max: 1024,
      actual: 2048
    },
    {
      path: 'assets/echo3d/Big Chair.glb',
      format: 'glb',
      limit: 'bounding-box',
      max: 10,
      actual: 100
    }
  ]

  it('lists each broken limit, annotates the file and fails after writing everything; warn only reports', async () => {
    const failed = await pull(emulator, { entries: 'big-chair\nlamp', budgets })
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.outputs['over-budget'])).toEqual(broken)
    expect(existsSync(path.join(failed.workspace, 'assets/echo3d/Big Chair.glb'))).toBe(true)
    expect(log(failed)).toContain(
      '::error title=Over budget,file=assets/echo3d/Big Chair.glb::assets/echo3d/Big Chair.glb: texture-size 2048 px, over the 1024 px allowed (+100%25)'
    )
    expect(log(failed)).toMatch(
      /::error::2 budgets broken:%0A- .*bounding-box 100 m, over the 10 m allowed \(\+900%25\)%0ARaise the budgets, or set `budget-mode: warn`/
    )
    expect(failed.summary.indexOf('Over budget: 2 limits broken')).toBeLessThan(
      failed.summary.indexOf('What changed in the models')
    )

    const warned = await pull(
      emulator,
      { entries: 'big-chair', budgets, 'budget-mode': 'warn' },
      { workspace: failed.workspace }
    )
    expect(warned.code).toBe(0)
    expect(JSON.parse(warned.outputs['over-budget'])).toEqual(broken)

    const checked = await pull(
      emulator,
      { entries: 'big-chair', budgets, mode: 'check' },
      { workspace: failed.workspace }
    )
    expect(checked.code).toBe(1)
    expect(JSON.parse(checked.outputs['over-budget'])).toEqual(broken)
    expect(checked.summary).toContain('Over budget: 2 limits broken')
  })

  it('pushes nothing over budget, and opens the pull request with the broken budgets first', async () => {
    const double = await startGitHubDouble()
    try {
      const mainBefore = await double.git('rev-parse', 'main')
      const pushed = await pull(
        emulator,
        { entries: 'big-chair', budgets, commit: 'push' },
        githubRunner(double)
      )
      expect(pushed.code).toBe(1)
      expect(pushed.summary).toContain('2 budgets broken, so nothing was pushed or uploaded')
      expect(await double.git('rev-parse', 'main')).toBe(mainBefore)

      const proposed = await pull(
        emulator,
        { entries: 'big-chair', budgets, commit: 'pull-request' },
        githubRunner(double)
      )
      expect(proposed.code).toBe(1)
      expect(proposed.outputs['pull-request-operation']).toBe('created')
      const body = double.pulls[0].body
      expect(body).toMatch(
        /^This pull request updates 2 files pulled from echo3D\.\n\n### ⚠️ Over budget: 2 limits broken/
      )
      expect(body).toContain(
        '| `assets/echo3d/Big Chair.glb` | `texture-size (glb)` | `1024 px` | `2048 px` | `+100%` |'
      )
    } finally {
      await double.close()
    }
  })
})
