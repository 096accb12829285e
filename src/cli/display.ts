// How a run's events reach the person who started it. In a terminal: a live row per transfer
// (bytes, rate, time left) and per conversion (time waited), with each finished file printed above
// them. Elsewhere (CI, a pipe, --quiet, --json): one plain line per event, the same lines the
// action writes to its job log.

import { MultiBar, Format, type GenericBar, type Options, type Params } from 'cli-progress'
import type { ByteProgress, EventSink, RunEvent } from '../engine/index.js'
import { formatBytes, formatDuration } from '../quantities.js'
import type { PlannedAsset } from '../model.js'
import { logLineOf, type LogLine } from '../report/log-lines.js'
import type { Terminal } from './terminal.js'

export interface Display {
  emit: EventSink
  onBytes?: ByteProgress
  /** Takes the live rows off the screen; lines printed stay. */
  stop(): void
}

function createDisplay(terminal: Terminal): Display {
  return terminal.live ? new LiveDisplay(terminal) : new LineDisplay(terminal)
}

/** Runs `work` with a display, whose live rows leave the screen however it ends. */
export async function withDisplay<T>(
  terminal: Terminal,
  work: (display: Display) => Promise<T>
): Promise<T> {
  const display = createDisplay(terminal)
  try {
    return await work(display)
  } finally {
    display.stop()
  }
}

/** One line per event, as the job log has them; --quiet and --json keep only warnings. */
class LineDisplay implements Display {
  constructor(private readonly terminal: Terminal) {}

  emit: EventSink = event => {
    const line = logLineOf(event)
    if (line.level === 'warning') this.terminal.warn(line.text)
    else if (this.shows(line)) this.terminal.print(textOf(line), paintFor(line, this.terminal))
  }

  stop(): void {}

  private shows(line: LogLine): boolean {
    const { json, quiet, verbose } = this.terminal.options
    if (json || quiet || line.level === 'end-group') return false
    return line.level !== 'debug' || verbose
  }
}

interface RowPayload {
  label: string
  /** When echo3D started converting; undefined once bytes arrive. */
  convertingSince?: number
  /** undefined: the server sent no length. */
  totalBytes?: number
}

const ROW_OPTIONS: Options = {
  format: renderRow,
  hideCursor: true,
  clearOnComplete: true,
  linewrap: false,
  barsize: 20,
  fps: 8,
  barCompleteChar: '█',
  barIncompleteChar: '░'
}

const LIVE_ROW_EVENTS = new Set<RunEvent['kind']>([
  'conversion-started',
  'conversion-waiting',
  'download-progress'
])

/** Live rows under the printed lines; only where a person watches a terminal. */
class LiveDisplay implements Display {
  private readonly bars: MultiBar
  private readonly rows = new Map<PlannedAsset, GenericBar>()

  constructor(private readonly terminal: Terminal) {
    this.bars = new MultiBar({ ...ROW_OPTIONS, stream: terminal.stdout })
  }

  emit: EventSink = event => {
    if (event.kind === 'conversion-started') this.startConversion(event.asset)
    else if (event.kind === 'pulled' || event.kind === 'failed') this.finish(event)
    // The live rows show these.
    if (LIVE_ROW_EVENTS.has(event.kind)) return
    const line = logLineOf(event)
    if (line.level === 'warning')
      this.printLine(`${this.terminal.colors.yellow('warning:')} ${this.terminal.safe(line.text)}`)
    else if (
      line.level !== 'end-group' &&
      (line.level !== 'debug' || this.terminal.options.verbose)
    )
      this.printLine(paintFor(line, this.terminal)(this.terminal.safe(textOf(line))))
  }

  onBytes: ByteProgress = (asset, bytesSoFar, totalBytes) => {
    const row = this.rows.get(asset) ?? this.startRow(asset)
    const total = Math.max(totalBytes ?? 0, bytesSoFar, 1)
    if (row.getTotal() !== total) row.setTotal(total)
    row.update(bytesSoFar, { convertingSince: undefined, totalBytes })
  }

  /** Prints what was logged above the rows, then takes the rows off the screen. */
  stop(): void {
    if (!this.bars.isActive) return
    this.bars.update()
    this.bars.stop()
  }

  private startConversion(asset: PlannedAsset): void {
    const row = this.rows.get(asset) ?? this.startRow(asset)
    row.update(0, { convertingSince: Date.now() })
  }

  private startRow(asset: PlannedAsset): GenericBar {
    const payload: RowPayload = { label: this.terminal.safe(asset.relativePath) }
    const row = this.bars.create(1, 0, payload)
    this.rows.set(asset, row)
    return row
  }

  private finish(event: Extract<RunEvent, { kind: 'pulled' | 'failed' }>): void {
    const row = event.asset && this.rows.get(event.asset)
    if (!row || !event.asset) return
    this.rows.delete(event.asset)
    this.bars.remove(row)
    // With no row left, lines go straight to the terminal until the next transfer starts.
    if (this.rows.size === 0) this.stop()
  }

  /**
   * Above the live rows while they are drawn, straight to the terminal otherwise: the rows are
   * redrawn by moving the cursor up over them, so nothing else may write between two redraws.
   */
  private printLine(safeLine: string): void {
    if (this.bars.isActive) this.bars.log(`${safeLine}\n`)
    else this.terminal.printSafe(safeLine)
  }
}

function renderRow(options: Options, params: Params, payload: RowPayload): string {
  if (payload.convertingSince !== undefined) {
    const waited = formatDuration(Date.now() - payload.convertingSince)
    return `  ${payload.label}  converting on echo3D, waited ${waited}`
  }
  const elapsedSeconds = Math.max((Date.now() - params.startTime) / 1000, 0.001)
  const rate = Math.round(params.value / elapsedSeconds)
  const received = formatBytes(params.value)
  if (payload.totalBytes === undefined) {
    return `  ${payload.label}  ${received}  ${formatBytes(rate)}/s`
  }
  const left = rate > 0 ? formatDuration(((payload.totalBytes - params.value) / rate) * 1000) : '?'
  const bar = Format.BarFormat(params.progress, options)
  const percent = Math.floor(params.progress * 100)
  return `  ${payload.label}  ${bar} ${percent}%  ${received} of ${formatBytes(payload.totalBytes)}  ${formatBytes(rate)}/s  ${left} left`
}

function textOf(line: LogLine): string {
  if (line.level === 'end-group') return ''
  return line.level === 'group' ? line.title : line.text
}

function paintFor(line: LogLine, terminal: Terminal): (text: string) => string {
  const { colors } = terminal
  if (line.level === 'group') return colors.bold
  if (line.level === 'debug') return colors.dim
  if (line.level === 'info' && line.text.startsWith('✓')) return colors.green
  if (line.level === 'info' && line.text.startsWith('✗')) return colors.red
  return text => text
}
