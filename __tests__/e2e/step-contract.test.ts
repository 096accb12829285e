// The built action (dist/index.js) as the runner runs it: inputs as INPUT_* variables, outputs and
// the job summary in files, the exit code, annotations, masking, the proxy from the runner's
// environment, and cancellation. One run each; what the engine does within a run is tested
// in-process, in __tests__/engine/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { startForwardProxy, type ForwardProxy } from '../../doubles/forward-proxy.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { CHAIR, DESK_LAMP, ROBOT, sampleEntries } from '../../emulator/sample-collection.ts'
import { startEmulator, type Emulator, type EntrySpec } from '../../emulator/server.ts'
import { pullWith } from '../../harness/engine.ts'
import { BIG_CHAIR_BREACHES, BIG_CHAIR_BUDGETS, modelEntries } from '../../harness/models.ts'
import type { RunResult } from '../../harness/runner.ts'
import {
  filesOutput,
  githubRunner,
  listFiles,
  log,
  pull,
  selfSignedCertificate,
  sha256,
  transfers
} from '../support.ts'

const PROXY_PASSWORD = 'pr0xy pass!'
const LARGE: EntrySpec = {
  id: 'large',
  filename: 'Hangar.glb',
  derived: [],
  minBytes: 16 * 1024 * 1024
}

/** The sample collection, a model over BIG_CHAIR_BUDGETS, and a large file. */
async function collection(): Promise<EntrySpec[]> {
  const bigChair = (await modelEntries()).filter(entry => entry.id === 'big-chair')
  return [...sampleEntries(), ...bigChair, LARGE]
}

// `plain`: echo3D on loopback. `secured`: over https, under names only the proxy can reach.
let plain: Emulator
let secured: Emulator
let proxy: ForwardProxy
let github: GitHubDouble
let caFile: string

beforeAll(async () => {
  const tls = await selfSignedCertificate(['api.echo3d.test', 'storage.echo3d.test', '127.0.0.1'])
  caFile = tls.caFile
  const entries = await collection()
  plain = await startEmulator({ entries })
  secured = await startEmulator({
    entries,
    tls: { ...tls, apiHost: 'api.echo3d.test', storageHost: 'storage.echo3d.test' }
  })
  proxy = await startForwardProxy({ credentials: `proxy-user:${PROXY_PASSWORD}` })
  github = await startGitHubDouble({ tls })
})
afterAll(async () => {
  await plain.close()
  await secured.close()
  await proxy.close()
  await github.close()
})

/**
 * What a reader of the job sees: workflow commands are shown with their data unescaped, and
 * add-mask commands are consumed, not shown.
 */
function visibleLog(result: RunResult): string {
  return log(result)
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .map(line =>
      line.startsWith('::')
        ? line.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
        : line
    )
    .join('\n')
}

