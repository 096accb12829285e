// `npm run bench`: the action against the echo3D emulator, beside curl doing the same transfers
// (`curl --parallel --parallel-max <concurrency>` over the same URLs). Prints wall time, the ratio
// to curl, and peak RSS (VmHWM, Linux). Not part of the test run: these machines are noisy.
//
// Needs curl and openssl on PATH. BENCH_LARGE_MB (default 512) sizes the large asset;
// BENCH_BANDWIDTH_MB (default 200) caps each transfer in the paced variant of workload 1;
// BENCH_RUNS (default 3) repeats each measurement and keeps the median. BENCH_SCALE_ENTRIES
// (default 5000) sizes the large catalogue of workloads 5 and 6. BENCH_ONLY (transfers, scale,
// models, comma-separated) runs only those groups.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmulator, type Emulator, type EntrySpec } from '../emulator/server.ts'
import {
  BUNDLE,
  emulatorInputs,
  removeScratchFolders,
  runAction,
  scratchFolder,
  type RunOptions
} from '../harness/runner.ts'

const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 512)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const CONCURRENCY = 4
const SCALE_ENTRIES = Number(process.env.BENCH_SCALE_ENTRIES ?? 5000)
/** A fast CDN link, where the network rather than the CPU sets the pace. */
const BANDWIDTH_MB = Number(process.env.BENCH_BANDWIDTH_MB ?? 200)

interface Measure {
  wallMs: number
  peakRssMb: number
  /** User + system CPU time of the process, all its threads. */
  cpuMs: number
  firstLineMs?: number
}

if (!existsSync(BUNDLE)) {
  console.error('dist/index.js is missing: run `npm run build` first.')
  process.exit(1)
}

const small: EntrySpec[] = Array.from({ length: 40 }, (_, index) => ({
  id: `small-${index}`,
  filename: `Prop ${index}.glb`,
  derived: [],
  minBytes: 64 * 1024
}))
const large: EntrySpec = {
  id: 'large-0',
  filename: 'Hangar.glb',
  derived: [],
  minBytes: LARGE_MB * 1024 * 1024
}
const many: EntrySpec[] = Array.from({ length: 500 }, (_, index) => ({
  id: `many-${index}`,
  filename: `Tile ${index}.glb`,
  derived: [],
  minBytes: 4 * 1024
}))

