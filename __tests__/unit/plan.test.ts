import { describe, expect, it } from '@jest/globals'
import { parseQueryResponse, type EntryInfo } from '../../src/engine/echo3d/metadata.js'
import { planAssets, transferOrder, type PlanRequest } from '../../src/engine/plan.js'

const LAMP = {
  id: 'lamp',
  hologram: {
    filename: 'Desk Lamp.obj',
    storageID: 'lamp-original',
    materialFilename: 'Desk Lamp.mtl',
    materialStorageID: 'lamp-mtl',
    textureFilenames: ['../Lamp_BaseColor.png'],
    textureStorageIDs: ['lamp-tex']
  },
  additionalData: {
    fileSize: '590922',
    tags: 'lighting, release',
    glbHologramStorageID: 'lamp-glb.glb',
    glbHologramStorageFilename: 'Desk Lamp.glb'
  }
}
const ROBOT = {
  id: 'robot',
  hologram: { filename: 'Robot.glb', storageID: 'robot-original' },
  additionalData: { fileSize: '48000000' }
}

function entries(): EntryInfo[] {
  return parseQueryResponse({ db: { lamp: LAMP, robot: ROBOT } })
}

function request(overrides: Partial<PlanRequest>): PlanRequest {
  return {
    entries: [],
    taggedEntries: [],
    known: new Map(entries().map(entry => [entry.id, entry])),
    files: [],
    defaultFormats: ['glb'],
    convertMissing: false,
    fileNameTemplate: '{name}.{ext}',
    destination: '/ws/assets',
    workspace: '/ws',
    ...overrides
  }
}

describe('planAssets', () => {
  it('takes a stored derived file by its storage ID', () => {
    const plan = planAssets(request({ entries: [{ id: 'lamp', formats: ['glb'] }] }))
    expect(plan.failures).toEqual([])
    expect(plan.assets).toEqual([
      expect.objectContaining({
        method: { kind: 'storage', storageId: 'lamp-glb.glb' },
        relativePath: 'Desk Lamp.glb',
        format: 'glb',
        expect: 'glb'
      })
    ])
  })

  it('takes the original when the format is the upload, with its material and textures beside it', () => {
    const plan = planAssets(request({ entries: [{ id: 'lamp', formats: ['obj'] }] }))
    expect(plan.assets.map(asset => [asset.relativePath, asset.method])).toEqual([
      ['Desk Lamp.obj', { kind: 'storage', storageId: 'lamp-original' }],
      ['Desk Lamp.mtl', { kind: 'storage', storageId: 'lamp-mtl' }],
      ['Lamp_BaseColor.png', { kind: 'storage', storageId: 'lamp-tex' }]
    ])
  })

  it('treats a GLB upload without glbHologramStorageID as its own GLB', () => {
    const plan = planAssets(request({ entries: [{ id: 'robot', formats: [] }] }))
    expect(plan.assets[0].method).toEqual({ kind: 'storage', storageId: 'robot-original' })
  })

  it('converts only a missing format, and only when allowed', () => {
    const refused = planAssets(request({ entries: [{ id: 'robot', formats: ['usdz'] }] }))
    expect(refused.assets).toEqual([])
    expect(refused.failures[0].label).toBe('entry robot (usdz)')
    expect(refused.failures[0].message).toMatch(/no usdz file.*Set `convert-missing: true`/)

    const allowed = planAssets(
      request({ entries: [{ id: 'robot', formats: ['usdz'] }], convertMissing: true })
    )
    expect(allowed.assets[0].method).toEqual({ kind: 'convert', entryId: 'robot', format: 'usdz' })
  })

  it('reports an unknown entry by its ID and plans the rest', () => {
    const plan = planAssets(
      request({
        entries: [
          { id: 'ghost', formats: [] },
          { id: 'robot', formats: [] }
        ]
      })
    )
    expect(plan.failures).toEqual([
      { label: 'entry ghost', message: expect.stringMatching(/not found in the collection/) }
    ])
    expect(plan.assets).toHaveLength(1)
  })

  it('gives tagged entries the default formats and lets explicit lines win', () => {
    const tagged = entries()
    const plan = planAssets(
      request({
        entries: [{ id: 'lamp', formats: ['obj'] }],
        taggedEntries: tagged,
        defaultFormats: ['glb']
      })
    )
    expect(plan.assets.map(asset => asset.relativePath)).toEqual([
      'Desk Lamp.obj',
      'Desk Lamp.mtl',
      'Lamp_BaseColor.png',
      'Robot.glb'
    ])
  })

  it('saves storage-ID files under their ID', () => {
    const plan = planAssets(request({ files: ['abc.glb', 'raw'] }))
    expect(plan.assets.map(asset => [asset.relativePath, asset.expect, asset.entryId])).toEqual([
      ['abc.glb', 'glb', null],
      ['raw', undefined, null]
    ])
  })

  // One file on macOS and Windows: by case, by a letter's other forms, by Unicode form.
  it.each([
    ['Chair.glb', 'chair.GLB'],
    ['\u03a3.glb', '\u03c2.glb'],
    ['Ma\u017fk.glb', 'mask.glb'],
    ['Caf\u00e9.glb', 'Cafe\u0301.glb']
  ])(
    'refuses two different files at one path before anything downloads: %s and %s',
    (first, second) => {
      const twins = parseQueryResponse({
        db: {
          a: { id: 'a', hologram: { filename: first, storageID: 's1' } },
          b: { id: 'b', hologram: { filename: second, storageID: 's2' } }
        }
      })
      const run = () =>
        planAssets(
          request({
            entries: [
              { id: 'a', formats: [] },
              { id: 'b', formats: [] }
            ],
            known: new Map(twins.map(e => [e.id, e]))
          })
        )
      const plan = run()
      expect(plan.assets.map(asset => asset.label)).toEqual(['entry a (glb)'])
      expect(plan.failures).toEqual([
        {
          label: 'entry b (glb)',
          message: expect.stringMatching(
            /it would be written to '.+\.glb', where entry a \(glb\) goes.*\{entry\}/
          ) as unknown
        }
      ])
    }
  )

  it('fills the template per asset', () => {
    const plan = planAssets(
      request({
        entries: [{ id: 'lamp', formats: ['glb', 'original'] }],
        fileNameTemplate: '{entry}/{format}/{name}.{ext}'
      })
    )
    expect(plan.assets.map(asset => asset.relativePath)).toEqual([
      'lamp/glb/Desk Lamp.glb',
      'lamp/original/Desk Lamp.obj',
      'lamp/original/Desk Lamp.mtl',
      'lamp/original/Lamp_BaseColor.png'
    ])
  })
})

