// What changed inside each model: statistics read from real GLB files made with glTF-Transform,
// recorded in the lockfile and the report, reviewed before → after in the job summary and the pull
// request, and the Khronos glTF Validator's verdict; bad files fail their asset alone. Budgets
// hold models to limits. Delivery runs in-process against the GitHub double; how the step's exit
// code and annotations follow the budgets is checked end to end, in __tests__/e2e/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { makePng } from '../../emulator/samples.ts'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { deliver, fileEnvironment } from '../../harness/delivery.ts'
import { checkSummary, checkWith, pullSummary, pullWith } from '../../harness/engine.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import {
  BIG_CHAIR_BREACHES,
  BIG_CHAIR_BUDGETS,
  instancedEntry,
  modelEntries
} from '../../harness/models.ts'
import { breachText } from '../../src/report/model-review.js'
import { LOCKFILE } from '../support.ts'

let emulator: Emulator
let github: GitHubDouble
let restoreEnvironment = () => {}

beforeAll(async () => {
  const instanced = instancedEntry()
  emulator = await startEmulator({ entries: [...(await modelEntries()), instanced] })
  github = await startGitHubDouble()
  // Before @actions/github is loaded: it takes its API URL then, for the whole file.
  restoreEnvironment = setEnvironment(fileEnvironment(github))
})
afterAll(async () => {
  restoreEnvironment()
  await emulator.close()
  await github.close()
})

/** Delivery by pull request, each test on a branch of its own. */
function pullRequestInputs(branch: string): Record<string, string> {
  return { commit: 'pull-request', 'pull-request-branch': branch, 'github-token': github.token }
}