if (wants('transfers')) await transferWorkloads()
if (wants('scale')) {
  console.log(`\nScale: ${SCALE_ENTRIES} entries of 200 KiB, and conversions that take 3 s each…`)
  const { rows, note } = await scaleRows()
  printTable(
    ['workload', 'time', 'peak RSS', 'CPU', 'metadata queries', 'transfers', 'before'],
    rows
  )
  console.log(note)
}
if (wants('models')) {
  console.log('\nModels: statistics and validation of what is pulled…')
  printTable(
    ['workload', 'time', 'peak RSS', 'CPU', 'statistics (share)', 'validation (share)'],
    await modelRows()
  )
}
await removeScratchFolders()
console.log(
  `\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
)
console.log(
  `Median of ${RUNS} runs each; concurrency ${CONCURRENCY}; loopback, so the figures measure overhead, not bandwidth.`
)

/** Workloads 1 to 4: transfers, beside curl doing the same. */
async function transferWorkloads(): Promise<void> {
  console.log(
    `Starting the emulator with 40 × 64 KiB, 1 × ${LARGE_MB} MiB and 500 × 4 KiB GLB entries…`
  )
  const emulator = await startEmulator({ entries: [...small, large, ...many] })
  const rows: string[][] = []
  try {
    const coldIds = [...small, large].map(entry => entry.id)
    const manyIds = many.map(entry => entry.id)

    const cold = await median(() => measureAction(emulator, coldIds, {}))
    const coldNoCache = await median(() => measureAction(emulator, coldIds, { cache: 'false' }))
    const curlCold = await median(() => measureCurl(emulator, coldIds))
    const curlHashed = await median(() => measureCurl(emulator, coldIds, { hash: true }))
    rows.push(row('1. 40 small + 1 large, cold', cold, curlCold))
    rows.push(row('1. same, cache: false', coldNoCache, curlCold))
    rows.push(row('1. same, against curl + SHA-256 of its files', cold, curlHashed))

    emulator.bandwidth = BANDWIDTH_MB * 1024 * 1024
    const paced = await median(() => measureAction(emulator, coldIds, {}))
    const curlPaced = await median(() => measureCurl(emulator, coldIds))
    emulator.bandwidth = 0
    rows.push(row(`1. same, at ${BANDWIDTH_MB} MiB/s per transfer`, paced, curlPaced))

    const warm = await prepared(emulator, coldIds)
    const unchanged = await median(() => measureAction(emulator, coldIds, {}, warm))
    rows.push(row('2. the same again, unchanged', unchanged, curlCold))

    const warmMany = await prepared(emulator, manyIds)
    const unchangedMany = await median(() => measureAction(emulator, manyIds, {}, warmMany))
    const curlMany = await median(() => measureCurl(emulator, manyIds))
    rows.push(row('3. 500 entries, unchanged', unchangedMany, curlMany))

    const start = await median(() => measureColdStart())
    const bare = await median(() => measureProcess(process.execPath, ['-e', '0']))
    rows.push([
      '4. cold start (to first log line)',
      ms(start.firstLineMs ?? start.wallMs),
      `${ms(bare.wallMs)} (node -e 0)`,
      ratio(start.firstLineMs ?? start.wallMs, bare.wallMs),
      mb(start.peakRssMb),
      mb(bare.peakRssMb),
      cpu(start.cpuMs),
      cpu(bare.cpuMs)
    ])
  } finally {
    await Promise.all([emulator.close(), removeScratchFolders()])
  }

  printTable(
    ['workload', 'action', 'curl', 'ratio', 'action RSS', 'curl RSS', 'action CPU', 'curl CPU'],
    rows
  )
}

/** BENCH_ONLY=transfers,scale,models runs only those groups of workloads; all by default. */
function wants(group: string): boolean {
  const only = process.env.BENCH_ONLY
  return !only || only.split(',').includes(group)
}

/**
 * What reading statistics and validating cost a cold pull, from the action's own line that sums
 * the time each took, beside the pull's wall time.
 */
async function modelRows(): Promise<string[][]> {
  const props: EntrySpec[] = Array.from({ length: 40 }, (_, index) => ({
    id: `prop-${index}`,
    filename: `Prop ${index}.glb`,
    derived: [],
    minBytes: 1024 * 1024
  }))
  const models = await startEmulator({ entries: [large, ...props] })
  try {
    const rows: string[][] = []
    for (const [name, entries] of [
      [`8. one ${LARGE_MB} MiB GLB, cold`, [large]],
      ['9. 40 GLBs of 1 MiB (validated), cold', props]
    ] as const) {
      const ids = entries.map(entry => entry.id)
      const inspections: Inspection[] = []
      const pulled = await median(() =>
        inspected(inspections, onLine =>
          measureAction(models, ids, { cache: 'false' }, undefined, onLine)
        )
      )
      const shares = inspectionShares(inspections, pulled)
      rows.push([
        name,
        ms(pulled.wallMs),
        mb(pulled.peakRssMb),
        cpu(pulled.cpuMs),
        shares.statistics,
        shares.validation
      ])
    }
    return rows
  } finally {
    await models.close()
  }
}

interface Inspection {
  statisticsMs: number
  validationMs: number
}

/** Runs a measurement, noting the action's line on what inspecting the models took. */
async function inspected(
  into: Inspection[],
  measure: (onLine: (line: string) => void) => Promise<Measure>
): Promise<Measure> {
  let inspection: Inspection = { statisticsMs: 0, validationMs: 0 }
  const result = await measure(line => {
    inspection = inspectionOf(line) ?? inspection
  })
  into.push(inspection)
  return result
}

/** The median time of each, and its share of the median run's wall time. */
function inspectionShares(
  inspections: Inspection[],
  pulled: Measure
): { statistics: string; validation: string } {
  const share = (part: number): string =>
    `${ms(part)} (${((part / pulled.wallMs) * 100).toFixed(1)} %)`
  return {
    statistics: share(middle(inspections.map(inspection => inspection.statisticsMs))),
    validation: share(middle(inspections.map(inspection => inspection.validationMs)))
  }
}

/** The times of the action's "Read the statistics of … in 0.1s; validated … in 0.3s" line. */
function inspectionOf(line: string): Inspection | undefined {
  const match = /^Read the statistics of .*? in ([\dm.]+s)(?:; validated .* in ([\dm.]+s))?$/.exec(
    line
  )
  if (!match) return undefined
  return { statisticsMs: seconds(match[1]) * 1000, validationMs: seconds(match[2] ?? '0s') * 1000 }
}

/** formatDuration's text (1.2s, 45s, 2m05s) as seconds. */
function seconds(text: string): number {
  const match = /^(?:(\d+)m)?(\d+(?:\.\d+)?)?s?$/.exec(text)
  return match ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : 0
}

function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
}

/** The workloads of a large catalogue, each beside the figure measured before the scale work. */
async function scaleRows(): Promise<{ rows: string[][]; note: string }> {
  const catalogue: EntrySpec[] = Array.from({ length: SCALE_ENTRIES }, (_, index) => ({
    id: `scale-${index}`,
    filename: `Part ${index}.glb`,
    derived: [],
    tags: ['catalogue'],
    minBytes: 200 * 1024
  }))
  const converting: EntrySpec[] = Array.from({ length: 12 }, (_, index) => ({
    id: `convert-${index}`,
    filename: `Statue ${index}.glb`,
    derived: [],
    minBytes: 64 * 1024
  }))
  const scale = await startEmulator({ entries: [...catalogue, ...converting] })
  try {
    const selection = { tags: 'catalogue' }
    const options = { concurrency: '8', cache: 'false' }
    const inspections: Inspection[] = []
    const cold = await counted(scale, () =>
      inspected(inspections, onLine => measureAction(scale, selection, options, undefined, onLine))
    )
    const warm = await prepared(scale, selection)
    const again = await counted(scale, () => measureAction(scale, selection, options, warm))
    // Each run converts anew: a format echo3D has not made yet, for every run of the median.
    const formats = ['usdz', 'obj', 'stl', 'fbx', 'gltf']
    let run = 0
    scale.conversionDelayMs = 3000
    const conversions = await counted(scale, () => {
      const format = formats[run++ % formats.length]
      const entries = converting.map(entry => `${entry.id}: ${format}`)
      return measureAction(scale, entries, { 'convert-missing': 'true' })
    })
    const shares = inspectionShares(inspections, cold.measure)
    return {
      rows: [
        scaleRow(`5. ${SCALE_ENTRIES} entries by tag, cold`, cold, '247–271 MB'),
        scaleRow(`6. the same again, unchanged`, again, '4.8–5.6 s, 177–191 MB'),
        scaleRow('7. 12 conversions of 3 s, concurrency 4', conversions, '9.3 s')
      ],
      note: `Workload 5's models: statistics ${shares.statistics}, validation ${shares.validation} of its time, statistics summed over the files, validation the time the validator had a file.`
    }
  } finally {
    await scale.close()
  }
}

