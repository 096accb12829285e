// Budgets: the input's lines, and which models break which limits.
import { describe, expect, it } from '@jest/globals'
import { findBudgetBreaches } from '../../src/engine/budgets.js'
import type { FileRecord } from '../../src/model.js'
import { parseBudgets } from '../../src/settings/budgets.js'

function record(format: string, bytes: number, model?: FileRecord['model']): FileRecord {
  return {
    path: `assets/m.${format}`,
    entry: 'e',
    format,
    storageId: null,
    bytes,
    sha256: '0'.repeat(64),
    model
  }
}

describe('the budgets input', () => {
  it('reads global and per-format limits, in every unit', () => {
    expect(
      parseBudgets(
        'file-size: 20MB\ntriangles: 100000 # phones\nusdz.file-size: 25MiB\nbounding-box: 2.5m\n'
      )
    ).toEqual([
      { limit: 'file-size', max: 20_000_000 },
      { limit: 'triangles', max: 100000 },
      { limit: 'file-size', max: 25 * 1024 * 1024, format: 'usdz' },
      { limit: 'bounding-box', max: 2.5 }
    ])
  })

  it.each([
    ['polygons: 5', /'polygons: 5' is not a known limit/],
    ['mtl.triangles: 5', /'mtl' is not a model format/],
    ['triangles: many', /'many' is not a whole number/],
    ['triangles: 5\ntriangles: 6', /line 2: 'triangles: 6' sets a limit already set/],
    ['bounding-box: 0', /'0' is not a length in metres/]
  ])('refuses %j', (text, message) => {
    expect(() => parseBudgets(text)).toThrow(message)
  })
})

describe('budget breaches', () => {
  const budgets = parseBudgets(
    'triangles: 100\nglb.triangles: 1000\nfile-size: 2KB\ntexture-size: 1024'
  )

  it("holds each model to its format's limit before the global one, and a model file to its size", () => {
    const files = [
      record('glb', 1000, { triangles: 500, largestTexture: [2048, 512] }),
      record('stl', 3000, { triangles: 500 }),
      record('fbx', 5000),
      record('png', 9000)
    ]
    expect(findBudgetBreaches(files, budgets)).toEqual([
      { path: 'assets/m.glb', format: 'glb', limit: 'texture-size', max: 1024, actual: 2048 },
      { path: 'assets/m.stl', format: 'stl', limit: 'triangles', max: 100, actual: 500 },
      { path: 'assets/m.stl', format: 'stl', limit: 'file-size', max: 2000, actual: 3000 },
      { path: 'assets/m.fbx', format: 'fbx', limit: 'file-size', max: 2000, actual: 5000 }
    ])
  })

  it('finds nothing without budgets', () => {
    expect(findBudgetBreaches([record('glb', 10 ** 9, { triangles: 10 ** 7 })], [])).toEqual([])
  })
})
