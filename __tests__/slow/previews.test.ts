// `previews` as the runner runs the bundle: a picture of each model the run adds, and of the
// version a changed model replaces (from the commit the job checked out), listed in the
// `previews-path` output and the job summary; without a browser, `true` goes on and `required`
// fails the step before anything is delivered. Slow: each run starts a browser.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PNG } from 'pngjs'
import pixelmatch from 'pixelmatch'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { instancedGlb, solidPng, texturedCubeGlb } from '../../harness/optimizable.ts'
import { startRenderer } from '../../src/previews/renderer.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { findBrowser } from '../../src/previews/browser.ts'
import { startGitHubDouble } from '../../doubles/github-api.ts'
import { readZip, startArtifactDouble } from '../../doubles/artifact-service.ts'
import { githubRunner, log, pull } from '../support.ts'

const browser = findBrowser({ env: process.env, platform: process.platform })
const withBrowser = browser || process.env.CI ? describe : describe.skip
const hasGitLfs = spawnSync('git', ['lfs', 'version']).status === 0
let emulator: Emulator

interface PreviewItem {
  path: string
  before?: string
  after?: string
  afterUrl?: string
  drawnFrom?: string
  problems: string[]
}

beforeAll(async () => {
  const red = await texturedCubeGlb(solidPng(8, [220, 30, 30]))
  const blue = await texturedCubeGlb(solidPng(8, [30, 30, 220]), 2)
  emulator = await startEmulator({
    entries: [{ id: 'cube', filename: 'cube.glb', derived: ['usdz'], uploads: [red, blue] }]
  })
})
afterAll(() => emulator.close())

async function previewsOf(outputs: Record<string, string>): Promise<PreviewItem[]> {
  return JSON.parse(await readFile(outputs['previews-path'], 'utf8')) as PreviewItem[]
}

function git(workspace: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: workspace
  })
}

withBrowser('previews: true', () => {
  it('draws a new model, then a changed one before and after', async () => {
    const env: Record<string, string> = browser ? { CHROME_PATH: browser } : {}
    const workspace = path.join(await scratchFolder('previews'), 'repo')
    execFileSync('git', ['init', '-q', workspace])
    const first = await pull(emulator, { entries: 'cube', previews: 'true' }, { workspace, env })
    expect(first.code).toBe(0)
    const [added] = await previewsOf(first.outputs)
    expect(added).toMatchObject({ path: 'assets/echo3d/cube.glb', problems: [] })
    expect(added.before).toBeUndefined()
    expect(first.summary).toContain('<h3>Previews</h3>')
    git(workspace, 'add', '-A')
    git(workspace, 'commit', '-q', '-m', 'first pull')

    emulator.reupload('cube')
    const second = await pull(emulator, { entries: 'cube', previews: 'true' }, { workspace, env })
    expect(second.code).toBe(0)
    const [changed] = await previewsOf(second.outputs)
    expect(changed.problems).toEqual([])
    const [before, after] = await Promise.all(
      [changed.before, changed.after].map(async file => PNG.sync.read(await readFile(file ?? '')))
    )
    expect(before.data.equals(PNG.sync.read(await readFile(added.after ?? '')).data)).toBe(true)
    const differing = pixelmatch(before.data, after.data, undefined, 512, 512, { threshold: 0.1 })
    expect(differing).toBeGreaterThan(512 * 512 * 0.05)
  }, 120_000)
})

withBrowser('previews with commit: pull-request', () => {
  it('commits the pictures to the previews branch and shows them in the description, pinned to that commit', async () => {
    const double = await startGitHubDouble()
    try {
      const runner = githubRunner(double)
      const env = { ...runner.env, ...(browser ? { CHROME_PATH: browser } : {}) }
      const server = 'https://github.example'
      const inputs = { entries: 'cube', commit: 'pull-request', previews: 'true' }
      const result = await pull(emulator, inputs, {
        ...runner,
        env: { ...env, GITHUB_SERVER_URL: server }
      })
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
      const commit = await double.git('rev-parse', 'echo3d-assets/previews')
      expect(await double.git('rev-parse', `${commit}^`)).toBe(
        await double.git('rev-parse', 'main')
      )
      const picture = 'previews/0001-cube.glb.after.png'
      expect(Number(await double.git('cat-file', '-s', `${commit}:${picture}`))).toBeGreaterThan(
        1000
      )
      const [pullRequest] = double.pulls
      const url = `${server}/${double.owner}/${double.repo}/raw/${commit}/${picture}`
      expect(pullRequest.body).toContain('### Previews')
      expect(pullRequest.body).toContain(
        `| \`assets/echo3d/cube.glb\` | — | <img src="${url}" alt="after" width="256"> |`
      )
    } finally {
      await double.close()
    }
  }, 120_000)
})

