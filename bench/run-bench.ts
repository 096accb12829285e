// `npm run bench`: the built action against the echo3D emulator, beside curl doing the same
// transfers, and the project's speed and memory goals checked against the figures. Not part of the
// test run: these machines are noisy, so a goal missed once is worth a second run before a search.
//
// Prints, for each workload, wall time, peak RSS (VmHWM, Linux) and CPU time, the reference tool's
// figures where there is one, and at the end each goal with the figures it is judged by.
//
// Needs curl and openssl on PATH; the optimize group runs glTF-Transform's CLI (a dev dependency)
// as its reference. Environment:
//   BENCH_ONLY    transfers, memory, scale, models, optimize, previews (comma-separated): only those groups
//   BENCH_RUNS    repetitions of each measurement, the median kept (default 3)
//   BENCH_LARGE_MB       the large model of the transfer workloads (default 512)
//   BENCH_BANDWIDTH_MB   the cap on each transfer in the paced workload (default 200)
//   BENCH_HUGE_MB        the largest model of the memory group (default 2048)

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmulator, type Emulator, type EntrySpec } from '../emulator/server.ts'
import {
  BUNDLE,
  PROJECT_ROOT,
  emulatorInputs,
  removeScratchFolders,
  runAction,
  scratchFolder,
  type RunOptions
} from '../harness/runner.ts'
import { patternPng, terrainGlb } from '../harness/optimizable.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 512)
const BANDWIDTH_MB = Number(process.env.BENCH_BANDWIDTH_MB ?? 200)
const HUGE_MB = Number(process.env.BENCH_HUGE_MB ?? 2048)
/** glTF-Transform's CLI with the web preset's settings, and geometry kept whole, as `optimize` keeps it. */
const REFERENCE_OPTIMIZE = [
  ...['--compress', 'meshopt', '--texture-compress', 'webp', '--texture-size', '2048'],
  ...['--simplify', 'false', '--weld', 'false', '--flatten', 'false', '--join', 'false'],
  ...['--instance', 'false', '--palette', 'false']
]

/** The models the previews group draws in its larger run. */
const PREVIEW_MODELS = 11

/** The optimised catalogue of the optimize group, and the part of it the smaller run takes. */
const CATALOGUE_MODELS = 48
const FEW_MODELS = 12

/** The action's default `concurrency`, which the goals are judged at. */
const CONCURRENCY = 4

interface Measure {
  wallMs: number
  peakRssMb: number
  /** User + system CPU time of the process, all its threads. */
  cpuMs: number
}

/** A goal of the project, judged by the figures of this run. */
interface Goal {
  goal: string
  figures: string
  met: boolean
}

const goals: Goal[] = []

if (!existsSync(BUNDLE)) {
  console.error('dist/index.js is missing: run `npm run build` first.')
  process.exit(1)
}

