// Pictures of models from the machine's own Chromium: a textured cube shows its texture's colour
// on a background of another, a white model shows on it, the same bytes give the same picture and a changed model another;
// a model that draws nothing is reported, one that takes too long is stopped at its limit, and
// neither a browser process nor a file of its outlives close(). `.ci/run` installs Chromium where it is missing.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { PNG } from 'pngjs'
import pixelmatch from 'pixelmatch'
import { solidPng, terrainGlb, patternPng, texturedCubeGlb } from '../../harness/optimizable.ts'
import { findBrowser } from '../../src/previews/browser.ts'
import { PREVIEW_SIZE, startRenderer, type PreviewRenderer } from '../../src/previews/renderer.ts'
import { PreviewError } from '../../src/errors.ts'
import { zeroFilledGlb } from '../../harness/optimizable.ts'
import { makeSample } from '../../emulator/samples.ts'

const browser = findBrowser({ env: process.env, platform: process.platform })
// Without a browser, a developer's run skips these; CI has one, and fails without it.
const withBrowser = browser || process.env.CI ? describe : describe.skip
const RED: [number, number, number] = [220, 30, 30]

let renderer: PreviewRenderer

beforeAll(async () => {
  if (!browser && !process.env.CI) return
  renderer = await startRenderer({
    executablePath: browser ?? 'no browser found',
    modelTimeoutMs: 30_000,
    startTimeoutMs: 60_000,
    temporaryRoot: os.tmpdir()
  })
}, 90_000)
afterAll(() => renderer?.close())

function decoded(png: Buffer): PNG {
  return PNG.sync.read(png)
}

/** How many pixels are close to the colour, shaded as a lit face may shade it. */
function pixelsLike(png: PNG, [red, green, blue]: [number, number, number]): number {
  let count = 0
  for (let at = 0; at < png.data.length; at += 4) {
    const [r, g, b] = [png.data[at], png.data[at + 1], png.data[at + 2]]
    // Lit or shaded, a red face stays red: far more red than green or blue.
    if (r > 60 && r > g * 2 && r > b * 2 && red > green && red > blue) count++
  }
  return count
}

