// The `optimize` input and its mapping in echo3d.yml: the web preset, settings that change it, and
// clear refusals of what this version does not do; and its record in the lockfile.
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { parseLockfile, serializeLockfile } from '../../src/engine/lockfile.js'
import type { FileRecord, OptimizeSettings } from '../../src/model.js'
import { parseConfigFile } from '../../src/settings/config-file.js'
import { configValueCheck } from '../../src/settings/inputs.js'
import { parseEntryOptimize, parseOptimize } from '../../src/settings/optimize.js'

const PRESET: OptimizeSettings = {
  geometry: 'meshopt',
  textures: 'webp',
  textureSize: 2048,
  textureQuality: 80
}

function refusal(raw: string): string {
  try {
    parseOptimize(raw)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`'${raw}' was accepted`)
}

describe('the optimize input', () => {
  it('is off for false or blank, the web preset for true', () => {
    expect(parseOptimize('false')).toBeUndefined()
    expect(parseOptimize('')).toBeUndefined()
    expect(parseOptimize('true')).toEqual(PRESET)
    expect(parseOptimize('TRUE')).toEqual(PRESET)
  })

  it('takes one setting per line, or separated by commas, over the preset', () => {
    expect(parseOptimize('geometry: quantize\ntexture-size: 1024 # for phones')).toEqual({
      ...PRESET,
      geometry: 'quantize',
      textureSize: 1024
    })
    expect(parseOptimize('textures: keep, geometry: none')).toEqual({
      ...PRESET,
      textures: 'keep',
      geometry: 'none'
    })
    expect(parseOptimize('texture-quality: 90')).toEqual({ ...PRESET, textureQuality: 90 })
    expect(parseOptimize('geometry: draco, simplify: 0.25')).toEqual({
      ...PRESET,
      geometry: 'draco',
      simplify: 0.25
    })
    expect(parseOptimize('simplify: .5')).toEqual({ ...PRESET, simplify: 0.5 })
    expect(parseOptimize('simplify: off')).toEqual(PRESET)
  })

  it("gives AVIF its own default quality, on its encoder's scale, unless the quality is set", () => {
    expect(parseOptimize('textures: avif')).toEqual({
      ...PRESET,
      textures: 'avif',
      textureQuality: 50
    })
    expect(parseOptimize('textures: avif, texture-quality: 70')).toMatchObject({
      textureQuality: 70
    })
    const avif = parseOptimize('textures: avif')
    expect(parseOptimize('textures: webp', avif)).toMatchObject({ textureQuality: 80 })
    expect(parseOptimize('geometry: draco', avif)).toMatchObject({ textureQuality: 50 })
    const fine = parseOptimize('textures: webp, texture-quality: 90')
    expect(parseOptimize('textures: webp', fine)).toMatchObject({ textureQuality: 90 })
  })
})

