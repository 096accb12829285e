// `npm run coverage`: the whole test suite, with the lines of src/ it runs counted where they run.
// In the test processes (the unit and engine tests, and those that drive the adapters in-process)
// Jest's V8 provider counts them. In the action processes that the end-to-end tests start, V8
// counts them in a bundle built with source maps (NODE_V8_COVERAGE); their counts are merged
// across processes and mapped back to src/ with v8-to-istanbul. Both are merged into one report,
// printed and written to coverage/.

import { mergeProcessCovs, type ProcessCov } from '@bcoe/v8-coverage'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import libCoverage from 'istanbul-lib-coverage'
import libReport from 'istanbul-lib-report'
import reports from 'istanbul-reports'
import v8ToIstanbul from 'v8-to-istanbul'
import type { EncodedSourceMap } from '@jridgewell/trace-mapping'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const WORK = path.join(ROOT, 'build', 'coverage')
const BUNDLE = path.join(WORK, 'bundle')
const CHILD_COVERAGE = path.join(WORK, 'children')
const UNIT_REPORT = path.join(WORK, 'in-process')
const REPORT = path.join(ROOT, 'coverage')
/** The share of the lines of src/ that the tests must run (CONTRIBUTING.md, "Coverage"). */
const MINIMUM_LINES_PERCENT = 90

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env }
  })
  return result.status ?? 1
}

function tool(name: string): string {
  return path.join(ROOT, 'node_modules', '.bin', name)
}

/** The action, the command-line program and the validator's thread, with source maps that name src/ by absolute path. */
function buildBundle(): void {
  const builds = [
    ['src/index.ts', BUNDLE],
    ['src/cli/index.ts', path.join(BUNDLE, 'cli')],
    ['src/engine/models/validator-worker.ts', path.join(BUNDLE, 'validator-worker')]
  ]
  for (const [entry, output] of builds) {
    const status = run(tool('ncc'), [
      'build',
      entry,
      '-o',
      output,
      '-s',
      '--no-source-map-register'
    ])
    if (status !== 0) process.exit(status)
    absoluteSources(output)
  }
}

/** ncc writes `.././src/…` (deeper for dist/cli) for the sources: the report needs paths it can open. */
function absoluteSources(folder: string): void {
  for (const name of readdirSync(folder).filter(file => file.endsWith('.js.map'))) {
    const mapPath = path.join(folder, name)
    const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[] }
    map.sources = map.sources.map(source => {
      const inSrc = /^(?:\.\.?\/)+(src\/.*)$/.exec(source)
      return inSrc ? path.join(ROOT, inSrc[1]) : source
    })
    writeFileSync(mapPath, JSON.stringify(map))
  }
}

function runTests(): number {
  return run(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--coverage',
      '--coverageProvider=v8',
      '--coverageReporters=json',
      `--coverageDirectory=${UNIT_REPORT}`,
      '--collectCoverageFrom=src/**/*.ts'
    ],
    {
      NODE_OPTIONS: '--experimental-vm-modules',
      ECHO3D_BUNDLE: path.join(BUNDLE, 'index.js'),
      ECHO3D_CLI_BUNDLE: path.join(BUNDLE, 'cli', 'index.js'),
      ECHO3D_CHILD_COVERAGE: CHILD_COVERAGE
    }
  )
}

interface ChildCoverage extends ProcessCov {
  /** Node records the source maps of the scripts it ran, as it found them. */
  'source-map-cache'?: Record<string, { data: EncodedSourceMap }>
}

/** The action processes' counts, summed per script of the bundle, then mapped to src/. */
async function childCoverage(): Promise<libCoverage.CoverageMapData> {
  const files = readdirSync(CHILD_COVERAGE).map(
    name => JSON.parse(readFileSync(path.join(CHILD_COVERAGE, name), 'utf8')) as ChildCoverage
  )
  const sourceMaps = new Map<string, EncodedSourceMap>()
  for (const file of files) {
    for (const [url, cached] of Object.entries(file['source-map-cache'] ?? {})) {
      sourceMaps.set(url, cached.data)
    }
  }
  const bundleUrl = pathToFileURL(BUNDLE).href
  const merged = mergeProcessCovs(
    files.map(file => ({ result: file.result.filter(script => script.url.startsWith(bundleUrl)) }))
  )
  const map = libCoverage.createCoverageMap({})
  for (const script of merged.result) {
    const scriptPath = fileURLToPath(script.url)
    const sourceMap = sourceMaps.get(script.url)
    if (!sourceMap) throw new Error(`No source map was recorded for ${scriptPath}`)
    const converter = v8ToIstanbul(scriptPath, 0, {
      source: readFileSync(scriptPath, 'utf8'),
      sourceMap: { sourcemap: sourceMap }
    })
    await converter.load()
    converter.applyCoverage(script.functions)
    map.merge(inSources(converter.toIstanbul()))
  }
  return map.data
}

/** Only src/: the bundle also maps to the dependencies it carries. */
function inSources(data: libCoverage.CoverageMapData): libCoverage.CoverageMapData {
  const sources = path.join(ROOT, 'src') + path.sep
  return Object.fromEntries(Object.entries(data).filter(([file]) => file.startsWith(sources)))
}

function readCoverage(folder: string): libCoverage.CoverageMapData {
  const json = readFileSync(path.join(folder, 'coverage-final.json'), 'utf8')
  return JSON.parse(json) as libCoverage.CoverageMapData
}

/** Prints the report, writes it to coverage/, and returns the share of lines run. */
async function report(): Promise<number> {
  const map = libCoverage.createCoverageMap(readCoverage(UNIT_REPORT))
  map.merge(await childCoverage())
  const context = libReport.createContext({
    dir: REPORT,
    coverageMap: map,
    defaultSummarizer: 'nested'
  })
  for (const kind of ['text', 'text-summary', 'json-summary', 'html'] as const) {
    reports.create(kind).execute(context)
  }
  return map.getCoverageSummary().lines.pct
}

rmSync(WORK, { recursive: true, force: true })
rmSync(REPORT, { recursive: true, force: true })
buildBundle()
const testStatus = runTests()
const linesPercent = await report()
if (linesPercent < MINIMUM_LINES_PERCENT) {
  console.error(
    `The tests run ${linesPercent}% of the lines of src/, under ${MINIMUM_LINES_PERCENT}%`
  )
  process.exit(1)
}
process.exit(testStatus)
