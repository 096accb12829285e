// `previews`: a picture of each GLB or glTF file the run added or changed (the file written, so the
// optimised one), and of the version it replaced, taken from the commit the job checked out; a
// removed model gets its last picture, and a USDZ file the picture of its entry's GLB. The
// pictures go into a folder under RUNNER_TEMP, and the list into the `previews-path` output and the
// job summary. `true` goes on without a browser or a picture and says why; `required` fails the
// step: before anything is delivered when a picture cannot be made, after the models' delivery
// when one cannot be committed or uploaded.

import { execFile } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { errorMessage, PreviewError } from '../errors.js'
import { formatDuration, plural } from '../quantities.js'
import type {
  DeliveryReport,
  FileRecord,
  PreviewItem,
  PreviewMode,
  Previews,
  PulledFile,
  PullReport
} from '../model.js'
import { sizeChangeText } from '../report/model-review.js'
import { findBrowser } from '../previews/browser.js'
import type { PreviewRenderer } from '../previews/renderer.js'
import type { Logger } from './log.js'

/** A model's file name in its pictures' names, kept well within a file system's 255 bytes. */
const MAX_NAME_CHARACTERS = 100

/** The largest earlier version read from git: larger files are not drawn either. */
const MAX_BEFORE_BYTES = 512 * 1024 * 1024
/** The browser's start, its page and shaders included, on a 2-core runner. */
const START_TIMEOUT_MS = 60_000
/** The most one model may take to draw. */
const MODEL_TIMEOUT_MS = 60_000
/** The most all the previews of a run may take: models past it are listed without pictures. */
const PREVIEWS_TIME_MS = 10 * 60_000

export interface PreviewJob {
  mode: PreviewMode
  workspace: string
  env: NodeJS.ProcessEnv
  log: Logger
}

export async function makePreviews(report: PullReport, job: PreviewJob): Promise<Previews> {
  const models = previewedModels(report)
  if (job.mode === 'false' || models.length === 0) return { items: [] }
  const executablePath = findBrowser({ env: job.env, platform: process.platform })
  if (!executablePath) {
    return unavailable(
      'no Chrome or Chromium was found on the runner. Install one, or set CHROME_PATH to its executable',
      job
    )
  }
  const temporaryRoot = job.env.RUNNER_TEMP || os.tmpdir()
  const renderer = await started(executablePath, temporaryRoot)
  if (typeof renderer === 'string') return unavailable(renderer, job)
  const folder = path.join(temporaryRoot, `echo3d-previews-${randomUUID()}`)
  try {
    await mkdir(folder, { recursive: true })
    return { items: await drawAll(models, renderer, folder, job), folder }
  } finally {
    await renderer.close()
  }
}

/** No picture at all: with `true` a warning; with `required`, the step fails after the summary. */
function unavailable(reason: string, job: PreviewJob): Previews {
  if (job.mode !== 'required') job.log.warning(`No previews: ${reason}.`)
  return { items: [], unavailable: reason }
}

/** The renderer, or why the browser did not start. */
async function started(
  executablePath: string,
  temporaryRoot: string
): Promise<PreviewRenderer | string> {
  try {
    // Loaded here, so that the many runs without previews do not parse the browser's driver.
    const { startRenderer } = await import('../previews/renderer.js')
    return await startRenderer({
      executablePath,
      modelTimeoutMs: MODEL_TIMEOUT_MS,
      startTimeoutMs: START_TIMEOUT_MS,
      temporaryRoot
    })
  } catch (error) {
    return `the browser did not start: ${errorMessage(error)}`
  }
}

/** Each model in turn, within the run's time for previews. */
async function drawAll(
  models: readonly PreviewedModel[],
  renderer: PreviewRenderer,
  folder: string,
  job: PreviewJob
): Promise<PreviewItem[]> {
  const end = Date.now() + PREVIEWS_TIME_MS
  const items: PreviewItem[] = []
  for (const [index, model] of models.entries()) {
    if (Date.now() > end) {
      items.push({
        path: model.path,
        change: model.change,
        problems: [`not drawn: the previews took the ${formatDuration(PREVIEWS_TIME_MS)} they have`]
      })
      continue
    }
    items.push(await picturesOf(model, index, { renderer, folder, job }))
  }
  return items
}

/** `required`: every model has its pictures, or the step fails before delivery. */
export function missingRequiredPreviews(
  previews: Previews,
  mode: PreviewMode
): PreviewError | undefined {
  if (mode !== 'required') return undefined
  if (previews.unavailable !== undefined)
    return new PreviewError(`No previews: ${previews.unavailable}`)
  const missing = previews.items.filter(item => item.problems.length > 0)
  if (missing.length === 0) return undefined
  const lines = missing.map(item => `- ${item.path}: ${item.problems.join('; ')}`)
  return new PreviewError(
    `${plural(missing.length, 'model')} without a picture, and \`previews\` is required:\n${lines.join('\n')}`
  )
}