interface Counted {
  measure: Measure
  queries: number
  transfers: number
}

/** The median run, with the requests echo3D saw during the last run. */
async function counted(emulator: Emulator, measure: () => Promise<Measure>): Promise<Counted> {
  const result = await median(() => {
    emulator.requests.splice(0)
    return measure()
  })
  const routes = emulator.requests.map(request => request.route)
  return {
    measure: result,
    queries: routes.filter(route => route === 'query').length,
    transfers: routes.filter(route => route === 'file' || route === 'download').length
  }
}

function scaleRow(name: string, result: Counted, before: string): string[] {
  const { measure } = result
  return [
    name,
    ms(measure.wallMs),
    mb(measure.peakRssMb),
    cpu(measure.cpuMs),
    String(result.queries),
    String(result.transfers),
    before
  ]
}

function row(name: string, action: Measure, curl: Measure): string[] {
  return [
    name,
    ms(action.wallMs),
    ms(curl.wallMs),
    ratio(action.wallMs, curl.wallMs),
    mb(action.peakRssMb),
    mb(curl.peakRssMb),
    cpu(action.cpuMs),
    cpu(curl.cpuMs)
  ]
}

async function median(measure: () => Promise<Measure>): Promise<Measure> {
  const results: Measure[] = []
  for (let run = 0; run < RUNS; run++) results.push(await measure())
  results.sort((a, b) => a.wallMs - b.wallMs)
  return results[Math.floor(results.length / 2)]
}

interface Folders {
  workspace: string
  toolCache: string
}

/** A workspace and tool cache that already hold the files, for the unchanged workloads. */
async function prepared(emulator: Emulator, ids: string[] | { tags: string }): Promise<Folders> {
  const selection = Array.isArray(ids) ? { entries: ids.join('\n') } : ids
  const result = await runAction({
    inputs: { ...emulatorInputs(emulator), ...selection, concurrency: '8' }
  })
  if (result.code !== 0) throw new Error(`setup run failed:\n${result.stdout}`)
  return { workspace: result.workspace, toolCache: result.toolCache }
}

