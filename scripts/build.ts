// `npm run build`: the action's bundle in dist/ (ncc), the command-line program's in dist/cli/, the
// glTF Validator's and the optimiser's threads beside them (the optimiser's with its codecs'
// WebAssembly), the preview page's files (three.js and the viewer), the licences of every package
// in them, and the stamp that tells `npm test` which sources they are of.

import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODEC_WASM } from '../src/engine/optimize/optimizer-worker.ts'
import { bundledName, VIEWER_FILES, viewerFilePath } from '../src/previews/viewer-files.ts'
import { writeLicences } from './licenses.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(ROOT, 'dist')
const STATS = path.join(ROOT, 'build', 'stats')

const BUNDLES = [
  { entry: 'src/index.ts', output: DIST, stats: path.join(STATS, 'index.json') },
  {
    entry: 'src/cli/index.ts',
    output: path.join(DIST, 'cli'),
    stats: path.join(STATS, 'cli.json')
  },
  {
    entry: 'src/engine/models/validator-worker.ts',
    output: path.join(DIST, 'validator-worker'),
    stats: path.join(STATS, 'validator-worker.json')
  },
  {
    entry: 'src/engine/optimize/optimizer-worker.ts',
    output: path.join(DIST, 'optimizer-worker'),
    stats: path.join(STATS, 'optimizer-worker.json')
  }
]

/**
 * The codecs' WebAssembly, which the optimiser's thread compiles from wasm/ beside it, by name. ncc
 * also emits the .wasm files that jSquash's loaders would fetch by URL (one under a hashed name):
 * the thread passes every codec its compiled module, so those copies are never read, and go.
 */
function copyCodecs(): void {
  const worker = path.join(DIST, 'optimizer-worker')
  for (const name of readdirSync(worker).filter(name => name.endsWith('.wasm'))) {
    rmSync(path.join(worker, name))
  }
  const folder = path.join(worker, 'wasm')
  mkdirSync(folder, { recursive: true })
  const resolve = createRequire(import.meta.url).resolve
  for (const file of Object.values(CODEC_WASM)) {
    copyFileSync(resolve(file), path.join(folder, path.basename(file)))
  }
}

/** The preview page's files, which its server finds by name in dist/previews/viewer/. */
function copyViewer(): void {
  const folder = path.join(DIST, 'previews', 'viewer')
  for (const urlPath of Object.keys(VIEWER_FILES)) {
    const source = viewerFilePath(urlPath)
    if (!source) throw new Error(`no file for the viewer's ${urlPath}`)
    const target = path.join(folder, ...bundledName(urlPath))
    mkdirSync(path.dirname(target), { recursive: true })
    copyFileSync(source, target)
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

// A stale chunk of an earlier build must not linger beside the new ones.
rmSync(DIST, { recursive: true, force: true })
mkdirSync(STATS, { recursive: true })
const ncc = path.join(ROOT, 'node_modules', '.bin', 'ncc')
for (const bundle of BUNDLES) {
  run(ncc, ['build', bundle.entry, '-o', bundle.output, '--stats-out', bundle.stats])
}
copyCodecs()
copyViewer()
// Runnable as ./dist/cli/index.js from a clone; npm sets the bit itself for `npx`.
chmodSync(path.join(DIST, 'cli', 'index.js'), 0o755)
writeLicences(
  ROOT,
  BUNDLES.map(bundle => bundle.stats),
  path.join(DIST, 'licenses.txt'),
  // The preview page's three.js is copied, not bundled.
  ['node_modules/three']
)
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-stamp.ts'), 'write'])