/** `required`: pictures drawn but not committed or uploaded fail the step, after delivery. */
export function undeliveredRequiredPreviews(
  delivery: DeliveryReport,
  mode: PreviewMode
): PreviewError | undefined {
  if (mode !== 'required' || delivery.kind !== 'done') return undefined
  const problem = delivery.outcome.previewsProblem
  if (problem === undefined) return undefined
  return new PreviewError(
    `${problem}. The models were delivered; \`previews\` is required, so the step fails`
  )
}

export interface PreviewedModel {
  path: string
  change: string
  /** The file drawn as "after": the model written, or a USDZ file's GLB; none once removed. */
  drawn?: string
  /**
   * Where the "before" comes from: the commit the job checked out, where the lockfile recorded an
   * earlier version (`recorded`) or may not have (`if-committed`, a run without a lockfile).
   */
  before: 'recorded' | 'if-committed' | 'none'
  /** A USDZ file whose entry has no GLB or glTF in the run: listed without a picture. */
  note?: string
}

const isDrawable = (file: Pick<FileRecord, 'format'>): boolean =>
  file.format === 'glb' || file.format === 'gltf'

/**
 * GLB and glTF files added, changed or removed by the run, and USDZ files added or changed, in
 * the report's order. Unity and browsers cannot draw USDZ: the entry's GLB stands for it.
 */
export function previewedModels(report: PullReport): PreviewedModel[] {
  const written = report.files.filter(file => file.source !== 'unchanged')
  const drawn = (file: PulledFile): PreviewedModel => ({
    path: file.path,
    change: sizeChangeText(file.before, file),
    drawn: file.path,
    before: file.before !== undefined ? 'recorded' : 'if-committed'
  })
  return [
    ...written.flatMap(file => {
      if (isDrawable(file)) return [drawn(file)]
      return file.format === 'usdz' ? [throughEntryModel(file, report.files)] : []
    }),
    ...report.pruned.filter(file => isDrawable(file) || file.format === 'usdz').map(removed)
  ]
}

/** A removed model: its last picture, or for USDZ a line without one. */
function removed(file: FileRecord): PreviewedModel {
  const change = sizeChangeText(file, undefined)
  if (isDrawable(file)) return { path: file.path, change, before: 'recorded' }
  return { path: file.path, change, before: 'none', note: USDZ_REMOVED }
}

const USDZ_REMOVED = 'no picture: USDZ files are drawn through their entry’s GLB'
const USDZ_ALONE = `${USDZ_REMOVED}, and the run pulled none; add \`glb\` to \`formats\` to see it`

/** A USDZ file, drawn as the GLB or glTF of the same entry that the run pulled, if any. */
function throughEntryModel(usdz: PulledFile, files: readonly PulledFile[]): PreviewedModel {
  const model =
    usdz.entry === null
      ? undefined
      : files.find(file => file.entry === usdz.entry && isDrawable(file))
  const change = sizeChangeText(usdz.before, usdz)
  if (!model) return { path: usdz.path, change, before: 'none', note: USDZ_ALONE }
  return { path: usdz.path, change, drawn: model.path, before: 'none' }
}

/** The file name of a model's pictures: numbered, so that no two models share one. */
function pictureName(model: PreviewedModel, index: number): string {
  const file = model.path.slice(model.path.lastIndexOf('/') + 1)
  // Whole characters, so that the cut never splits a pair of surrogates, which no URL can hold.
  const kept = Array.from(file).slice(0, MAX_NAME_CHARACTERS).join('')
  return `${String(index + 1).padStart(4, '0')}-${kept.replace(LONE_SURROGATE, '_')}`
}

