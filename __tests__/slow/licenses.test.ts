// dist/licenses.txt must name every package the bundles carry: the test bundles src/ again with
// webpack's stats, and reads from them which packages went in.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT, scratchFolder } from '../../harness/runner.ts'

interface StatsModule {
  name?: string
  modules?: StatsModule[]
}

function moduleNames(modules: StatsModule[] = []): string[] {
  return modules.flatMap(module => [module.name ?? '', ...moduleNames(module.modules)])
}

/** The package a bundled module belongs to: the name after its last node_modules/. */
function packageOf(moduleName: string): string | undefined {
  const parts = moduleName.split(' ')[0].split('node_modules/')
  if (parts.length < 2) return undefined
  const [first, second] = parts[parts.length - 1].split('/')
  return first.startsWith('@') ? `${first}/${second}` : first
}

async function bundledPackages(entry: string): Promise<string[]> {
  const folder = await scratchFolder('licenses')
  const stats = path.join(folder, 'stats.json')
  const ncc = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'ncc')
  execFileSync(ncc, ['build', entry, '-o', path.join(folder, 'out'), '--stats-out', stats], {
    cwd: PROJECT_ROOT,
    stdio: 'ignore'
  })
  const { modules } = JSON.parse(readFileSync(stats, 'utf8')) as { modules?: StatsModule[] }
  return moduleNames(modules).flatMap(name => packageOf(name) ?? [])
}

describe('dist/licenses.txt', () => {
  it('names every package in the bundles, with its licence text', async () => {
    const bundled = new Set([
      ...(await bundledPackages('src/index.ts')),
      ...(await bundledPackages('src/engine/models/validator-worker.ts'))
    ])
    const licences = readFileSync(path.join(PROJECT_ROOT, 'dist', 'licenses.txt'), 'utf8')
    const listed = new Set(
      [...licences.matchAll(/^((?:@[^/\s]+\/)?[^@\s]+)@\d[^\s]*$/gm)].map(match => match[1])
    )
    expect([...bundled].filter(name => !listed.has(name))).toEqual([])
    expect(bundled.size).toBeGreaterThan(100)
    for (const name of ['@actions/cache', '@actions/core', 'semver', 'tunnel', 'undici']) {
      expect(listed).toContain(name)
    }
  }, 120_000)
})
