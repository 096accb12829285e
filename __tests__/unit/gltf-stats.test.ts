// The statistics of hostile and unusual glTF JSON, without a file: counts, transforms, refusals.
import { describe, expect, it } from '@jest/globals'
import { gltfStats, type ImageReader } from '../../src/engine/models/gltf-stats.ts'

const noImages: ImageReader = () => Promise.resolve({ bytes: 0 })

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
    const stats = await gltfStats(document(), noImages)
    // A strip of 10 vertices is 8 triangles; the mesh is drawn twice.
    expect(stats).toMatchObject({ triangles: 16, vertices: 20, meshes: 1 })
    // [5, 6] from the first node, [5, 7] from the child scaled twice under it.
    expect(stats.size).toEqual([2, 2, 2])
  })

  it('counts every mesh once when there is no scene', async () => {
    const stats = await gltfStats(document({ scenes: undefined, scene: undefined }), noImages)
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
    await expect(gltfStats(document(overrides), noImages)).rejects.toThrow(message)
  })
})