withBrowser('the preview renderer', () => {
  let cube: Buffer
  let first: Buffer

  it("draws a textured cube: the texture's colour, on a background of another", async () => {
    cube = await texturedCubeGlb(solidPng(16, RED))
    const picture = await renderer.render(cube)
    first = picture.png
    const png = decoded(picture.png)
    expect([png.width, png.height]).toEqual([PREVIEW_SIZE, PREVIEW_SIZE])
    expect(pixelsLike(png, RED)).toBeGreaterThan(PREVIEW_SIZE * PREVIEW_SIZE * 0.05)
    // A neutral grey, dark enough for a white model to show on it.
    const corner = [png.data[0], png.data[1], png.data[2]]
    expect(corner[0]).toBeGreaterThan(120)
    expect(corner[0]).toBeLessThan(200)
    expect(Math.abs(corner[0] - corner[1])).toBeLessThan(8)
    expect(picture.drawn).toBeGreaterThan(PREVIEW_SIZE * PREVIEW_SIZE * 0.05)
  }, 60_000)

  it('gives the same picture for the same bytes, and another for a changed model', async () => {
    const again = await renderer.render(cube)
    expect(again.png.equals(first)).toBe(true)
    const changed = await renderer.render(await terrainGlb(16, patternPng(64)))
    const [a, b] = [decoded(first), decoded(changed.png)]
    const differing = pixelmatch(a.data, b.data, undefined, PREVIEW_SIZE, PREVIEW_SIZE, {
      threshold: 0.1
    })
    expect(differing).toBeGreaterThan(PREVIEW_SIZE * PREVIEW_SIZE * 0.05)
  }, 60_000)

  it('draws a white model without a material, which a light background would hide', async () => {
    const picture = await renderer.render(makeSample('glb', 'Robot'))
    expect(picture.drawn).toBeGreaterThan(PREVIEW_SIZE * PREVIEW_SIZE * 0.05)
    const png = decoded(picture.png)
    const centre = (PREVIEW_SIZE / 2) * PREVIEW_SIZE * 4 + (PREVIEW_SIZE / 2 - 60) * 4
    expect(png.data[centre] - png.data[0]).toBeGreaterThan(40)
  }, 60_000)

  // A model that failed may have left the page unfit to draw (a lost WebGL context, say): the next
  // is drawn in a new browser, so that one model cannot blank the pictures of those after it.
  it('reports a model that draws nothing, rather than show a blank picture, and draws the next in a new browser', async () => {
    const before = renderer.browserProcessId
    await expect(renderer.render(zeroFilledGlb(3))).rejects.toThrow(
      new PreviewError('the picture is blank: the model drew no pixels')
    )
    const replaced = renderer.browserProcessId
    expect(replaced).not.toBe(before)
    // Read before the browser sees it: what a model declares must be within a preview's limits.
    await expect(renderer.render(Buffer.from('not a model'))).rejects.toThrow(
      'its JSON cannot be read'
    )
    expect(renderer.browserProcessId).toBe(replaced)
    expect((await renderer.render(cube)).png.equals(first)).toBe(true)
  }, 60_000)

  it('stops a model at its time limit, then draws the next, and leaves no browser and no file behind', async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), 'renderer-'))
    try {
      const hurried = await startRenderer({
        executablePath: browser ?? 'no browser found',
        modelTimeoutMs: 1,
        startTimeoutMs: 60_000,
        temporaryRoot: own
      })
      const started = hurried.browserProcessId
      // Chromium's temporary files and its profile go into a folder of its own, there.
      const [folder] = await readdir(own)
      expect(folder).toMatch(/^browser-/)
      expect(await readdir(path.join(own, folder))).toContain('profile')
      try {
        await expect(hurried.render(cube)).rejects.toThrow(/^drawing it took longer than /)
        expect(hurried.browserProcessId).not.toBe(started)
      } finally {
        await hurried.close()
      }
      for (const pid of [started, hurried.browserProcessId]) {
        expect(() => process.kill(pid ?? -1, 0)).toThrow(/ESRCH/)
      }
      expect(await readdir(own)).toEqual([])
    } finally {
      await rm(own, { recursive: true, force: true })
    }
  }, 90_000)

  // Its processes parse models from outside and, as root, run unsandboxed.
  const onLinux = process.platform === 'linux' ? it : it.skip
  onLinux(
    "gives the browser none of the step's inputs or the runner's tokens",
    async () => {
      const secrets = { INPUT_EMAIL: 'artist@example.com', ACTIONS_RUNTIME_TOKEN: 'runtime-1234' }
      Object.assign(process.env, secrets)
      try {
        const own = await startRenderer({
          executablePath: browser ?? 'no browser found',
          modelTimeoutMs: 30_000,
          startTimeoutMs: 60_000,
          temporaryRoot: os.tmpdir()
        })
        try {
          const environ = await readFile(`/proc/${own.browserProcessId}/environ`, 'utf8')
          const names = environ.split('\0').map(variable => variable.split('=')[0])
          expect(names).toContain('PATH')
          expect(names).not.toContain('INPUT_EMAIL')
          expect(names).not.toContain('ACTIONS_RUNTIME_TOKEN')
          expect(environ).not.toContain('runtime-1234')
        } finally {
          await own.close()
        }
      } finally {
        for (const name of Object.keys(secrets)) delete process.env[name]
      }
    },
    90_000
  )

  it('starts under a temporary folder too deep for its socket, by keeping the system’s', async () => {
    const deep = path.join(await mkdtemp(path.join(os.tmpdir(), 'deep-')), 'd'.repeat(40))
    await mkdir(deep)
    try {
      const renderer = await startRenderer({
        executablePath: browser ?? 'no browser found',
        modelTimeoutMs: 30_000,
        startTimeoutMs: 60_000,
        temporaryRoot: deep
      })
      try {
        expect((await renderer.render(cube)).png.equals(first)).toBe(true)
      } finally {
        await renderer.close()
      }
    } finally {
      await rm(path.dirname(deep), { recursive: true, force: true })
    }
  }, 90_000)
})