async function measureAction(
  emulator: Emulator,
  ids: string[] | { tags: string },
  extra: Record<string, string>,
  folders?: Folders,
  onLine?: (line: string) => void
): Promise<Measure> {
  const started = performance.now()
  let firstLineMs: number | undefined
  let usage = noUsage()
  const options: RunOptions = {
    inputs: {
      ...emulatorInputs(emulator),
      ...(Array.isArray(ids) ? { entries: ids.join('\n') } : ids),
      concurrency: String(CONCURRENCY),
      ...extra
    },
    ...folders,
    onSpawn: child => {
      usage = watchUsage(child)
    },
    onLine: line => {
      firstLineMs ??= performance.now() - started
      onLine?.(line)
    }
  }
  const result = await runAction(options)
  const wallMs = performance.now() - started
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}`)
  if (!folders) await rm(path.dirname(result.workspace), { recursive: true, force: true })
  return { wallMs, ...usage, firstLineMs }
}

async function measureColdStart(): Promise<Measure> {
  // No inputs: the action validates, logs its error and exits; the first line is what counts.
  const started = performance.now()
  let firstLineMs: number | undefined
  let usage = noUsage()
  await runAction({
    inputs: {},
    onSpawn: child => {
      usage = watchUsage(child)
    },
    onLine: () => {
      firstLineMs ??= performance.now() - started
    }
  })
  return { wallMs: performance.now() - started, ...usage, firstLineMs }
}

/**
 * curl over the same URLs. With `hash`, `openssl dgst -sha256` then reads every file it wrote: the
 * same work as the action, which hashes each file for the lockfile with the same library
 * (coreutils' sha256sum has no SHA extensions and would flatter the action).
 */
async function measureCurl(
  emulator: Emulator,
  ids: string[],
  options: { hash?: boolean } = {}
): Promise<Measure> {
  const folder = await scratchFolder('bench-curl')
  const config = ids
    .map((id, index) => {
      const url = new URL('/query', emulator.apiUrl)
      url.search = new URLSearchParams({
        ...apiCredentials(emulator),
        file: emulator.storageIdOf(id, 'glb') ?? ''
      }).toString()
      return `url = "${url.href}"\noutput = "${path.join(folder, `${index}.glb`)}"`
    })
    .join('\n')
  await writeFile(path.join(folder, 'curl.config'), config)
  const curlArgs = [
    '--silent',
    '--no-progress-meter',
    '--show-error',
    '--fail',
    '--location',
    '--parallel',
    '--parallel-max',
    String(CONCURRENCY),
    '--config',
    path.join(folder, 'curl.config')
  ]
  // The shell's own figures say nothing about curl's, so the hashed run reports none.
  const measure = options.hash
    ? {
        ...(await measureProcess(
          'sh',
          [
            '-c',
            'curl "$@" && openssl dgst -sha256 "$FOLDER"/*.glb > /dev/null',
            'sh',
            ...curlArgs
          ],
          { FOLDER: folder }
        )),
        peakRssMb: 0,
        cpuMs: 0
      }
    : await measureProcess('curl', curlArgs)
  await rm(folder, { recursive: true, force: true })
  return measure
}

async function measureProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {}
): Promise<Measure> {
  const started = performance.now()
  const child = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env }
  })
  const usage = watchUsage(child)
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  if (code !== 0) throw new Error(`${command} exited with ${code}`)
  return { wallMs: performance.now() - started, ...usage }
}

type Usage = Pick<Measure, 'peakRssMb' | 'cpuMs'>

function noUsage(): Usage {
  return { peakRssMb: 0, cpuMs: 0 }
}

/**
 * Samples a process every 5 ms until it ends (Linux): the high-water mark of its resident memory
 * (VmHWM) and the CPU time of all its threads (utime + stime, in ticks of 10 ms). The object it
 * returns fills in as the samples come.
 */
function watchUsage(child: ChildProcess): Usage {
  const usage = noUsage()
  const sample = async (): Promise<void> => {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => ''),
      readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '')
    ])
    const peak = /VmHWM:\s+(\d+) kB/.exec(status)
    if (peak) usage.peakRssMb = Math.max(usage.peakRssMb, Number(peak[1]) / 1024)
    // Fields after the command name, which is in parentheses: utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    if (Number.isFinite(ticks)) usage.cpuMs = Math.max(usage.cpuMs, ticks * 10)
  }
  const timer = setInterval(() => void sample(), 5)
  child.on('exit', () => clearInterval(timer))
  return usage
}

function apiCredentials(emulator: Emulator): Record<string, string> {
  return {
    key: emulator.credentials.apiKey,
    email: emulator.credentials.email,
    userKey: emulator.credentials.userKey
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`
}

function cpu(value: number): string {
  return value > 0 ? ms(value) : '—'
}

function mb(value: number): string {
  return value > 0 ? `${Math.round(value)} MB` : '—'
}

function ratio(action: number, reference: number): string {
  return `${(action / reference).toFixed(2)}×`
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map(line => line[column].length))
  )
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`
  console.log(`\n${format(header)}\n| ${widths.map(width => '-'.repeat(width)).join(' | ')} |`)
  for (const line of body) console.log(format(line))
}