describe('the step', () => {
  it('fails before any request when inputs are bad, naming each one', async () => {
    const result = await pull(plain, {
      entries: ROBOT,
      'user-key': '',
      formats: 'blend',
      retries: 'x',
      concurrency: '99'
    })
    expect(result.code).toBe(1)
    const errors = log(result)
      .split('\n')
      .filter(line => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    for (const input of ['user-key', 'formats', 'retries', 'concurrency']) {
      expect(errors[0]).toContain(`Input '${input}'`)
    }
    expect(plain.requests).toEqual([])
    expect(result.outputs).toEqual({})
    expect(result.summary).toBe('')
  })

  it('pulls through the proxy of the runner, sets its outputs and summary, annotates and proposes the files, and masks the proxy password', async () => {
    const env = {
      ...githubRunner(github).env,
      https_proxy: proxyUrl(),
      NODE_EXTRA_CA_CERTS: caFile
    }
    const result = await pull(
      secured,
      {
        entries: `${DESK_LAMP}: glb, usdz\n${ROBOT}\n${CHAIR}: usdz\nbig-chair`,
        'convert-missing': 'true',
        budgets: BIG_CHAIR_BUDGETS,
        'budget-mode': 'warn',
        commit: 'pull-request'
      },
      { ...githubRunner(github), env, debug: true }
    )
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)

    const files = filesOutput(result)
    expect(files.map(file => [file.path, file.source])).toEqual([
      ['assets/echo3d/Desk Lamp.glb', 'download'],
      ['assets/echo3d/Desk Lamp.usdz', 'download'],
      ['assets/echo3d/Robot.glb', 'download'],
      ['assets/echo3d/Chair.usdz', 'conversion'],
      ['assets/echo3d/Big Chair.glb', 'download']
    ])
    for (const file of files) {
      const bytes = await readFile(path.join(result.workspace, file.path))
      expect([file.bytes, file.sha256]).toEqual([bytes.length, sha256(bytes)])
    }
    expect(JSON.parse(await readFile(result.outputs['files-path'], 'utf8'))).toEqual(files)
    expect(result.outputs.count).toBe('5')
    expect(result.outputs.bytes).toBe(String(files.reduce((sum, file) => sum + file.bytes, 0)))
    expect(result.outputs['cache-hits']).toBe('0')
    expect(result.outputs.unchanged).toBe('0')
    expect(JSON.parse(result.outputs['over-budget'])).toEqual(BIG_CHAIR_BREACHES)
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(result.outputs.changed).toBe('true')
    expect(result.outputs['pull-request-number']).toBe(String(github.pulls[0].number))

    // Warned, not failed: each broken limit is an annotation on the model's file.
    expect(log(result)).toContain(
      '::error title=Over budget,file=assets/echo3d/Big Chair.glb::assets/echo3d/Big Chair.glb: texture-size 2048 px, over the 1024 px allowed (+100%25)'
    )
    expect(log(result)).toMatch(/^✓ Robot.glb \(glb, \d+ B, download, /m)
    expect(log(result)).toMatch(/^::group::Pulling 5 files$/m)

    expect(result.summary).toContain('<h2>echo3D assets</h2>')
    expect(result.summary).toMatch(
      /<th>File<\/th><th>Entry<\/th><th>Format<\/th><th>Size<\/th><th>Source<\/th><th>Time<\/th>/
    )
    expect(result.summary).toContain('<td>assets/echo3d/Desk Lamp.usdz</td>')
    expect(result.summary).toContain('Over budget: 2 limits broken')
    expect(result.summary).toMatch(
      /<h3>Delivery<\/h3>\n<ul>\n<li>Opened pull request #\d+ into main/
    )
    expect(github.pulls).toHaveLength(1)

    // echo3D through the proxy; GitHub on loopback around it, over TLS all the same.
    expect(new Set(proxy.tunnels)).toEqual(
      new Set([hostOf(secured.apiUrl), hostOf(secured.storageUrl)])
    )
    const visible = visibleLog(result)
    expect(visible).not.toContain(PROXY_PASSWORD)
    expect(visible).not.toContain(encodeURIComponent(PROXY_PASSWORD))
  })

  it('fails over budget after writing everything, and says how to pass', async () => {
    const result = await pull(plain, { entries: `big-chair\n${ROBOT}`, budgets: BIG_CHAIR_BUDGETS })
    expect(result.code).toBe(1)
    expect(existsSync(path.join(result.workspace, 'assets/echo3d/Big Chair.glb'))).toBe(true)
    expect(result.outputs.count).toBe('2')
    expect(JSON.parse(result.outputs['over-budget'])).toEqual(BIG_CHAIR_BREACHES)
    expect(log(result)).toContain(
      '::error title=Over budget,file=assets/echo3d/Big Chair.glb::assets/echo3d/Big Chair.glb: bounding-box 100 m, over the 10 m allowed (+900%25)'
    )
    expect(log(result)).toMatch(
      /^::error::2 budgets broken:%0A- .*texture-size 2048 px.*%0A- .*bounding-box 100 m, over the 10 m allowed \(\+900%25\)%0ARaise the budgets, or set `budget-mode: warn`/m
    )
  })

  it('in mode: check, fails with the failed entries, the stale files and the models over budget, as outputs, annotations and in the summary, without a transfer', async () => {
    const entries = `${DESK_LAMP}: glb\n${ROBOT}: glb, usdz\n${CHAIR}\nbig-chair`
    const pulled = await pullWith(plain, { inputs: { entries, budgets: BIG_CHAIR_BUDGETS } })
    expect(pulled.report.failures).toEqual([])
    await rm(path.join(pulled.workspace, 'assets/echo3d/Robot.usdz'))
    plain.requests.splice(0)

    const check = await pull(
      plain,
      { entries: `${entries}\nno-such-entry`, budgets: BIG_CHAIR_BUDGETS, mode: 'check' },
      { workspace: pulled.workspace }
    )
    expect(check.code).toBe(1)
    expect(transfers(plain)).toBe(0)
    expect(JSON.parse(check.outputs.stale)).toEqual([
      {
        path: 'assets/echo3d/Robot.usdz',
        entry: ROBOT,
        format: 'usdz',
        reason: 'missing on disk'
      }
    ])
    expect(JSON.parse(check.outputs['over-budget'])).toEqual(BIG_CHAIR_BREACHES)
    expect(log(check)).toContain(
      '::error title=Over budget,file=assets/echo3d/Big Chair.glb::assets/echo3d/Big Chair.glb: texture-size 2048 px, over the 1024 px allowed (+100%25)'
    )
    expect(log(check)).toMatch(
      /^::error::1 asset failed:%0A- .*no-such-entry.*%0A1 file missing or stale:%0A.*Robot.usdz.*%0ARun the action with `mode: pull` to update them/m
    )
    expect(check.summary).toContain('4 of 5 selected files are up to date; 1 missing or stale.')
    expect(check.summary).toContain('<td>missing on disk</td>')
    expect(check.summary).toContain('Over budget: 2 limits broken')
    expect(check.outputs.count).toBeUndefined()
  })

  it('removes the file being written when the job is cancelled', async () => {
    plain.bandwidth = 8 * 1024 * 1024
    let child: ChildProcess | undefined
    try {
      const result = await pull(
        plain,
        { entries: 'large' },
        {
          onSpawn: spawned => (child = spawned),
          onLine: line => {
            if (line.includes('25% of')) child?.kill('SIGTERM')
          }
        }
      )
      expect(result.code).not.toBe(0)
      expect(log(result)).toMatch(
        /::error::Cancelled \(SIGTERM\); the files being written were removed/
      )
      expect(await listFiles(result.workspace)).toEqual([])
      // The tool cache's copy, written beside the workspace's file, goes with it.
      expect(await listFiles(result.toolCache)).toEqual([])
    } finally {
      plain.bandwidth = 0
    }
  })
})

/** The proxy URL with its password percent-encoded, as users write it. */
function proxyUrl(): string {
  return proxy.url.replace(PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD))
}

function hostOf(url: string): string {
  return new URL(url).host
}