if (wants('transfers')) await transferWorkloads()
if (wants('memory')) await memoryWorkloads()
if (wants('scale')) await scaleWorkloads()
if (wants('models')) await modelWorkloads()
if (wants('optimize')) await optimizeWorkloads()
if (wants('previews')) await previewWorkloads()
await removeScratchFolders()
printGoals()
console.log(
  `\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
)
console.log(
  `Median of ${RUNS} runs each; concurrency ${CONCURRENCY} unless a row says otherwise; loopback.`
)

/** BENCH_ONLY=transfers,memory,… runs only those groups; all by default. */
function wants(group: string): boolean {
  const only = process.env.BENCH_ONLY
  return !only || only.split(',').includes(group)
}

function glbEntries(prefix: string, count: number, bytes: number, tags?: string[]): EntrySpec[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    filename: `${prefix} ${index}.glb`,
    derived: [],
    tags,
    minBytes: bytes
  }))
}

/** Workload 1, 40 small models and one large one, beside curl; its unchanged re-run; a cold start. */
async function transferWorkloads(): Promise<void> {
  console.log(`Transfers: 40 × 64 KiB and 1 × ${LARGE_MB} MiB GLB entries, beside curl…`)
  const entries = [
    ...glbEntries('prop', 40, 64 * 1024),
    ...glbEntries('hangar', 1, LARGE_MB * 1024 * 1024)
  ]
  const emulator = await startEmulator({ entries })
  const ids = entries.map(entry => entry.id)
  const rows: string[][] = []
  try {
    const cold = await median(() => measureAction(emulator, { entries: ids.join('\n') }))
    const curl = await median(() => measureCurl(emulator, ids))
    const curlHashed = await median(() => measureCurl(emulator, ids, { hash: true }))
    const stockNode = await median(() => measureStockNode(emulator, ids))
    rows.push(row('1. cold, loopback', cold, curl))
    rows.push(row('1. cold, against curl + SHA-256 of its files', cold, curlHashed))
    rows.push(row('1. cold, against a bare Node reader (undici, SHA-256)', cold, stockNode))
    rows.push(row('1. the bare Node reader against curl + SHA-256', stockNode, curlHashed))
    judgeRatio('on loopback, within 1.15× of curl + SHA-256', cold, curlHashed, 1.15)

    emulator.bandwidth = BANDWIDTH_MB * 1024 * 1024
    const paced = await median(() => measureAction(emulator, { entries: ids.join('\n') }))
    const curlPaced = await median(() => measureCurl(emulator, ids))
    emulator.bandwidth = 0
    rows.push(row(`1. cold, each transfer at ${BANDWIDTH_MB} MiB/s`, paced, curlPaced))
    judgeRatio(`at ${BANDWIDTH_MB} MiB/s a transfer, within 1.1× of curl`, paced, curlPaced, 1.1)

    const warm = await prepared(emulator, { entries: ids.join('\n') })
    const unchanged = await median(() => measureAction(emulator, { entries: ids.join('\n') }, warm))
    rows.push(row('2. the same again, unchanged', unchanged, curl))
    const start = await median(() => measureColdStart())
    const bare = await median(() => measureProcess(process.execPath, ['-e', '0']))
    rows.push(row('3. start-up to a failed input, beside `node -e 0`', start, bare))
  } finally {
    await emulator.close()
  }
  printTable(['workload', 'action', 'reference', 'ratio', 'action RSS', 'action CPU'], rows)
}

/**
 * Memory as the catalogue and the files grow: a cold pull of 500 and of 5,000 entries, and one
 * model of 64 MiB and of 2 GiB. Each pair must stay near flat.
 */
async function memoryWorkloads(): Promise<void> {
  console.log(
    '\nMemory: cold pulls of 500 and 5,000 entries of 200 KiB; one model, 64 MiB and 2 GiB…'
  )
  const emulator = await startEmulator({
    entries: [
      ...glbEntries('part', 5000, 200 * 1024, ['catalogue']),
      ...glbEntries('few', 500, 200 * 1024, ['few']),
      ...glbEntries('mid', 1, 64 * 1024 * 1024),
      ...glbEntries('huge', 1, HUGE_MB * 1024 * 1024)
    ]
  })
  try {
    const cold = { cache: 'false' }
    const few = await median(() => measureAction(emulator, { tags: 'few', ...cold }))
    const many = await median(() => measureAction(emulator, { tags: 'catalogue', ...cold }))
    const busy = { tags: 'catalogue', ...cold, concurrency: '8' }
    const manyBusy = await median(() => measureAction(emulator, busy))
    const large = { cache: 'false', 'max-file-size': `${HUGE_MB + 1}MiB` }
    const mid = await median(() => measureAction(emulator, { entries: 'mid-0', ...large }))
    const huge = await median(() => measureAction(emulator, { entries: 'huge-0', ...large }))
    printTable(
      ['workload', 'time', 'peak RSS', 'CPU'],
      [
        usageRow('4. 500 entries, cold', few),
        usageRow('4. 5,000 entries, cold', many),
        usageRow('4. 5,000 entries, cold, concurrency 8', manyBusy),
        usageRow('5. one 64 MiB model, cold', mid),
        usageRow(`5. one ${HUGE_MB} MiB model, cold`, huge)
      ]
    )
    judgePeak('5,000 entries peak at most 1.5× the peak of 500', many, few, 1.5)
    goals.push({
      goal: '5,000 entries peak at most 300 MB',
      figures: mb(many.peakRssMb),
      met: many.peakRssMb <= 300
    })
    judgePeak(`a ${HUGE_MB} MiB model peaks at most 1.2× a 64 MiB one`, huge, mid, 1.2)
  } finally {
    await emulator.close()
  }
}

/** An unchanged run of 5,000 entries, and conversions that take echo3D 3 s each. */
async function scaleWorkloads(): Promise<void> {
  console.log('\nScale: 5,000 entries of 200 KiB unchanged, and 12 conversions of 3 s…')
  const converting = glbEntries('statue', 12, 64 * 1024)
  const emulator = await startEmulator({
    entries: [...glbEntries('part', 5000, 200 * 1024, ['catalogue']), ...converting]
  })
  try {
    const selection = { tags: 'catalogue' }
    const warm = await prepared(emulator, selection)
    const unchanged = await median(() => measureAction(emulator, selection, warm))
    // Each run asks for a format echo3D has not made yet, for every run of the median.
    const formats = ['usdz', 'obj', 'stl', 'fbx', 'gltf']
    let run = 0
    emulator.conversionDelayMs = 3000
    const conversions = await median(() => {
      const format = formats[run++ % formats.length]
      const entries = converting.map(entry => `${entry.id}: ${format}`).join('\n')
      return measureAction(emulator, { entries, 'convert-missing': 'true' })
    })
    printTable(
      ['workload', 'time', 'peak RSS', 'CPU'],
      [
        usageRow('6. 5,000 entries, unchanged', unchanged),
        usageRow('7. 12 conversions of 3 s', conversions)
      ]
    )
    goals.push({
      goal: 'an unchanged run of 5,000 entries takes under 3 s',
      figures: ms(unchanged.wallMs),
      met: unchanged.wallMs < 3000
    })
  } finally {
    await emulator.close()
  }
}

/** What reading statistics and validating cost a cold pull, from the action's own line. */
async function modelWorkloads(): Promise<void> {
  console.log('\nModels: statistics and validation of 40 GLBs of 1 MiB…')
  const props = glbEntries('prop', 40, 1024 * 1024)
  const emulator = await startEmulator({ entries: props })
  try {
    let line = ''
    const pulled = await median(() =>
      measureAction(
        emulator,
        { entries: props.map(entry => entry.id).join('\n'), cache: 'false' },
        undefined,
        text => {
          if (text.startsWith('Read the statistics of')) line = text
        }
      )
    )
    printTable(['workload', 'time', 'peak RSS', 'CPU'], [usageRow('8. 40 GLBs of 1 MiB', pulled)])
    console.log(`The action's own account (last run): ${line || 'none'}`)
  } finally {
    await emulator.close()
  }
}