describe('model statistics and the review of a change', () => {
  it('records what each model holds, then shows before → after with markers on the jumps', async () => {
    const inputs = { entries: 'chair', ...pullRequestInputs('echo3d/review') }
    const first = await pullWith(emulator, { inputs })
    expect(first.report.failures).toEqual([])
    const [file] = first.report.files
    expect(file.model).toEqual({
      triangles: 12,
      vertices: 36,
      meshes: 1,
      materials: 1,
      textures: 1,
      largestTexture: [256, 256],
      textureBytes: makePng(256, 256).length,
      textureFormats: ['png'],
      animations: 0,
      size: [1, 1, 1],
      extensions: []
    })
    expect(file.validation).toEqual({ warnings: [] })
    expect(first.log()).toMatch(
      /Read the statistics of 1 model in [\d.]+s; validated 1 with the glTF Validator in [\d.]+s/
    )
    const firstSummary = await pullSummary(first)
    expect(firstSummary).toContain('<h3>What changed in the models</h3>')
    expect(firstSummary).toMatch(/<td>assets\/echo3d\/Chair\.glb<\/td>.*<td>new<\/td>/)
    const lockfile = JSON.parse(await readFile(path.join(first.workspace, LOCKFILE), 'utf8')) as {
      files: { model?: unknown }[]
    }
    expect(lockfile.files[0].model).toEqual(file.model)
    const opened = await deliverRun(first)
    expect(opened.delivery).toMatchObject({
      kind: 'done',
      outcome: { pullRequest: { created: true } }
    })

    emulator.reupload('chair')
    const second = await pullWith(emulator, { inputs, workspace: first.workspace })
    expect(second.report.failures).toEqual([])
    expect(second.report.files[0].model).toMatchObject({
      triangles: 48,
      largestTexture: [2048, 2048],
      size: [100, 100, 100]
    })
    const summary = await pullSummary(second)
    const row = /<td>assets\/echo3d\/Chair\.glb<\/td>.*<\/tr>/.exec(summary)?.[0] ?? ''
    expect(row).toContain('<td>12 → 48</td>')
    expect(row).toContain('1, largest 256×256')
    expect(row).toContain('1 × 1 × 1 → 100 × 100 × 100')
    expect(row).toMatch(
      /⚠️ <strong>triangles \+300%; .*largest texture 2048×2048; bounding box 100× larger<\/strong>/
    )

    const updated = await deliverRun(second)
    expect(updated.delivery).toMatchObject({
      kind: 'done',
      outcome: { pullRequest: { created: false } }
    })
    const [pull] = github.pulls.filter(request => request.head === 'echo3d/review')
    expect(pull.body).toContain('### What changed in the models')
    expect(pull.body).toMatch(/\| ⚠️ `triangles \+300%; .*bounding box 100× larger` \|/)
    expect(pull.body.indexOf('What changed in the models')).toBeLessThan(
      pull.body.indexOf('| File | Entry |')
    )
  })

  it("reads a USDZ's packed files and textures, an STL's and an OBJ's counts", async () => {
    const run = await pullWith(emulator, {
      inputs: { entries: 'packed: usdz\nlamp: stl, obj', 'convert-missing': 'true' }
    })
    expect(run.report.failures).toEqual([])
    const models = Object.fromEntries(run.report.files.map(file => [file.format, file.model]))
    expect(models.usdz).toEqual({
      textures: 2,
      largestTexture: [512, 256],
      textureBytes: makePng(512, 256).length + makePng(8, 8).length,
      textureFormats: ['png'],
      packedFiles: 3
    })
    expect(models.stl).toEqual({ triangles: 1, vertices: 3 })
    expect(models.obj).toEqual({ triangles: 1, vertices: 3 })
  })

  it('reads an instanced scene by its mesh, not its nodes × primitives: 4,000 × 4,000 in well under a second', async () => {
    const run = await pullWith(emulator, { inputs: { entries: 'instanced' } })
    expect(run.report.failures).toEqual([])
    expect(run.report.files[0].model).toMatchObject({
      triangles: 16_000_000,
      vertices: 48_000_000,
      meshes: 1,
      size: [4_000, 1, 0]
    })
    const statistics = /Read the statistics of 1 model in ([\d.]+)s/.exec(run.log())
    expect(Number(statistics?.[1])).toBeLessThan(1)
  })

  it('fails a model the validator rejects, or one that is corrupt, and no other', async () => {
    const entries = 'lamp\nwrong-bounds\ncorrupt-json\nabsurd-count\nlying-image'
    const run = await pullWith(emulator, { inputs: { entries } })
    expect(run.report.files.map(file => file.path)).toEqual(['assets/echo3d/Lamp.glb'])
    const failures = Object.fromEntries(
      run.report.failures.map(failure => [failure.label, failure.message])
    )
    expect(failures).toEqual({
      'entry wrong-bounds (glb)': expect.stringMatching(
        /^the Khronos glTF Validator found 1 error: ACCESSOR_MAX_MISMATCH/
      ),
      'entry corrupt-json (glb)': expect.stringMatching(/its JSON chunk is not valid JSON/),
      'entry absurd-count (glb)': expect.stringMatching(
        /accessor 0 claims 9 elements, more than its buffer view's 36 bytes hold/
      ),
      'entry lying-image (glb)': expect.stringMatching(
        /image 0 has no PNG, JPEG, WebP or KTX2 header/
      )
    })
    for (const name of ['Bounds.glb', 'Corrupt.glb', 'Absurd.glb', 'Lying.glb']) {
      expect(existsSync(path.join(run.workspace, 'assets/echo3d', name))).toBe(false)
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
  it('says by how much a limit of nothing is broken, as no share of it can', () => {
    const breach = { path: 'a.glb', format: 'glb', limit: 'triangles', max: 0, actual: 12 } as const
    expect(breachText(breach)).toBe('a.glb: triangles 12, over the 0 allowed (+12)')
  })

  it('lists each broken limit, after writing everything, in the report, a check and the summaries', async () => {
    const pulled = await pullWith(emulator, {
      inputs: { entries: 'big-chair\nlamp', budgets: BIG_CHAIR_BUDGETS }
    })
    expect(pulled.report.failures).toEqual([])
    expect(pulled.report.overBudget).toEqual(BIG_CHAIR_BREACHES)
    expect(existsSync(path.join(pulled.workspace, 'assets/echo3d/Big Chair.glb'))).toBe(true)
    // The text of each annotation on the file.
    expect(breachText(pulled.report.overBudget[0])).toBe(
      'assets/echo3d/Big Chair.glb: texture-size 2048 px, over the 1024 px allowed (+100%)'
    )
    expect(breachText(pulled.report.overBudget[1])).toBe(
      'assets/echo3d/Big Chair.glb: bounding-box 100 m, over the 10 m allowed (+900%)'
    )
    const summary = await pullSummary(pulled)
    expect(summary.indexOf('Over budget: 2 limits broken')).toBeGreaterThan(-1)
    expect(summary.indexOf('Over budget: 2 limits broken')).toBeLessThan(
      summary.indexOf('What changed in the models')
    )

    const checked = await checkWith(emulator, {
      inputs: { entries: 'big-chair', budgets: BIG_CHAIR_BUDGETS },
      workspace: pulled.workspace
    })
    expect(checked.report.stale).toEqual([])
    expect(checked.report.overBudget).toEqual(BIG_CHAIR_BREACHES)
    expect(await checkSummary(checked)).toContain('Over budget: 2 limits broken')
  })

  it('push nothing over budget unless budget-mode is warn, and open the pull request with them first', async () => {
    const push = { commit: 'push', 'github-token': github.token }
    const mainBefore = await github.git('rev-parse', 'main')
    const pushed = await pullWith(emulator, {
      inputs: { entries: 'big-chair', budgets: BIG_CHAIR_BUDGETS, ...push }
    })
    const refused = await deliverRun(pushed)
    expect(refused.delivery).toEqual({
      kind: 'skipped',
      reason:
        '2 budgets broken, so nothing was pushed or uploaded. Raise the budgets, or set `budget-mode: warn` to push anyway'
    })
    expect(await pullSummary(pushed, refused.delivery)).toContain(
      '2 budgets broken, so nothing was pushed or uploaded'
    )
    expect(await github.git('rev-parse', 'main')).toBe(mainBefore)

    const proposed = await pullWith(emulator, {
      inputs: {
        entries: 'big-chair',
        budgets: BIG_CHAIR_BUDGETS,
        ...pullRequestInputs('echo3d/over-budget')
      }
    })
    const opened = await deliverRun(proposed)
    expect(opened.delivery).toMatchObject({
      kind: 'done',
      outcome: { pullRequest: { created: true } }
    })
    const [pull] = github.pulls.filter(request => request.head === 'echo3d/over-budget')
    expect(pull.body).toMatch(
      /^This pull request updates 2 files pulled from echo3D\.\n\n### ⚠️ Over budget: 2 limits broken/
    )
    expect(pull.body).toContain(
      '| `assets/echo3d/Big Chair.glb` | `texture-size (glb)` | `1024 px` | `2048 px` | `+100%` |'
    )

    const warned = await pullWith(emulator, {
      inputs: { entries: 'big-chair', budgets: BIG_CHAIR_BUDGETS, 'budget-mode': 'warn', ...push }
    })
    expect(warned.report.overBudget).toEqual(BIG_CHAIR_BREACHES)
    const pushedAnyway = await deliverRun(warned)
    expect(pushedAnyway.delivery).toMatchObject({ kind: 'done', outcome: { changed: true } })
    expect(await github.git('rev-parse', 'main')).not.toBe(mainBefore)
  })
})

/** A run's delivery, in the environment this file set for @actions/github. */
function deliverRun(run: Awaited<ReturnType<typeof pullWith>>) {
  return deliver(run.options, run.report)
}
