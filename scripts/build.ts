// `npm run build`: the action's bundle in dist/ (ncc), the command-line program's in dist/cli/, the
// glTF Validator's thread beside them, the licences of every package in them, and the stamp that
// tells `npm test` which sources they are of.

import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
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
  }
]

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
// Runnable as ./dist/cli/index.js from a clone; npm sets the bit itself for `npx`.
chmodSync(path.join(DIST, 'cli', 'index.js'), 0o755)
writeLicences(
  ROOT,
  BUNDLES.map(bundle => bundle.stats),
  path.join(DIST, 'licenses.txt')
)
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-stamp.ts'), 'write'])