/** Half of a surrogate pair, alone: a name from echo3D's JSON may hold one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

async function picturesOf(
  model: PreviewedModel,
  index: number,
  { renderer, folder, job }: { renderer: PreviewRenderer; folder: string; job: PreviewJob }
): Promise<PreviewItem> {
  const item: PreviewItem = { path: model.path, change: model.change, problems: [] }
  if (model.note !== undefined) item.note = model.note
  if (model.drawn !== undefined && model.drawn !== model.path) item.drawnFrom = model.drawn
  const name = pictureName(model, index)
  const draw = async (
    side: 'before' | 'after',
    bytes: () => Promise<Buffer | undefined>
  ): Promise<void> => {
    try {
      const file = await bytes()
      if (!file) return
      const { png } = await renderer.render(file)
      const picture = path.join(folder, `${name}.${side}.png`)
      await writeFile(picture, png, { flag: 'wx' })
      item[side] = picture
    } catch (error) {
      // The renderer's words; a file system's would name the runner's folders.
      const reason =
        error instanceof PreviewError
          ? error.message
          : 'its file could not be read, or its picture written'
      item.problems.push(`${side}: ${reason}`)
    }
  }
  const { drawn } = model
  if (model.before !== 'none') await draw('before', () => earlierVersion(model, job.workspace))
  if (drawn !== undefined) await draw('after', () => readFile(path.join(job.workspace, drawn)))
  const outcome = `Preview of ${model.path}: ${outcomeText(item)}`
  if (item.problems.length > 0) job.log.warning(outcome)
  else job.log.info(outcome)
  return item
}

function outcomeText(item: PreviewItem): string {
  if (item.problems.length > 0) return `not all drawn: ${item.problems.join('; ')}`
  if (item.note !== undefined) return item.note
  return item.drawnFrom === undefined ? 'drawn' : `drawn as ${item.drawnFrom}`
}

/** The "before": undefined for a model that the commit does not hold and nothing said it would. */
async function earlierVersion(
  model: PreviewedModel,
  workspace: string
): Promise<Buffer | undefined> {
  const bytes = await committedVersion(workspace, model.path)
  if (bytes === undefined && model.before === 'recorded') throw new PreviewError(NOT_COMMITTED)
  return bytes
}

/**
 * The version in the commit the job checked out, if it holds one: what this run replaced or
 * removed. A model kept in Git LFS is read from the checkout's own LFS store, not through git's
 * filters: git-lfs would download an object the store lacks from wherever the commit's
 * `.lfsconfig` points, without a bound of ours on its size or its time.
 */
async function committedVersion(workspace: string, modelPath: string): Promise<Buffer | undefined> {
  const bytes = await gitOutput(workspace, ['cat-file', 'blob', `HEAD:${modelPath}`])
  if (bytes === undefined) return undefined
  const pointer = lfsPointer(bytes)
  return pointer ? lfsObject(workspace, pointer) : bytes
}

async function gitOutput(workspace: string, args: string[]): Promise<Buffer | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', args, {
      cwd: workspace,
      encoding: 'buffer',
      maxBuffer: MAX_BEFORE_BYTES,
      timeout: MODEL_TIMEOUT_MS
    })
    return stdout
  } catch {
    return undefined
  }
}

interface LfsPointer {
  oid: string
  size: number
}

/** The object a Git LFS pointer names, when the bytes are one. */
function lfsPointer(bytes: Buffer): LfsPointer | undefined {
  if (bytes.length > MAX_POINTER_BYTES) return undefined
  const text = bytes.toString('latin1')
  if (!text.startsWith(LFS_POINTER)) return undefined
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1]
  const size = /^size (\d{1,15})$/m.exec(text)?.[1]
  if (!oid || !size)
    throw new PreviewError('its earlier version is a Git LFS pointer that cannot be read')
  return { oid, size: Number(size) }
}

/** The object from the checkout's LFS store, whole and what the pointer says, or a PreviewError. */
async function lfsObject(workspace: string, { oid, size }: LfsPointer): Promise<Buffer> {
  if (size > MAX_BEFORE_BYTES)
    throw new PreviewError('its earlier version is larger than a preview reads')
  const gitFolder = (await gitOutput(workspace, ['rev-parse', '--git-common-dir']))
    ?.toString()
    .trim()
  const objectPath = path.resolve(
    workspace,
    gitFolder ?? '.git',
    'lfs',
    'objects',
    oid.slice(0, 2),
    oid.slice(2, 4),
    oid
  )
  const found = await lstat(objectPath).catch(() => undefined)
  if (!found?.isFile() || found.size !== size) throw new PreviewError(NOT_IN_LFS_STORE)
  const bytes = await readFile(objectPath)
  if (createHash('sha256').update(bytes).digest('hex') !== oid)
    throw new PreviewError(NOT_IN_LFS_STORE)
  return bytes
}

const NOT_COMMITTED = 'its earlier version is not in the commit the job checked out'
const NOT_IN_LFS_STORE =
  'its earlier version is in Git LFS, and the checkout does not have it: check out with `lfs: true`'
/** How a Git LFS pointer starts: what git holds where LFS keeps the file. */
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1'
/** A pointer is a few lines; the specification allows it 1,024 bytes. */
const MAX_POINTER_BYTES = 1024
