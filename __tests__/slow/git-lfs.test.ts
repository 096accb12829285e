// `commit-method: git` in a repository that tracks models with Git LFS: the bundle hashes through
// git, so the LFS filter stores the model and commits its pointer. Git LFS is installed by .ci/run;
// elsewhere this test says it was skipped.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROBOT, sampleEntries } from '../../emulator/sample-collection.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { filesOutput, githubRunner, log, pull, sharedEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const run = promisify(execFile)
const hasGitLfs = spawnSync('git', ['lfs', 'version']).status === 0
const lfsIt = hasGitLfs || process.env.CI ? it : it.skip
/** Past GitHub's 100 MiB for one file: only Git LFS takes it. */
const HANGAR = { id: 'hangar', filename: 'Hangar.glb', derived: [], minBytes: 101 * 1024 * 1024 }
const emulator = sharedEmulator({ entries: [...sampleEntries(), HANGAR] })
let github: GitHubDouble | undefined
afterEach(() => github?.close())

describe('commit-method: git with Git LFS', () => {
  lfsIt('stores models through Git LFS in a repository that tracks them with it', async () => {
    const double = (github = await startGitHubDouble())
    await double.commitFiles(
      'main',
      { '.gitattributes': '*.glb filter=lfs diff=lfs merge=lfs -text\n' },
      'Track models with LFS'
    )
    const workspace = path.join(await scratchFolder('echo3d-checkout'), 'repo')
    await run('git', ['clone', '--quiet', double.bareRepo, workspace])
    await run('git', ['lfs', 'install', '--local'], { cwd: workspace })
    const inputs = { entries: ROBOT, commit: 'push', 'commit-method': 'git' }
    const result = await pull(emulator(), inputs, githubRunner(double, { workspace }))
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    const pointer = await double.git('cat-file', '-p', `main:${file.path}`)
    expect(pointer).toBe(
      `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.bytes}`
    )
    const stored = path.join(
      double.bareRepo,
      'lfs',
      'objects',
      file.sha256.slice(0, 2),
      file.sha256.slice(2, 4),
      file.sha256
    )
    expect((await stat(stored)).size).toBe(file.bytes)

    const again = await pull(emulator(), inputs, githubRunner(double, { workspace }))
    expect(again.outputs.changed).toBe('false')
  })

  lfsIt(
    "commits a model past GitHub's 100 MiB through Git LFS, which it refuses without",
    async () => {
      const double = (github = await startGitHubDouble())
      const workspace = path.join(await scratchFolder('echo3d-checkout'), 'repo')
      await run('git', ['clone', '--quiet', double.bareRepo, workspace])
      const inputs = { entries: HANGAR.id, commit: 'push', 'commit-method': 'git' }
      const refused = await pull(emulator(), inputs, githubRunner(double, { workspace }))
      expect(refused.code).toBe(1)
      expect(log(refused)).toMatch(/Hangar\.glb \(101\.0 MiB\) is over GitHub's 100 MiB file limit/)

      await double.commitFiles(
        'main',
        { '.gitattributes': '*.glb filter=lfs diff=lfs merge=lfs -text\n' },
        'Track models with LFS'
      )
      await run('git', ['pull', '--quiet'], { cwd: workspace })
      await run('git', ['lfs', 'install', '--local'], { cwd: workspace })
      const result = await pull(emulator(), inputs, githubRunner(double, { workspace }))
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
      const [file] = filesOutput(result)
      const pointer = await double.git('cat-file', '-p', `main:${file.path}`)
      expect(pointer).toContain(`oid sha256:${file.sha256}`)
    }
  )
})
