// `npm run build`: the action's bundle in dist/ (ncc), the writer thread's bundle beside it, the
// licences of every package in them, and the stamp that tells `npm test` which sources they are of.

import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeLicences } from './licenses.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(ROOT, 'dist')
const STATS = path.join(ROOT, 'build', 'stats')

const BUNDLES = [
  { entry: 'src/index.ts', output: DIST, stats: path.join(STATS, 'index.json') },
  {
    entry: 'src/engine/transfer/sink-worker.ts',
    output: path.join(DIST, 'sink-worker'),
    stats: path.join(STATS, 'sink-worker.json')
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
writeLicences(
  ROOT,
  BUNDLES.map(bundle => bundle.stats),
  path.join(DIST, 'licenses.txt')
)
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-stamp.ts'), 'write'])