withBrowser('previews with commit: push through git, and upload-artifact', () => {
  it('commits the pictures on the pushed commit, shows them in the summary, and uploads them as an artifact of their own', async () => {
    const double = await startGitHubDouble()
    const artifacts = await startArtifactDouble()
    try {
      const workspace = path.join(await scratchFolder('previews-git'), 'repo')
      execFileSync('git', ['clone', '--quiet', double.bareRepo, workspace])
      const runner = githubRunner(double, { workspace })
      // The artifact service is GitHub.com's: GHES has none.
      const server = 'https://github.com'
      const env = {
        ...runner.env,
        ...(browser ? { CHROME_PATH: browser } : {}),
        GITHUB_SERVER_URL: server,
        ACTIONS_RESULTS_URL: `${artifacts.url}/`,
        ACTIONS_RUNTIME_TOKEN: artifacts.runtimeToken,
        GITHUB_RUN_ID: '9'
      }
      const inputs = {
        entries: 'cube: glb, usdz',
        commit: 'push',
        'commit-method': 'git',
        'upload-artifact': 'true',
        previews: 'true'
      }
      const result = await pull(emulator, inputs, { ...runner, env })
      expect(log(result)).not.toMatch(/::(error|warning)::/)
      expect(result.code).toBe(0)

      const commit = await double.git('rev-parse', 'echo3d-assets/previews')
      expect(await double.git('rev-parse', `${commit}^`)).toBe(
        await double.git('rev-parse', 'main')
      )
      const [glb, usdz] = await previewsOf(result.outputs)
      expect(usdz).toMatchObject({
        path: 'assets/echo3d/cube.usdz',
        drawnFrom: 'assets/echo3d/cube.glb'
      })
      const picture = 'previews/0001-cube.glb.after.png'
      expect(glb.afterUrl).toBe(`${server}/${double.owner}/${double.repo}/raw/${commit}/${picture}`)
      expect(result.summary).toContain(`<img src="${glb.afterUrl}" alt="after" width="256">`)
      const committed = execFileSync('git', ['cat-file', 'blob', `${commit}:${picture}`], {
        cwd: double.bareRepo
      })
      expect(committed.equals(await readFile(glb.after ?? ''))).toBe(true)

      const uploaded = artifacts.artifacts.find(item => item.name === 'echo3d-assets-previews')
      const entries = readZip(uploaded?.content ?? Buffer.alloc(0))
      expect(entries.map(entry => entry.name).sort()).toEqual([
        '0001-cube.glb.after.png',
        '0002-cube.usdz.after.png'
      ])
      const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
      expect(entries.map(entry => digest(entry.content))).toEqual([
        digest(committed),
        digest(committed)
      ])
      expect(result.summary).toContain('Uploaded the previews as artifact echo3d-assets-previews')
    } finally {
      await Promise.all([double.close(), artifacts.close()])
    }
  }, 120_000)
})

withBrowser('previews in a repository that keeps models in Git LFS', () => {
  const lfsIt = hasGitLfs || process.env.CI ? it : it.skip

  lfsIt(
    'draws the version a changed model replaces from LFS, not its pointer',
    async () => {
      const env: Record<string, string> = browser ? { CHROME_PATH: browser } : {}
      emulator.reset()
      const workspace = path.join(await scratchFolder('previews-lfs'), 'repo')
      execFileSync('git', ['init', '-q', workspace])
      git(workspace, 'lfs', 'install', '--local')
      await writeFile(
        path.join(workspace, '.gitattributes'),
        '*.glb filter=lfs diff=lfs merge=lfs -text\n'
      )
      const first = await pull(emulator, { entries: 'cube', previews: 'true' }, { workspace, env })
      expect(first.code).toBe(0)
      git(workspace, 'add', '-A')
      git(workspace, 'commit', '-q', '-m', 'first pull')
      expect(
        execFileSync('git', ['cat-file', '-p', 'HEAD:assets/echo3d/cube.glb'], {
          cwd: workspace
        }).toString()
      ).toMatch(/^version https:\/\/git-lfs/)

      emulator.reupload('cube')
      try {
        const second = await pull(
          emulator,
          { entries: 'cube', previews: 'true' },
          { workspace, env }
        )
        const [changed] = await previewsOf(second.outputs)
        expect(changed.problems).toEqual([])
        const [before, added] = await Promise.all(
          [changed.before, (await previewsOf(first.outputs))[0].after].map(async file =>
            readFile(file ?? '')
          )
        )
        expect(before.equals(added)).toBe(true)

        // Read from the checkout's store, never downloaded: git-lfs would fetch a missing object
        // from wherever the commit's .lfsconfig points.
        git(workspace, 'add', '-A')
        git(workspace, 'commit', '-q', '-m', 'second pull')
        await rm(path.join(workspace, '.git/lfs/objects'), { recursive: true })
        await writeFile(path.join(workspace, '.lfsconfig'), '[lfs]\n\turl = http://127.0.0.1:9/\n')
        emulator.reupload('cube')
        const third = await pull(
          emulator,
          { entries: 'cube', previews: 'true' },
          { workspace, env }
        )
        const [missing] = await previewsOf(third.outputs)
        expect(missing.problems).toEqual([
          expect.stringContaining(
            'its earlier version is in Git LFS, and the checkout does not have it'
          )
        ])
      } finally {
        emulator.reset()
      }
    },
    120_000
  )
})

