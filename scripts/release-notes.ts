// The release workflow's check and notes: the tag's version must be package.json's, and
// CHANGELOG.md must say what it brings. Prints the notes for `gh release create --notes-file`.
//
//   node scripts/release-notes.ts 1.2.3 > notes.md

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { releaseNotes } from './changelog.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const version = process.argv[2] ?? ''
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string
}
if (manifest.version !== version) {
  console.error(`The tag says ${version}, package.json says ${manifest.version}: make them agree`)
  process.exit(1)
}
const notes = releaseNotes(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), version)
if (!notes) {
  console.error(`CHANGELOG.md has no notes under "## ${version}": write them before releasing`)
  process.exit(1)
}
console.log(notes)
