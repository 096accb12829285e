import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { scratchFolder } from '../../harness/runner.ts'
import { writeCheckSummary, writePullSummary } from '../../src/action/summary.js'
import type { PulledFile, PullReport, StaleAsset } from '../../src/model.js'
import { Redactor } from '../../src/secrets.js'

const MiB = 1024 * 1024
const redactor = new Redactor(['hunter2-secret'])

function pulled(index: number, source: PulledFile['source']): PulledFile {
  return {
    path: `assets/echo3d/A rather long folder name/Model number ${index} of the catalogue.glb`,
    entry: `entry-${index}`,
    format: 'glb',
    storageId: `storage-${index}`,
    bytes: 200 * 1024,
    sha256: 'a'.repeat(64),
    source,
    durationMs: 120
  }
}

// @actions/core remembers the summary file it first wrote to: one file serves every test.
let summaryFile = ''
let previous: string | undefined

beforeAll(async () => {
  previous = process.env.GITHUB_STEP_SUMMARY
  summaryFile = path.join(await scratchFolder('summary'), 'summary.md')
  process.env.GITHUB_STEP_SUMMARY = summaryFile
})

beforeEach(() => writeFile(summaryFile, ''))

afterAll(() => {
  if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = previous
})

describe('the job summary', () => {
  it("stays under GitHub's 1 MiB at 20,000 files: failures and changes first, then what was left out", async () => {
    const report: PullReport = {
      files: [
        ...Array.from({ length: 4000 }, (_, index) => pulled(index, 'download')),
        ...Array.from({ length: 16000 }, (_, index) => pulled(4000 + index, 'unchanged'))
      ],
      failures: [{ label: 'entry broken', message: 'not found in the collection' }],
      overBudget: [],
      pruned: [],
      notes: ['a note from the run']
    }
    await writePullSummary(report, { kind: 'none' }, redactor)
    const text = await readFile(summaryFile, 'utf8')
    expect(Buffer.byteLength(text)).toBeLessThan(MiB)
    expect(text).toContain(
      'Pulled 20000 files (3.8 GiB): 4000 downloaded, 16000 unchanged; 1 failed.'
    )
    expect(text.indexOf('entry broken')).toBeLessThan(text.indexOf('<h3>Pulled</h3>'))
    expect(text).toContain('<p>a note from the run</p>')
    expect(text).toMatch(
      /Left out to stay under GitHub's 1 MiB limit for a job summary:<\/strong> \d+ unchanged files\./
    )
    expect(text).toContain('`files-path` output')
    // Every pulled file made it; no row is cut, and the folded table is closed.
    expect(text.match(/<td>download<\/td>/g)).toHaveLength(4000)
    expect(text).toMatch(/<\/table><\/details>/)
  })

  it('lists every stale file of a check, or says how many it left out', async () => {
    const stale: StaleAsset[] = Array.from({ length: 12000 }, (_, index) => ({
      path: `assets/echo3d/Model ${index}.glb`,
      entry: `entry-${index}`,
      format: 'glb',
      reason: 'echo3D has a newer version (its storage ID changed)'
    }))
    await writeCheckSummary({ selected: 12000, stale, failures: [], overBudget: [] }, redactor)
    const text = await readFile(summaryFile, 'utf8')
    expect(Buffer.byteLength(text)).toBeLessThan(MiB)
    expect(text).toMatch(/\d+ stale files\. Every stale file is listed in the JSON file/)
  })
})

describe('the delivery in the job summary', () => {
  it('says when a commit asked of the API went through git, and why', async () => {
    const report: PullReport = { files: [], failures: [], overBudget: [], pruned: [], notes: [] }
    const reason = '1,000 files differ from main: more blobs than GitHub lets its API create'
    const outcome = { changed: true, branch: 'main', changedFiles: [], commitSha: 'c0ffee1234' }
    await writePullSummary(
      report,
      { kind: 'done', outcome: { ...outcome, gitInsteadOfApi: reason } },
      redactor
    )
    const text = await readFile(summaryFile, 'utf8')
    expect(text).toContain(
      `<li>Committed c0ffee1 to main.</li>\n<li>Committed with git instead of the API: ${reason}.</li>`
    )
  })
})

describe('the previews in the job summary', () => {
  const report: PullReport = { files: [], failures: [], overBudget: [], pruned: [], notes: [] }
  const items = [
    {
      path: 'assets/chair.glb',
      change: '1.0 KiB → 2.0 KiB',
      before: '/tmp/previews/0001-chair.glb.before.png',
      after: '/tmp/previews/0001-chair.glb.after.png',
      problems: []
    },
    {
      path: 'assets/chair.usdz',
      change: 'new: 3.0 KiB',
      note: 'no picture: USDZ files are drawn through their entry’s GLB',
      problems: []
    }
  ]

  it('shows the pictures committed to the previews branch, by their pinned URLs', async () => {
    const url = 'https://github.com/o/r/raw/abc/previews/0001-chair.glb.after.png?"x'
    const previews = [{ ...items[0], afterUrl: url }, items[1]]
    const outcome = { changed: true, branch: 'main', changedFiles: [], previews }
    await writePullSummary(report, { kind: 'done', outcome }, redactor, { items })
    const text = await readFile(summaryFile, 'utf8')
    expect(text).toContain(
      '<td><img src="https://github.com/o/r/raw/abc/previews/0001-chair.glb.after.png?&quot;x" alt="after" width="256"></td>'
    )
    // The before picture was not committed: its file is named instead.
    expect(text).toContain('<td>0001-chair.glb.before.png</td>')
    expect(text).toContain(
      '<td>no picture: USDZ files are drawn through their entry’s GLB</td><td>new: 3.0 KiB</td>'
    )
  })

  it('names the pictures and the artifact that holds them when nothing was committed', async () => {
    const artifact = { name: 'echo3d-assets-previews', id: 7, url: 'https://x/7', bytes: 2048 }
    const outcome = { changedFiles: [], previewsArtifact: artifact }
    await writePullSummary(report, { kind: 'done', outcome }, redactor, { items })
    const text = await readFile(summaryFile, 'utf8')
    expect(text).not.toContain('<img')
    expect(text).toContain('<td>0001-chair.glb.after.png</td>')
    expect(text).toContain('output names, and in the artifact echo3d-assets-previews.')
    expect(text).toContain(
      '<li>Uploaded the previews as artifact echo3d-assets-previews (2.0 KiB): https://x/7</li>'
    )
  })
})