/** `optimize: true` on a terrain of 105,800 triangles and a 2048 px texture, beside the CLI. */
async function optimizeWorkloads(): Promise<void> {
  console.log('\nOptimize: a terrain of 105,800 triangles with a 2048 px PNG texture…')
  const terrain = await terrainGlb(230, patternPng(2048))
  const part = await terrainGlb(120, patternPng(1024))
  const parts = Array.from({ length: CATALOGUE_MODELS }, (_, index) => ({
    id: `part-${index}`,
    filename: `part ${index}.glb`,
    derived: [],
    tags: index < FEW_MODELS ? ['few', 'catalogue'] : ['catalogue'],
    uploads: [part]
  }))
  const emulator = await startEmulator({
    entries: [{ id: 'terrain', filename: 'terrain.glb', derived: [], uploads: [terrain] }, ...parts]
  })
  const folder = await scratchFolder('bench-optimize')
  try {
    const inputs = { entries: 'terrain', optimize: 'true', cache: 'false' }
    const written = await optimizedBytes(emulator, inputs)
    const action = await median(() => measureAction(emulator, inputs))
    const source = path.join(folder, 'terrain.glb')
    await writeFile(source, terrain)
    const output = path.join(folder, 'optimized.glb')
    const cli = path.join('node_modules', '.bin', 'gltf-transform')
    const args = ['optimize', source, output, ...REFERENCE_OPTIMIZE]
    const reference = await median(() => measureProcess(cli, args))
    const referenceBytes = (await stat(output)).size
    printTable(
      ['workload', 'action', 'glTF-Transform CLI', 'ratio', 'action RSS', 'action CPU'],
      [row('9. optimize', action, reference)]
    )
    console.log(
      `Bytes: ${terrain.length} → ${written} (the CLI: ${referenceBytes}); the CLI's peak RSS: ${mb(reference.peakRssMb)}`
    )
    goals.push({
      goal: 'optimize writes at most 1.1× the bytes of glTF-Transform',
      figures: `${written} / ${referenceBytes} = ${(written / referenceBytes).toFixed(3)}×`,
      met: written <= referenceBytes * 1.1
    })
    goals.push({
      goal: 'optimize: 100,000 triangles and a 2048 px texture in at most 2 s',
      figures: ms(action.wallMs),
      met: action.wallMs <= 2000
    })
    await optimizeCatalogue(emulator)
  } finally {
    await emulator.close()
  }
}

/**
 * Memory as the optimised catalogue grows: one model at a time on the thread, so near flat. The
 * goal is the one the cold pulls are held to; a larger catalogue only settles where a smaller one
 * stops short of its steady state.
 */
