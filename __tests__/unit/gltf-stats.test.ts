// The statistics of hostile and unusual glTF JSON, without a file: counts, transforms, refusals,
// and a cost that follows the JSON's length, bounded by the deadline.
import { describe, expect, it } from '@jest/globals'
import { instancedGlb } from '../../harness/models.ts'
import { TimeoutError } from '../../src/errors.ts'
import { Deadline } from '../../src/engine/models/deadline.ts'
import { gltfStats, MAX_IMAGES, type ImageReader } from '../../src/engine/models/gltf-stats.ts'

const noImages: ImageReader = () => Promise.resolve({ bytes: 0 })
const minute = () => Deadline.after(60_000)

/** The JSON chunk of a GLB, parsed. */
function jsonOf(glb: Buffer): unknown {
  return JSON.parse(glb.toString('utf8', 20, 20 + glb.readUInt32LE(12)))
}

/** A deadline `timeoutMs` away on a clock that moves on by a millisecond each time it is read. */
function countingDeadline(timeoutMs: number): { deadline: Deadline; reads: () => number } {
  let now = 0
  const deadline = Deadline.after(timeoutMs, () => now++)
  return { deadline, reads: () => now }
}

function document(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [
      { mesh: 0, translation: [5, 0, 0], children: [1] },
      { mesh: 0, scale: [2, 2, 2] }
    ],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, mode: 5 }] }],
    accessors: [{ componentType: 5126, type: 'VEC3', count: 10, min: [0, 0, 0], max: [1, 1, 1] }],
    ...overrides
  }
}

describe('glTF statistics', () => {
  it('counts each mesh as the scene draws it, strips included, and sizes the scene box', async () => {
    const stats = await gltfStats(document(), noImages, minute())
    // A strip of 10 vertices is 8 triangles; the mesh is drawn twice.
    expect(stats).toMatchObject({ triangles: 16, vertices: 20, meshes: 1 })
    // [5, 6] from the first node, [5, 7] from the child scaled twice under it.
    expect(stats.size).toEqual([2, 2, 2])
  })

  it('counts every mesh once when there is no scene', async () => {
    const stats = await gltfStats(
      document({ scenes: undefined, scene: undefined }),
      noImages,
      minute()
    )
    expect(stats.triangles).toBe(8)
  })

  it.each([
    [{ asset: { version: '1.0' } }, /not glTF 2\.0/],
    [{ nodes: [{ children: [1] }, { children: [0] }] }, /node 0 is placed twice/],
    [{ scenes: [{ nodes: [7] }] }, /refers to nodes\[7\], which does not exist/],
    [{ accessors: [{ count: -1 }] }, /accessor 0 has an impossible count/],
    [{ nodes: [{ mesh: 0, matrix: [1, 2] }] }, /node 0's matrix is not 16 numbers/],
    [{ meshes: 'many' }, /`meshes` is not a list/]
  ])('refuses %j', async (overrides, message) => {
    await expect(gltfStats(document(overrides), noImages, minute())).rejects.toThrow(message)
  })

  it('sums each mesh once for all the nodes that draw it: 4,000 nodes × 4,000 primitives at once', async () => {
    const document = jsonOf(instancedGlb(4_000, 4_000))
    const startedAt = performance.now()
    const stats = await gltfStats(document, noImages, minute())
    expect(performance.now() - startedAt).toBeLessThan(1_000)
    expect(stats).toMatchObject({ triangles: 16_000_000, vertices: 48_000_000, meshes: 1 })
    // A metre apart along x, from 0 to 3,999, each a triangle a metre wide and high.
    expect(stats.size).toEqual([4_000, 1, 0])
  })

  it('sizes a mesh of several primitives from its own box, wherever its nodes put it', async () => {
    const stats = await gltfStats(
      document({
        nodes: [{ mesh: 0, translation: [10, 0, 0] }, { mesh: 0 }],
        scenes: [{ nodes: [0, 1] }],
        meshes: [
          {
            primitives: [
              { attributes: { POSITION: 0 } },
              { attributes: { POSITION: 1 }, indices: 0 }
            ]
          }
        ],
        accessors: [
          { componentType: 5126, type: 'VEC3', count: 9, min: [0, 0, 0], max: [1, 1, 1] },
          { componentType: 5126, type: 'VEC3', count: 3, min: [-2, 0, 0], max: [0, 3, 0] }
        ]
      }),
      noImages,
      minute()
    )
    // 3 + 3 triangles, drawn twice; from x = −2 (the second node) to 11 (the first).
    expect(stats).toMatchObject({ triangles: 12, vertices: 24, size: [13, 3, 1] })
  })

  it('stops at the deadline while it walks the nodes, in steps the file cannot stretch', async () => {
    const { deadline, reads } = countingDeadline(100)
    await expect(gltfStats(jsonOf(instancedGlb(4_000, 1)), noImages, deadline)).rejects.toThrow(
      new TimeoutError(
        'reading what the model holds took it past its `timeout` of 0.1s. Raise `timeout` if the model really is that large',
        false
      )
    )
    expect(reads()).toBeLessThan(110)
  })

  it('stops at the deadline while it sums the primitives of one mesh', async () => {
    const { deadline } = countingDeadline(100)
    const document = jsonOf(instancedGlb(1, 4_000))
    await expect(gltfStats(document, noImages, deadline)).rejects.toThrow(TimeoutError)
  })

  it('refuses more images than a model holds before it reads one, and stops at the deadline among them', async () => {
    let read = 0
    const counting: ImageReader = () => Promise.resolve({ bytes: ++read })
    const images = (count: number) => document({ images: Array(count).fill({}) })
    await expect(gltfStats(images(MAX_IMAGES + 1), counting, minute())).rejects.toThrow(
      `it has ${MAX_IMAGES + 1} images, more than the ${MAX_IMAGES} a model holds`
    )
    expect(read).toBe(0)
    const { deadline } = countingDeadline(500)
    await expect(gltfStats(images(MAX_IMAGES), counting, deadline)).rejects.toThrow(TimeoutError)
    expect(read).toBeLessThan(500)
  })
})
