// Every temporary file of a test run goes under one folder of its own (TMPDIR), so that the end of
// the run can tell whether a test left anything behind, and say which.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export function createTemporaryRoot() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'echo3d-tests-'))
  process.env.ECHO3D_TESTS_TEMPORARY_ROOT = root
  process.env.TMPDIR = root
}

export function removeTemporaryRoot() {
  const root = process.env.ECHO3D_TESTS_TEMPORARY_ROOT
  if (!root) return
  const leftBehind = readdirSync(root)
  rmSync(root, { recursive: true, force: true })
  if (leftBehind.length > 0) {
    throw new Error(
      `The tests left ${leftBehind.length} temporary folders behind (${leftBehind.slice(0, 5).join(', ')}): each test must remove what it creates`
    )
  }
}