async function optimizeCatalogue(emulator: Emulator): Promise<void> {
  const inputs = { optimize: 'true', cache: 'false' }
  const few = await median(() => measureAction(emulator, { tags: 'few', ...inputs }))
  const many = await median(() => measureAction(emulator, { tags: 'catalogue', ...inputs }))
  printTable(
    ['workload', 'time', 'peak RSS', 'CPU'],
    [
      usageRow(`9. optimize ${FEW_MODELS} models of 28,800 triangles, 1024 px`, few),
      usageRow(`9. the same, ${CATALOGUE_MODELS} models`, many)
    ]
  )
  judgePeak(
    `optimize: ${CATALOGUE_MODELS} models peak at most 1.5× ${FEW_MODELS}, as pulls do`,
    many,
    few,
    1.5
  )
}

/**
 * Previews with the machine's browser, through the CLI's `preview`: one model (the browser's
 * start, its page and shaders, and a first model) and eleven; the difference gives a model's time.
 */
async function previewWorkloads(): Promise<void> {
  console.log("\nPreviews: one model, then eleven, drawn by the machine's browser…")
  const root = await scratchFolder('bench-previews')
  execFileSync('git', ['init', '-q', root])
  const models = await Promise.all(
    Array.from({ length: PREVIEW_MODELS }, async (_, index) => {
      const name = `terrain-${index}.glb`
      const model = path.join(root, name)
      await writeFile(model, await terrainGlb(64 + index, patternPng(256)))
      return model
    })
  )
  const cli = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js')
  const one = await median(() =>
    measureProcess(process.execPath, [cli, '-C', root, 'preview', models[0]])
  )
  const all = await median(() =>
    measureProcess(process.execPath, [cli, '-C', root, 'preview', ...models])
  )
  const perModelMs = (all.wallMs - one.wallMs) / (PREVIEW_MODELS - 1)
  printTable(
    ['workload', 'time', 'peak RSS', 'CPU'],
    [usageRow('10. preview 1 model', one), usageRow(`10. preview ${PREVIEW_MODELS} models`, all)]
  )
  goals.push({
    goal: 'previews: the browser started and a first model drawn in at most 15 s',
    figures: ms(one.wallMs),
    met: one.wallMs <= 15_000
  })
  goals.push({
    goal: 'previews: at most 2 s a model after the first',
    figures: ms(perModelMs),
    met: perModelMs <= 2000
  })
}

/** The size of the file a run with these inputs writes. */
async function optimizedBytes(emulator: Emulator, inputs: Record<string, string>): Promise<number> {
  const result = await runAction({ inputs: { ...emulatorInputs(emulator), ...inputs } })
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}`)
  const [file] = JSON.parse(result.outputs.files ?? '[]') as { bytes: number }[]
  return file.bytes
}

function judgeRatio(goal: string, action: Measure, reference: Measure, most: number): void {
  const ratio = action.wallMs / reference.wallMs
  goals.push({
    goal,
    figures: `${ms(action.wallMs)} / ${ms(reference.wallMs)} = ${ratio.toFixed(2)}×`,
    met: ratio <= most
  })
}

function judgePeak(goal: string, larger: Measure, smaller: Measure, most: number): void {
  const ratio = larger.peakRssMb / smaller.peakRssMb
  goals.push({
    goal,
    figures: `${mb(larger.peakRssMb)} / ${mb(smaller.peakRssMb)} = ${ratio.toFixed(2)}×`,
    met: ratio <= most
  })
}

function printGoals(): void {
  if (goals.length === 0) return
  console.log('\nGoals:')
  printTable(
    ['goal', 'figures', 'met'],
    goals.map(goal => [goal.goal, goal.figures, goal.met ? 'yes' : 'NO'])
  )
}

async function median(measure: () => Promise<Measure>): Promise<Measure> {
  const results: Measure[] = []
  for (let run = 0; run < RUNS; run++) {
    writeBackPageCache()
    results.push(await measure())
  }
  results.sort((a, b) => a.wallMs - b.wallMs)
  return results[Math.floor(results.length / 2)]
}

/**
 * Waits until the kernel has written out the files earlier runs left in the page cache. Otherwise
 * their write-back lands on whatever is measured next, which then looks slower than it is (design
 * record 0012, "a third machine").
 */
function writeBackPageCache(): void {
  execFileSync('sync')
}

interface Folders {
  workspace: string
  toolCache: string
}

/** A workspace and tool cache that already hold the files, for the unchanged workloads. */
async function prepared(emulator: Emulator, selection: Record<string, string>): Promise<Folders> {
  const result = await runAction({ inputs: { ...emulatorInputs(emulator), ...selection } })
  if (result.code !== 0) throw new Error(`setup run failed:\n${result.stdout}`)
  return { workspace: result.workspace, toolCache: result.toolCache }
}

async function measureAction(
  emulator: Emulator,
  inputs: Record<string, string>,
  folders?: Folders,
  onLine?: (line: string) => void
): Promise<Measure> {
  const started = performance.now()
  let usage = noUsage()
  const options: RunOptions = {
    inputs: { ...emulatorInputs(emulator), concurrency: String(CONCURRENCY), ...inputs },
    ...folders,
    onSpawn: child => {
      usage = watchUsage(child)
    },
    onLine
  }
  const result = await runAction(options)
  const wallMs = performance.now() - started
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}`)
  if (!folders) await rm(path.dirname(result.workspace), { recursive: true, force: true })
  return { wallMs, ...usage }
}

