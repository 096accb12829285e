// A release needs notes: the version in package.json must have its section in CHANGELOG.md, which
// the release workflow publishes (scripts/release-notes.ts).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'
import { releaseNotes } from '../../scripts/changelog.ts'

const changelog = readFileSync(path.join(PROJECT_ROOT, 'CHANGELOG.md'), 'utf8')

describe('the changelog', () => {
  it("has notes for package.json's version", () => {
    const { version } = JSON.parse(
      readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')
    ) as { version: string }
    expect(releaseNotes(changelog, version)).toMatch(/\w/)
  })

  it('gives the notes under a heading, up to the next one', () => {
    const text = '# Changelog\n\n## [1.1.0]\n\n- new\n\n## 1.0.0\n\n- first\n'
    expect(releaseNotes(text, '1.1.0')).toBe('- new')
    expect(releaseNotes(text, '1.0.0')).toBe('- first')
    expect(releaseNotes(text, '1.0')).toBeUndefined()
    expect(releaseNotes(text, '2.0.0')).toBeUndefined()
  })
})
