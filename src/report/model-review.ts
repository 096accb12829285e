// The review of what changed inside each model, for the job summary and the pull request: before →
// after for size, triangles, textures and bounding box, the largest changes first, with a marker on
// the jumps a reviewer must not miss. Pure; the adapters escape and render it.

import { formatBytes, formatCount } from '../quantities.js'
import type { BudgetBreach, BudgetLimit, ModelStats, PulledFile } from '../model.js'

/** A model this run wrote: new, or replacing a recorded version. */
export interface ModelChange {
  path: string
  /** Undefined for a model that is new to the repository. */
  before?: ModelFacts
  after: ModelFacts
  /** The jumps worth a second look, in words: "triangles +210%". */
  markers: string[]
}

interface ModelFacts {
  bytes: number
  model: ModelStats
}

/** A change by more than this factor is marked (+50%). */
const GROWTH_MARK = 1.5
/** A bounding box that changed by this factor either way was likely exported in other units. */
const SCALE_MARK = 10

/** Models written in this run, the most marked first, then the largest growth. */
export function modelChanges(files: readonly PulledFile[]): ModelChange[] {
  const changes: ModelChange[] = []
  for (const file of files) {
    if (file.source === 'unchanged' || !file.model) continue
    const after = { bytes: file.bytes, model: file.model }
    const before = file.before?.model
      ? { bytes: file.before.bytes, model: file.before.model }
      : undefined
    changes.push({
      path: file.path,
      before,
      after,
      markers: before ? markersOf(before, after) : []
    })
  }
  return changes.sort(
    (a, b) =>
      b.markers.length - a.markers.length || growth(b) - growth(a) || (a.path < b.path ? -1 : 1)
  )
}

function growth(change: ModelChange): number {
  return change.before ? change.after.bytes / Math.max(change.before.bytes, 1) : 0
}

function markersOf(before: ModelFacts, after: ModelFacts): string[] {
  const markers: string[] = []
  const grew = (name: string, from: number | undefined, to: number | undefined): void => {
    if (from === undefined || to === undefined || to <= from * GROWTH_MARK || to === 0) return
    markers.push(
      from === 0 ? `${name} from none` : `${name} +${Math.round((to / from - 1) * 100)}%`
    )
  }
  grew('triangles', before.model.triangles, after.model.triangles)
  grew('file size', before.bytes, after.bytes)
  grew('texture bytes', before.model.textureBytes, after.model.textureBytes)
  const [beforeTexture, afterTexture] = [before.model.largestTexture, after.model.largestTexture]
  if (afterTexture && pixels(afterTexture) > pixels(beforeTexture) * 2) {
    markers.push(`largest texture ${textureText(afterTexture)}`)
  }
  const scale = scaleChange(before.model.size, after.model.size)
  if (scale !== undefined) markers.push(scale)
  return markers
}

function pixels(texture: [number, number] | undefined): number {
  return texture ? texture[0] * texture[1] : 0
}

/** "bounding box 100× larger", when the largest side changed ten times or more. */
function scaleChange(before: ModelStats['size'], after: ModelStats['size']): string | undefined {
  if (!before || !after) return undefined
  const [from, to] = [Math.max(...before), Math.max(...after)]
  if (from <= 0 || to <= 0) return undefined
  const ratio = to / from
  if (ratio >= SCALE_MARK) return `bounding box ${Math.round(ratio)}× larger`
  if (ratio <= 1 / SCALE_MARK) return `bounding box ${Math.round(1 / ratio)}× smaller`
  return undefined
}

/** The review's columns, as plain text, for a renderer to escape. */
export const REVIEW_COLUMNS = [
  'Model',
  'Size',
  'Triangles',
  'Textures',
  'Bounding box (m)',
  'Look at'
] as const

/** One row of plain text cells, "before → after" where there was a before. */
export function reviewCells(change: ModelChange): string[] {
  const { before, after } = change
  const pair = (show: (facts: ModelFacts) => string): string => {
    const now = show(after)
    if (!before) return now
    const then = show(before)
    return then === now ? now : `${then} → ${now}`
  }
  return [
    change.path,
    pair(facts => formatBytes(facts.bytes)),
    pair(facts => countText(facts.model.triangles)),
    pair(texturesText),
    pair(facts => sizeText(facts.model.size)),
    before ? change.markers.join('; ') : 'new'
  ]
}

/** What a file holds, as the row of its pictures shows it. */
type SizeFacts = Pick<ModelFacts, 'bytes'> & { model?: ModelStats }

/** Bytes and triangles, before → after, for the row of a model's pictures: "new" or "removed". */
export function sizeChangeText(before?: SizeFacts, after?: SizeFacts): string {
  if (!after) return before ? `removed: ${factsText(before)}` : ''
  if (!before) return `new: ${factsText(after)}`
  const bytes = `${formatBytes(before.bytes)} → ${formatBytes(after.bytes)}`
  const [from, to] = [before.model?.triangles, after.model?.triangles]
  if (from === undefined || to === undefined) return bytes
  return `${bytes}, ${formatCount(from)} → ${formatCount(to)} triangles`
}

function factsText(facts: SizeFacts): string {
  const triangles = facts.model?.triangles
  const noun = triangles === 1 ? 'triangle' : 'triangles'
  const count = triangles === undefined ? '' : `, ${formatCount(triangles)} ${noun}`
  return `${formatBytes(facts.bytes)}${count}`
}

function texturesText(facts: ModelFacts): string {
  const { textures, largestTexture, textureBytes } = facts.model
  if (textures === undefined) return '—'
  if (textures === 0) return 'none'
  const largest = largestTexture ? `, largest ${textureText(largestTexture)}` : ''
  const bytes = textureBytes ? `, ${formatBytes(textureBytes)}` : ''
  return `${textures}${largest}${bytes}`
}

function textureText([width, height]: [number, number]): string {
  return `${width}×${height}`
}

function countText(count: number | undefined): string {
  return count === undefined ? '—' : formatCount(count)
}

function sizeText(size: ModelStats['size']): string {
  if (!size) return '—'
  return size.map(side => Number(side.toPrecision(3)).toString()).join(' × ')
}

/** The columns of the table of models over budget. */
export const BUDGET_COLUMNS = ['Model', 'Limit', 'Allowed', 'Actual', 'Over by'] as const

/** One breach as plain text cells. */
export function breachCells(breach: BudgetBreach): string[] {
  const scope = breach.format
  return [
    breach.path,
    `${breach.limit} (${scope})`,
    limitText(breach.limit, breach.max),
    limitText(breach.limit, breach.actual),
    overBy(breach)
  ]
}

/** As a share of the limit; over a limit of nothing, by the amount itself. */
function overBy(breach: BudgetBreach): string {
  if (breach.max === 0) return `+${limitText(breach.limit, breach.actual)}`
  return `+${Math.round((breach.actual / breach.max - 1) * 100)}%`
}

/** "Chair.glb: triangles 48 over the 12 allowed": for a log line or an annotation. */
export function breachText(breach: BudgetBreach): string {
  const [, , allowed, actual, over] = breachCells(breach)
  return `${breach.path}: ${breach.limit} ${actual}, over the ${allowed} allowed (${over})`
}

function limitText(limit: BudgetLimit, value: number): string {
  if (limit === 'file-size' || limit === 'texture-bytes') return formatBytes(value)
  if (limit === 'bounding-box') return `${Number(value.toPrecision(3))} m`
  if (limit === 'texture-size') return `${value} px`
  return countText(value)
}
