// Keeps `npm test` honest: the end-to-end tests run dist/, so dist/ must be the bundle of src/ as
// it is now. `npm run build` stamps dist/ with a hash of what it was built from; before the tests,
// a stale or missing stamp rebuilds the bundle, with a line that says why.
//
//   node scripts/bundle-stamp.ts write   after a build
//   node scripts/bundle-stamp.ts check   before the tests

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STAMP = path.join(ROOT, 'dist', 'source-hash.txt')
/** What the bundle is made from, besides src/. */
const INPUTS = ['package-lock.json', 'tsconfig.json']

function sourceFiles(): string[] {
  const sources = readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
  return [...sources, ...INPUTS].map(file => file.split(path.sep).join('/')).sort()
}

/** Line endings are left out, so that a checkout with CRLF hashes the same. */
function sourceHash(): string {
  const hash = createHash('sha256')
  for (const file of sourceFiles()) {
    const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/\r\n/g, '\n')
    hash.update(`${file}\0${text}\0`)
  }
  return hash.digest('hex')
}

function readStamp(): string {
  try {
    return readFileSync(STAMP, 'utf8').trim()
  } catch {
    return ''
  }
}

function rebuild(): void {
  console.log('dist/ was not built from src/ as it is now: running `npm run build` first')
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('`npm run build` failed: fix the build, then run the tests again')
    process.exit(build.status ?? 1)
  }
}

const command = process.argv[2]
if (command === 'write') writeFileSync(STAMP, `${sourceHash()}\n`)
else if (command === 'check' && readStamp() !== sourceHash()) rebuild()
else if (command !== 'check') {
  console.error('Usage: node scripts/bundle-stamp.ts write|check')
  process.exit(2)
}