/** No inputs: the action validates them, reports its error and exits. */
async function measureColdStart(): Promise<Measure> {
  const started = performance.now()
  let usage = noUsage()
  await runAction({
    inputs: {},
    onSpawn: child => {
      usage = watchUsage(child)
    }
  })
  return { wallMs: performance.now() - started, ...usage }
}

/**
 * curl over the same URLs, as many at once as the action's concurrency. With `hash`,
 * `openssl dgst -sha256` then reads every file it wrote: the same work as the action, which hashes
 * each file with the same library.
 */
async function measureCurl(
  emulator: Emulator,
  ids: string[],
  options: { hash?: boolean } = {}
): Promise<Measure> {
  const folder = await scratchFolder('bench-curl')
  const config = ids
    .map(
      (id, index) =>
        `url = "${fileUrl(emulator, id)}"\noutput = "${path.join(folder, `${index}.glb`)}"`
    )
    .join('\n')
  await writeFile(path.join(folder, 'curl.config'), config)
  const curlArgs = [
    ...['--silent', '--no-progress-meter', '--show-error', '--fail', '--location'],
    '--parallel',
    ...['--parallel-max', String(CONCURRENCY), '--config', path.join(folder, 'curl.config')]
  ]
  const script = 'curl "$@" && openssl dgst -sha256 "$FOLDER"/*.glb > /dev/null'
  const measure = options.hash
    ? await measureProcess('sh', ['-c', script, 'sh', ...curlArgs], { FOLDER: folder })
    : await measureProcess('curl', curlArgs)
  await rm(folder, { recursive: true, force: true })
  return measure
}

/** The URL that asks the emulator for an entry's GLB, with the credentials, as the action asks. */
function fileUrl(emulator: Emulator, id: string): string {
  const url = new URL('/query', emulator.apiUrl)
  url.search = new URLSearchParams({
    key: emulator.credentials.apiKey,
    email: emulator.credentials.email,
    userKey: emulator.credentials.userKey,
    file: emulator.storageIdOf(id, 'glb') ?? ''
  }).toString()
  return url.href
}

/** `stock-node-reader.ts` fetching the same files: stock Node's own cost of the transfers. */
async function measureStockNode(emulator: Emulator, ids: string[]): Promise<Measure> {
  const folder = await scratchFolder('bench-node')
  const pairs = ids.flatMap((id, index) => [
    fileUrl(emulator, id),
    path.join(folder, `${index}.glb`)
  ])
  const reader = path.join(import.meta.dirname, 'stock-node-reader.ts')
  const measure = await measureProcess(process.execPath, [reader, String(CONCURRENCY), ...pairs])
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
 * returns fills in as the samples come. A shell's figures are its own, not its children's.
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

function row(name: string, action: Measure, reference: Measure): string[] {
  return [
    name,
    ms(action.wallMs),
    ms(reference.wallMs),
    `${(action.wallMs / reference.wallMs).toFixed(2)}×`,
    mb(action.peakRssMb),
    cpu(action.cpuMs)
  ]
}

function usageRow(name: string, measure: Measure): string[] {
  return [name, ms(measure.wallMs), mb(measure.peakRssMb), cpu(measure.cpuMs)]
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

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map(line => line[column].length))
  )
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`
  console.log(`\n${format(header)}\n| ${widths.map(width => '-'.repeat(width)).join(' | ')} |`)
  for (const line of body) console.log(format(line))
}
