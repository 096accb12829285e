// `echo3d-assets preview` as a developer runs it from the bundle: a picture of each model named,
// in the folder asked for, drawn by the machine's own browser; without a browser, a clear error.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PNG } from 'pngjs'
import { solidPng, texturedCubeGlb } from '../../harness/optimizable.ts'
import { runCli, scratchFolder } from '../../harness/runner.ts'
import { findBrowser } from '../../src/previews/browser.ts'

const browser = findBrowser({ env: process.env, platform: process.platform })
const withBrowser = browser || process.env.CI ? describe : describe.skip

async function repositoryWithCube(): Promise<string> {
  const root = path.join(await scratchFolder('preview-cli'), 'repo')
  await mkdir(path.join(root, 'models'), { recursive: true })
  execFileSync('git', ['init', '-q', root])
  await writeFile(
    path.join(root, 'models', 'cube.glb'),
    await texturedCubeGlb(solidPng(8, [30, 30, 220]))
  )
  return root
}

withBrowser('echo3d-assets preview', () => {
  it('writes a 512 × 512 picture of each model into the folder', async () => {
    const root = await repositoryWithCube()
    const env: Record<string, string> = browser ? { CHROME_PATH: browser } : {}
    // Two paths whose folders, joined by dashes, would give one name.
    const cube = path.join(root, 'models', 'cube.glb')
    await mkdir(path.join(root, 'models-cube'), { recursive: true })
    await copyFile(cube, path.join(root, 'models', 'cube-x.glb'))
    await copyFile(cube, path.join(root, 'models-cube', 'x.glb'))
    const models = ['models/cube.glb', 'models/cube-x.glb', 'models-cube/x.glb']
    const result = await runCli(['preview', ...models, '--out', 'shots'], { cwd: root, env })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('models/cube.glb → shots/models-cube.glb.png')
    expect(result.stdout).toContain('models/cube-x.glb → shots/models-cube-x.glb.png')
    expect(result.stdout).toContain('models-cube/x.glb → shots/models-cube-x.glb-2.png')
    const png = PNG.sync.read(await readFile(path.join(root, 'shots', 'models-cube.glb.png')))
    expect([png.width, png.height]).toEqual([512, 512])
  }, 90_000)
})

describe('echo3d-assets preview of a file that is not there', () => {
  it('names it and where it was looked for, exits 2, and starts no browser', async () => {
    const root = await repositoryWithCube()
    const env = { CHROME_PATH: path.join(root, 'no-such-browser') }
    const result = await runCli(['preview', 'models/cube.glb', 'models/gone.glb'], {
      cwd: root,
      env
    })
    expect(result.code).toBe(2)
    // The folder as the program sees it (macOS names /var/… by its real path, /private/var/…).
    expect(result.stderr).toMatch(
      new RegExp(
        `'models/gone\\.glb' does not exist in .*${path.basename(root)}\\. Files are found`
      )
    )
  })
})

describe('echo3d-assets preview without a browser', () => {
  it('says how to give it one, and draws nothing', async () => {
    const root = await repositoryWithCube()
    const env = { CHROME_PATH: path.join(root, 'no-such-browser') }
    const result = await runCli(['preview', 'models/cube.glb'], { cwd: root, env })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'no Chrome or Chromium was found. Install one, or set CHROME_PATH to its executable'
    )
  })
})