describe("an entry's own optimize", () => {
  const run = parseOptimize('texture-size: 1024')

  it("changes the run's settings, or the web preset's when the run does not optimise", () => {
    expect(parseEntryOptimize('geometry: draco', run, 'chair')).toEqual({
      ...PRESET,
      geometry: 'draco',
      textureSize: 1024
    })
    expect(parseEntryOptimize('true', run, 'chair')).toEqual(run)
    expect(parseEntryOptimize('true', undefined, 'chair')).toEqual(PRESET)
    expect(parseEntryOptimize('geometry: none', undefined, 'chair')).toEqual({
      ...PRESET,
      geometry: 'none'
    })
    expect(parseEntryOptimize('false', run, 'chair')).toBe(false)
  })

  it("names the entry when its settings clash with the run's", () => {
    const keep = parseOptimize('textures: keep')
    expect(() => parseEntryOptimize('texture-size: 4096', keep, 'chair')).toThrow(
      "Input 'optimize': entry chair's settings in the configuration file, over the run's: `texture-size` and `texture-quality` apply to re-encoded textures, and `textures` is keep"
    )
  })

  it('refuses what it does not do yet, rather than ignore it, naming the input', () => {
    expect(refusal('textures: ktx2')).toBe(
      "Input 'optimize': `textures: ktx2` is not supported yet. Use one of: webp, avif, keep"
    )
  })

  it('refuses unknown settings, bad values, a setting given twice, and sizes for kept textures', () => {
    expect(refusal('yes')).toMatch(/^Input 'optimize': 'yes' is not a setting/)
    expect(refusal('geometry: tiny')).toMatch(/'tiny' is not a choice for geometry/)
    expect(refusal('texture-size: 0')).toMatch(
      /^Input 'optimize \(texture-size\)': '0' is not a whole number from 1 to 16384/
    )
    expect(refusal('texture-quality: 101')).toMatch(/from 0 to 100/)
    expect(refusal('geometry: none\ngeometry: meshopt')).toMatch(/'geometry' is set twice/)
    expect(refusal('textures: keep\ntexture-size: 512')).toMatch(/`textures` is keep/)
    for (const ratio of ['0', '1', '1.5', '50%', '0.5.1', '-0.5', 'half']) {
      expect(refusal(`simplify: ${ratio}`)).toBe(
        `Input 'optimize': '${ratio}' is not a share of triangles to keep for simplify. Write a number above 0 and below 1, such as simplify: 0.5 to keep about half the triangles, or simplify: off`
      )
    }
  })
})

describe('optimize in echo3d.yml', () => {
  const read = (text: string) =>
    parseConfigFile('echo3d.yml', text, configValueCheck(path.resolve('/work')))

  it('takes true, false, or a mapping of settings, as the input takes lines', () => {
    expect(read('optimize: true').texts.optimize).toBe('true')
    expect(read('optimize:\n  geometry: quantize\n  texture-size: 1024\n').texts.optimize).toBe(
      'geometry: quantize\ntexture-size: 1024'
    )
  })

  it('reports a setting it refuses with its line', () => {
    expect(() => read('optimize:\n  textures: ktx2\n')).toThrow(
      /echo3d\.yml:2:3: optimize: `textures: ktx2` is not supported yet/
    )
    expect(read('optimize:\n  geometry: draco\n  simplify: 0.5\n').texts.optimize).toBe(
      'geometry: draco\nsimplify: 0.5'
    )
    expect(() => read('optimize: [meshopt]')).toThrow(/optimize must be true, false, or a mapping/)
  })
})

describe('an optimised file in the lockfile', () => {
  const record: FileRecord = {
    path: 'assets/echo3d/terrain.glb',
    entry: 'terrain',
    format: 'glb',
    storageId: 'terrain.glb',
    bytes: 600_000,
    sha256: 'a'.repeat(64),
    optimized: { source: { bytes: 11_000_000, sha256: 'b'.repeat(64) }, settings: { ...PRESET } }
  }

  it('round-trips its source and settings in a fixed order', () => {
    const text = serializeLockfile([record])
    expect(parseLockfile(text, 'assets/echo3d')).toEqual([record])
    expect(text).toContain('"optimized": {\n        "source": {\n          "bytes": 11000000,')
  })

  it('writes simplify only when it is set, after the other settings', () => {
    const simplified: FileRecord = {
      ...record,
      optimized: { ...record.optimized!, settings: { ...PRESET, simplify: 0.5 } }
    }
    const text = serializeLockfile([simplified])
    expect(parseLockfile(text, 'assets/echo3d')).toEqual([simplified])
    expect(text).toContain('"textureQuality": 80,\n          "simplify": 0.5\n')
    expect(serializeLockfile([record])).not.toContain('simplify')
  })

  it('refuses a record whose settings this version would not write', () => {
    const text = serializeLockfile([record]).replace('"meshopt"', '"brotli"')
    expect(() => parseLockfile(text, 'assets/echo3d')).toThrow(/`optimized` record/)
    const whole = serializeLockfile([record]).replace(
      '"textureQuality": 80',
      '"textureQuality": 80, "simplify": 1'
    )
    expect(() => parseLockfile(whole, 'assets/echo3d')).toThrow(/`optimized` record/)
  })
})