withBrowser('the browser and the step', () => {
  it('leaves no browser and no file of it behind when the job is cancelled while it draws', async () => {
    const runnerTemp = await scratchFolder('cancel')
    const env: Record<string, string> = browser ? { CHROME_PATH: browser } : {}
    let child: ChildProcess | undefined
    let browsers: string[] = []
    let drawingIn: string[] = []
    const result = await pull(
      emulator,
      { entries: 'cube', previews: 'true' },
      {
        env,
        runnerTemp,
        onSpawn: spawned => (child = spawned),
        onLine: line => {
          if (!line.startsWith('Preview of') || browsers.length > 0) return
          browsers = previewBrowsers()
          drawingIn = browserFolders(runnerTemp)
          child?.kill('SIGTERM')
        }
      }
    )
    expect(browsers.length).toBeGreaterThan(0)
    expect(drawingIn).toHaveLength(1)
    expect(result.code).not.toBe(0)
    await waitUntil(() => previewBrowsers().length === 0, 5000)
    expect(previewBrowsers()).toEqual([])
    expect(browserFolders(runnerTemp)).toEqual([])
  }, 120_000)
})

withBrowser('a model that never finishes drawing', () => {
  it('costs its time limit and no more: the browser is replaced and the next model drawn', async () => {
    const own = await scratchFolder('hung')
    const renderer = await startRenderer({
      executablePath: browser ?? 'no browser found',
      modelTimeoutMs: 15_000,
      startTimeoutMs: 60_000,
      temporaryRoot: own
    })
    try {
      const cube = await texturedCubeGlb(solidPng(8, [220, 30, 30]))
      const first = await renderer.render(cube)
      const hung = renderer.browserProcessId
      // 400 million triangles from 1.5 MB: minutes of software rendering.
      const started = Date.now()
      await expect(renderer.render(await instancedGlb(100, 20_000))).rejects.toThrow(
        'drawing it took longer than 15s'
      )
      expect(Date.now() - started).toBeLessThan(25_000)
      expect(() => process.kill(hung ?? -1, 0)).toThrow(/ESRCH/)
      expect((await renderer.render(cube)).png.equals(first.png)).toBe(true)
    } finally {
      await renderer.close()
    }
    expect(await readdir(own)).toEqual([])
  }, 120_000)
})

/** The temporary folders of browsers (see browser-process.ts) in a folder. */
function browserFolders(folder: string): string[] {
  return readdirSync(folder).filter(name => name.startsWith('browser-'))
}

/** The processes of the previews' browsers: their profile, in a browser's own folder, says so. */
function previewBrowsers(): string[] {
  const listing = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout
  return listing
    .split('\n')
    .filter(line => /--user-data-dir=\S*\/browser-[^/\s]+\/profile/.test(line))
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition() && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 100))
}

describe('previews without a browser', () => {
  const nowhere = { CHROME_PATH: path.join(path.sep, 'no', 'such', 'chrome') }

  it('goes on with `true`, and says why there are none', async () => {
    const result = await pull(emulator, { entries: 'cube', previews: 'true' }, { env: nowhere })
    expect(result.code).toBe(0)
    expect(log(result)).toContain('::warning::No previews: no Chrome or Chromium was found')
    expect(result.summary).toContain('No previews: no Chrome or Chromium was found')
  })

  it('fails the step with `required`', async () => {
    const result = await pull(emulator, { entries: 'cube', previews: 'required' }, { env: nowhere })
    expect(result.code).toBe(1)
    expect(log(result)).toContain('::error::No previews: no Chrome or Chromium was found')
  })
})
