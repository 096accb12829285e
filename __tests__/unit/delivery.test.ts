import { describe, expect, it } from '@jest/globals'
import { commonFolder } from '../../src/action/delivery/api-backend.js'
import { compressionLevelFor } from '../../src/action/delivery/artifact.js'
import { resolveTargetBranch } from '../../src/action/delivery/deliver.js'
import { commitMessage } from '../../src/action/delivery/commit.js'
import { checkCommitSizes, gitBlobSha } from '../../src/action/delivery/files.js'
import type { DeliveredFile } from '../../src/model.js'
import { pullRequestBody } from '../../src/action/delivery/pull-request.js'
import { InputErrors } from '../../src/errors.js'
import { parseBranchName } from '../../src/settings/delivery.js'
import { parseInputs } from '../../src/settings/inputs.js'
import { writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { scratchFolder } from '../../harness/runner.ts'

const MiB = 1024 * 1024

function file(
  path: string,
  format: string,
  bytes: number,
  entry: string | null = 'e1'
): DeliveredFile {
  return { path, absolutePath: `/ws/${path}`, entry, format, bytes }
}

describe('resolveTargetBranch', () => {
  const fallback = () => Promise.resolve('main')
  it('prefers the input, then the PR head, then the pushed branch, then the default', async () => {
    expect(await resolveTargetBranch('release', { ref: 'refs/heads/dev' }, fallback)).toBe(
      'release'
    )
    expect(
      await resolveTargetBranch('', { ref: 'refs/pull/3/merge', headRef: 'feature' }, fallback)
    ).toBe('feature')
    expect(await resolveTargetBranch('', { ref: 'refs/heads/dev' }, fallback)).toBe('dev')
    expect(await resolveTargetBranch('', { ref: 'refs/tags/v1.0.0' }, fallback)).toBe('main')
    expect(await resolveTargetBranch('', {}, fallback)).toBe('main')
  })
})

describe('checkCommitSizes', () => {
  it('refuses what GitHub refuses and warns above 50 MiB', () => {
    const files = [
      file('a.glb', 'glb', 10 * MiB),
      file('b.glb', 'glb', 45 * MiB),
      file('c.glb', 'glb', 60 * MiB),
      file('d.glb', 'glb', 120 * MiB)
    ]
    const api = checkCommitSizes(files, 'api')
    expect(api.errors).toHaveLength(3)
    expect(api.errors[0]).toMatch(/b.glb \(45.0 MiB\) is too large for GitHub's blob API/)
    expect(api.errors[2]).toMatch(/d.glb .* over GitHub's 100 MiB file limit/)
    const git = checkCommitSizes(files, 'git')
    expect(git.errors).toEqual([expect.stringMatching(/d.glb/)])
    expect(git.warnings).toEqual([expect.stringMatching(/c.glb \(60.0 MiB\) is over 50 MiB/)])
  })

  it('takes any size through git for a file that git stores with Git LFS, and only through git', () => {
    const files = [file('c.glb', 'glb', 60 * MiB), file('d.glb', 'glb', 120 * MiB)]
    const lfsTracked = new Set(['c.glb', 'd.glb'])
    expect(checkCommitSizes(files, 'git', lfsTracked)).toEqual({ errors: [], warnings: [] })
    expect(checkCommitSizes(files, 'api', lfsTracked).errors).toHaveLength(2)
  })
})

describe('compressionLevelFor', () => {
  it('compresses text-heavy sets and stores packed ones', () => {
    expect(compressionLevelFor([file('a.obj', 'obj', 900), file('t.png', 'png', 100)])).toBe(6)
    expect(compressionLevelFor([file('a.glb', 'glb', 900), file('a.gltf', 'gltf', 100)])).toBe(0)
    expect(compressionLevelFor([])).toBe(0)
  })
})

describe('commonFolder', () => {
  it('finds the deepest shared folder', () => {
    expect(commonFolder(['assets/echo3d/a.glb', 'assets/echo3d/x/b.glb'])).toBe('assets/echo3d')
    expect(commonFolder(['assets/a.glb', 'public/b.glb'])).toBe('')
    expect(commonFolder(['a.glb'])).toBe('')
    expect(commonFolder([])).toBe('')
  })
})

describe('messages', () => {
  it('lists what changed in the commit message and the pull request body', () => {
    const changed = [file('assets/Lamp.glb', 'glb', 2048), file('assets/raw', 'file', 10, null)]
    expect(commitMessage('Refresh models', changed)).toBe(
      'Refresh models\n\n- assets/Lamp.glb (glb, 2.0 KiB, entry e1)\n- assets/raw (file, 10 B)\n'
    )
    const body = pullRequestBody(changed)
    expect(body).toContain('updates 2 files pulled from echo3D')
    expect(body).toContain('| `assets/Lamp.glb` | `e1` | `glb` | 2.0 KiB |')
    expect(body).toContain('| `assets/raw` | `—` | `file` | 10 B |')
  })

  it('shows an optimised model as written and as echo3D served it, with the saving', () => {
    const settings = {
      geometry: 'meshopt',
      textures: 'webp',
      textureSize: 2048,
      textureQuality: 80
    } as const
    const optimized = { source: { bytes: 4 * 1024 * 1024, sha256: 'a'.repeat(64) }, settings }
    const body = pullRequestBody([{ ...file('assets/Terrain.glb', 'glb', 512 * 1024), optimized }])
    expect(body).toContain(
      '| `assets/Terrain.glb` | `e1` | `glb` | 512.0 KiB (echo3D: 4.0 MiB, −87.5 %) |'
    )
  })

  it('shows each optimised model source → written, with the totals and the decoders an app needs', () => {
    const settings = {
      geometry: 'draco',
      textures: 'webp',
      textureSize: 1024,
      textureQuality: 80,
      simplify: 0.5
    } as const
    const optimizedModel = (name: string, triangles: number) => ({
      ...file(`assets/${name}.glb`, 'glb', 256 * 1024),
      model: {
        triangles: triangles / 2,
        largestTexture: [1024, 1024] as [number, number],
        textureFormats: ['webp'],
        extensions: ['EXT_texture_webp', 'KHR_draco_mesh_compression']
      },
      optimized: {
        source: {
          bytes: 2 * 1024 * 1024,
          sha256: 'a'.repeat(64),
          model: {
            triangles,
            largestTexture: [4096, 2048] as [number, number],
            textureFormats: ['jpeg', 'png']
          }
        },
        settings
      }
    })
    const body = pullRequestBody([optimizedModel('Chair', 20_000), optimizedModel('Table', 4_000)])
    expect(body).toContain('### Optimised for the web')
    expect(body).toContain('| File | echo3D | Written | Saving | Triangles | Textures |')
    expect(body).toContain(
      '| `assets/Chair.glb` | `2.0 MiB` | `256.0 KiB` | `−87.5 %` | `20,000 → 10,000` | `4096 × 2048, JPEG and PNG → 1024 × 1024, WebP` |'
    )
    expect(body).toContain('| `All` | `4.0 MiB` | `512.0 KiB` | `−87.5 %` | `24,000 → 12,000` |  |')
    expect(body).toContain('a Draco decoder for the geometry (KHR_draco_mesh_compression)')
  })

  it("keeps a pull request body for 5,000 files within GitHub's 65,536 characters, rows whole", () => {
    const changed = Array.from({ length: 5000 }, (_, index) =>
      file(`assets/echo3d/Model number ${index}.glb`, 'glb', 200 * 1024, `entry-${index}`)
    )
    const body = pullRequestBody(changed)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('updates 5000 files pulled from echo3D')
    const rows = body.split('\n').filter(line => line.startsWith('| `assets/'))
    expect(rows.length).toBeGreaterThan(100)
    for (const row of rows)
      expect(row).toMatch(/^\| `[^`]+` \| `entry-\d+` \| `glb` \| 200\.0 KiB \|$/)
    expect(body).toContain(`…and ${5000 - rows.length} more files, left out`)
  })

  it('shows the pictures by the URLs the action made, and a missing one by its problem, escaped', () => {
    const previews = [
      {
        path: 'assets/new.glb',
        afterUrl: 'https://github.com/o/r/raw/abc/previews/new.png',
        change: 'new: 10 B, 12 triangles',
        problems: []
      },
      {
        path: 'assets/a|b`.glb',
        beforeUrl: 'https://github.com/o/r/raw/abc/previews/ab.png',
        change: '20 B → 10 B',
        problems: ['after: the picture is blank | <img src=x onerror=alert(1)>']
      },
      {
        path: 'assets/chair.usdz',
        change: 'new: 30 B',
        note: 'no picture: USDZ files are drawn through their entry’s GLB',
        problems: []
      }
    ]
    const body = pullRequestBody([file('assets/new.glb', 'glb', 10)], { previews })
    expect(body).toContain('| Model | Before | After | Change |')
    expect(body).toContain(
      '| `assets/new.glb` | — | <img src="https://github.com/o/r/raw/abc/previews/new.png" alt="after" width="256"> | `new: 10 B, 12 triangles` |'
    )
    expect(body).toContain(
      '| `assets/chair.usdz` | — | `no picture: USDZ files are drawn through their entry’s GLB` | `new: 30 B` |'
    )
    const row = body.split('\n').find(line => line.includes('ab.png')) ?? ''
    expect(row).toContain(
      '<img src="https://github.com/o/r/raw/abc/previews/ab.png" alt="before" width="256">'
    )
    // Outside text stays in a code span, where Markdown shows it as it is.
    expect(row).toContain('`after: the picture is blank \\| <img src=x onerror=alert(1)>`')
    expect(row.split(' | ')).toHaveLength(4)
  })

  it("keeps the body of 5,000 optimised models within GitHub's 65,536 characters", () => {
    const settings = {
      geometry: 'meshopt',
      textures: 'webp',
      textureSize: 2048,
      textureQuality: 80
    } as const
    const changed = Array.from({ length: 5000 }, (_, index) => ({
      ...file(`assets/echo3d/Model number ${index}.glb`, 'glb', 200 * 1024, `entry-${index}`),
      model: { triangles: 1000, largestTexture: [512, 512] as [number, number] },
      optimized: {
        source: { bytes: 900 * 1024, sha256: 'a'.repeat(64), model: { triangles: 1000 } },
        settings
      }
    }))
    const body = pullRequestBody(changed)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toMatch(/…and \d+ more models; the job summary lists them\./)
    expect(body).not.toContain('| `All` |')
  })
})

describe('gitBlobSha', () => {
  it('matches git hash-object', async () => {
    const folder = await scratchFolder('blob')
    const target = path.join(folder, 'model.obj')
    await writeFile(target, 'v 0 0 0\n')
    const expected = execFileSync('git', ['hash-object', target]).toString().trim()
    expect(await gitBlobSha(target)).toBe(expected)
  })
})

describe('delivery inputs', () => {
  const base: Record<string, string> = {
    'api-key': 'k',
    email: 'e',
    'user-key': 'u',
    entries: 'abc'
  }
  const read = (values: Record<string, string>) => (name: string) =>
    ({ ...base, ...values })[name] ?? ''

  it('reads the defaults', () => {
    const { delivery } = parseInputs(read({}), '/ws')
    expect(delivery).toEqual({
      commit: 'none',
      branch: '',
      commitMethod: 'api',
      commitMessage: 'Update echo3D assets',
      githubToken: '',
      pullRequestBranch: '',
      previewsBranch: 'echo3d-assets/previews',
      pullRequestTitle: 'Update echo3D assets',
      pullRequestLabels: [],
      pullRequestDraft: false,
      pullRequestReviewers: [],
      pullRequestTeamReviewers: [],
      pullRequestAssignees: [],
      pullRequestMilestone: undefined,
      uploadArtifact: false,
      artifactName: 'echo3d-assets',
      retentionDays: undefined
    })
  })

  it('reports bad delivery inputs by name', () => {
    const values = {
      commit: 'merge',
      'commit-method': 'svn',
      'retention-days': '365',
      'artifact-name': 'a/b',
      branch: 'bad..name'
    }
    try {
      parseInputs(read(values), '/ws')
      throw new Error('expected input errors')
    } catch (error) {
      const text = (error as InputErrors).message
      expect(text).toMatch(
        /Input 'commit': 'merge' is not one of the choices. Use one of: none, push, pull-request/
      )
      expect(text).toMatch(/Input 'commit-method'/)
      expect(text).toMatch(/Input 'retention-days': '365' is not a whole number from 1 to 90/)
      expect(text).toMatch(/Input 'artifact-name'/)
      expect(text).toMatch(/Input 'branch': 'bad..name' is not a valid branch name/)
    }
  })

  it('needs a token to commit, and a pull-request branch of its own', () => {
    expect(() => parseInputs(read({ commit: 'push' }), '/ws')).toThrow(
      /Input 'github-token': it is empty, and `commit: push` needs it/
    )
    expect(() =>
      parseInputs(
        read({
          commit: 'pull-request',
          'github-token': 't',
          branch: 'x',
          'pull-request-branch': 'x'
        }),
        '/ws'
      )
    ).toThrow(/Input 'pull-request-branch': it is the same as `branch`/)
    expect(() =>
      parseInputs(
        read({ commit: 'pull-request', 'github-token': 't', branch: 'echo3d/assets-main' }),
        '/ws'
      )
    ).toThrow(/Input 'branch': echo3d\/assets-main is a branch the action's own pull requests/)
    expect(() =>
      parseInputs(read({ 'github-token': 't', 'previews-branch': 'echo3d/assets-dev' }), '/ws')
    ).toThrow(/Input 'previews-branch': it is `branch` or a branch the pull request comes from/)
    expect(() =>
      parseInputs(read({ 'github-token': 't', 'previews-branch': 'echo3d/assets' }), '/ws')
    ).toThrow(
      "Input 'previews-branch': it is `branch` or a branch the pull request comes from (echo3d/assets), and each run replaces it"
    )
    expect(
      parseInputs(read({ 'pull-request-labels': 'a, b\nc' }), '/ws').delivery.pullRequestLabels
    ).toEqual(['a', 'b', 'c'])
  })

  it.each(['main', 'echo3d/assets', 'release-1.2', 'refs/heads/dev'])('accepts branch %s', name => {
    expect(parseBranchName('branch', name, false)).toBe(name.replace('refs/heads/', ''))
  })

  it.each(['a b', 'a..b', '-x', 'x.lock', 'x/', '/x', 'a//b', 'x~1', '.hidden', 'a@{b'])(
    'rejects branch %s',
    name => {
      expect(() => parseBranchName('branch', name, false)).toThrow(/not a valid branch name/)
    }
  )
})