describe('transferOrder', () => {
  it('starts conversions first, then the largest files; the rest keep the plan order', () => {
    const sized = parseQueryResponse({
      db: {
        lamp: LAMP,
        robot: ROBOT,
        chair: { id: 'chair', hologram: { filename: 'Chair.glb', storageID: 'chair-original' } }
      }
    })
    const plan = planAssets(
      request({
        entries: [
          { id: 'chair', formats: [] },
          { id: 'lamp', formats: ['glb', 'obj'] },
          { id: 'robot', formats: ['glb', 'usdz'] }
        ],
        known: new Map(sized.map(entry => [entry.id, entry])),
        convertMissing: true
      })
    )
    expect(transferOrder(plan.assets).map(asset => asset.relativePath)).toEqual([
      'Robot.usdz',
      'Robot.glb',
      'Desk Lamp.glb',
      'Desk Lamp.obj',
      'Chair.glb',
      'Desk Lamp.mtl',
      'Lamp_BaseColor.png'
    ])
    expect(plan.assets.map(asset => asset.relativePath)[0]).toBe('Chair.glb')
  })
})

describe('parseQueryResponse', () => {
  it('reads the envelope and derived files', () => {
    const [lamp] = entries()
    expect(lamp.originalFormat).toBe('obj')
    expect(lamp.derived.glb).toEqual({ storageId: 'lamp-glb.glb', fileName: 'Desk Lamp.glb' })
    expect(lamp.derived.obj?.storageId).toBe('lamp-original')
    expect(lamp.uploadBytes).toBe(590922)
  })

  it('leaves the size unknown when fileSize is missing or not a number', () => {
    const [unsized, odd] = parseQueryResponse({
      db: {
        a: { id: 'a', hologram: { filename: 'A.glb', storageID: 'a1' } },
        b: {
          id: 'b',
          hologram: { filename: 'B.glb', storageID: 'b1' },
          additionalData: { fileSize: '12 MB' }
        }
      }
    })
    expect(unsized.uploadBytes).toBeUndefined()
    expect(odd.uploadBytes).toBeUndefined()
  })

  it('rejects a body without db', () => {
    expect(() => parseQueryResponse({ error: 'nope' })).toThrow(/`db`/)
    expect(() => parseQueryResponse(undefined)).toThrow(/api-url/)
  })

  it('skips entries that have no stored file', () => {
    expect(
      parseQueryResponse({ db: { x: { id: 'x', hologram: { type: 'VIDEO_HOLOGRAM' } } } })
    ).toEqual([])
  })
})

describe('an entry that lists more textures than a model has', () => {
  it('fails that entry, and plans the rest', () => {
    const crowded = {
      id: 'crowded',
      hologram: {
        filename: 'Crowd.obj',
        storageID: 'crowd-original',
        textureFilenames: Array.from({ length: 300 }, (_, index) => `t${index}.png`),
        textureStorageIDs: Array.from({ length: 300 }, (_, index) => `tex-${index}`)
      }
    }
    const known = new Map(parseQueryResponse({ db: { crowded, robot: ROBOT } }).map(e => [e.id, e]))
    const plan = planAssets(
      request({
        entries: [
          { id: 'crowded', formats: ['obj'] },
          { id: 'robot', formats: [] }
        ],
        known
      })
    )
    expect(plan.assets.map(asset => asset.label)).toEqual(['entry robot (glb)'])
    expect(plan.failures[0].message).toMatch(/300 material and texture files .* more than the 256/)
  })
})
