import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import {
  baseNameOf,
  isBelow,
  isInside,
  renderFileName,
  resolveInside,
  sanitizeSegment
} from '../../src/engine/naming.js'

describe('sanitizeSegment', () => {
  it.each([
    ['Desk Lamp.obj', 'Desk Lamp.obj'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\evil.glb', 'evil.glb'],
    ['/absolute/name.usdz', 'name.usdz'],
    ['..', 'fallback'],
    ['...hidden', 'hidden'],
    ['a<b>c:d|e?f*g"h', 'a_b_c_d_e_f_g_h'],
    ['tab\there\u0000nul', 'tabherenul'],
    ['CON.glb', '_CON.glb'],
    ['com¹.glb', '_com¹.glb'],
    ['CONIN$.glb', '_CONIN$.glb'],
    ['conout$', '_conout$'],
    ['LPT9', '_LPT9'],
    ['console.glb', 'console.glb'],
    ['zero\u200bwidth\u202eevil\u0085.glb', 'zerowidthevil.glb'],
    ['trailing. ', 'trailing'],
    ['', 'fallback']
  ])('turns %j into %j', (raw, expected) => expect(sanitizeSegment(raw, 'fallback')).toBe(expected))

  // Windows opens a device for a name whose part before the first dot, without its trailing
  // spaces and dots, is a device's name: `nul .x.glb` is NUL.
  const DEVICES = ['CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$', 'COM1', 'COM9', 'LPT1', 'LPT³']
  const opensADevice = (name: string) =>
    DEVICES.includes(
      name
        .split('.')[0]
        .replace(/[ .]+$/, '')
        .toUpperCase()
    )

  it.each(['nul .x.glb', 'COM1 .tar.glb', 'LPT1 . .b.glb', 'aux  ', 'Con . glb', 'prn.tar.gz'])(
    'never writes %j as a name Windows opens as a device',
    raw => {
      expect(opensADevice(raw)).toBe(true)
      const safe = sanitizeSegment(raw, 'fallback')
      expect(opensADevice(safe)).toBe(false)
      expect(sanitizeSegment(safe, 'fallback')).toBe(safe)
    }
  )

  it('never leaves a device name where it shortens a name to 200 bytes', () => {
    const safe = sanitizeSegment(`CON${' '.repeat(192)}x.usdz`, 'fallback')
    expect(opensADevice(safe)).toBe(false)
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(200)
    expect(safe.endsWith('.usdz')).toBe(true)
    expect(sanitizeSegment(safe, 'fallback')).toBe(safe)
  })

  it('keeps unicode and bounds the length in bytes', () => {
    expect(sanitizeSegment('Lámpara 台灯.glb', 'x')).toBe('Lámpara 台灯.glb')
    expect(Buffer.byteLength(sanitizeSegment('模'.repeat(200), 'x'))).toBeLessThanOrEqual(200)
  })

  it('keeps the extension when it shortens a name', () => {
    const shortened = sanitizeSegment(`${'模'.repeat(100)}.glb`, 'x')
    expect(shortened.endsWith('.glb')).toBe(true)
    expect(Buffer.byteLength(shortened)).toBeLessThanOrEqual(200)
  })

  it('changes nothing the second time', () => {
    const cases = [
      '../a<b>.glb',
      ' .hidden. ',
      'COM¹.glb',
      `${'é'.repeat(150)}.usdz`,
      '. . . x.glb',
      'x.glb\u3000',
      `${'a'.repeat(199)} b`
    ]
    for (const raw of cases) {
      const once = sanitizeSegment(raw, 'x')
      expect(sanitizeSegment(once, 'x')).toBe(once)
    }
  })

  it('changes nothing the second time, whatever the name', () => {
    const alphabet = [
      'a',
      'Z',
      '.',
      ' ',
      '\u3000',
      '/',
      '\\',
      ':',
      '\u200b',
      'é',
      '模',
      'C',
      'O',
      'N',
      '¹'
    ]
    let seed = 1
    function random(): number {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    for (let sample = 0; sample < 2000; sample++) {
      const length = Math.floor(random() * 260)
      const raw = Array.from(
        { length },
        () => alphabet[Math.floor(random() * alphabet.length)]
      ).join('')
      const once = sanitizeSegment(raw, 'x')
      expect({ raw, twice: sanitizeSegment(once, 'x') }).toEqual({ raw, twice: once })
    }
  })
})

describe('renderFileName', () => {
  it('fills placeholders with sanitised values', () => {
    const values = { name: '../Lamp', entry: 'e1', format: 'glb', ext: 'glb' }
    expect(renderFileName('{entry}/{name}.{ext}', values)).toBe('e1/Lamp.glb')
    expect(renderFileName('{name}-{format}.{ext}', values)).toBe('Lamp-glb.glb')
  })
})

describe('baseNameOf', () => {
  it('drops the extension', () => {
    expect(baseNameOf('Desk Lamp.obj', 'x')).toBe('Desk Lamp')
    expect(baseNameOf('noext', 'x')).toBe('noext')
    expect(baseNameOf('', 'entry-id')).toBe('entry-id')
  })
})

describe('resolveInside', () => {
  it('never leaves the destination', () => {
    expect(resolveInside('/dest', 'a/b.glb')).toBe('a/b.glb')
    expect(resolveInside('/dest', '../../x.glb')).toBe('_/_/x.glb')
    expect(resolveInside('/dest', '/etc/passwd')).toBe('_/etc/passwd')
  })
})

describe('isInside', () => {
  const root = path.resolve('/work/repo')

  it('holds for the root and what lies below it, names that start with two dots included', () => {
    expect(isInside(root, root)).toBe(true)
    expect(isInside(root, path.join(root, 'assets', 'a.glb'))).toBe(true)
    expect(isInside(root, path.join(root, '..hidden'))).toBe(true)
    expect(isInside(root, path.join(root, 'a', '..', 'b'))).toBe(true)
  })

  it('leaves the root out for a place of a file (isBelow)', () => {
    expect(isBelow(root, root)).toBe(false)
    expect(isBelow(root, path.join(root, 'echo3d.yml'))).toBe(true)
    expect(isBelow(root, path.join(root, '..', 'echo3d.yml'))).toBe(false)
  })

  it('fails for a parent, a sibling and a path that climbs out', () => {
    expect(isInside(root, path.dirname(root))).toBe(false)
    expect(isInside(root, `${root}-other`)).toBe(false)
    expect(isInside(root, path.join(root, '..', 'repo-2', 'x'))).toBe(false)
    expect(isInside(root, path.resolve('/etc/passwd'))).toBe(false)
  })
})
