// `upload-artifact` as the runner sees it: the bundle uploads through the real @actions/artifact to
// the artifact service double, and says where in its outputs and job summary. Compression, shards
// and GitHub Enterprise Server are tested in-process (__tests__/action/delivery-artifact.test.ts).
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  readZip,
  startArtifactDouble,
  type ArtifactDouble
} from '../../doubles/artifact-service.ts'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { LOCKFILE, filesOutput, log, pull, sharedEmulator, sha256 } from '../support.ts'

const emulator = sharedEmulator()
let service: ArtifactDouble | undefined
afterEach(() => service?.close())

describe('upload-artifact', () => {
  it('uploads every pulled file, keeping its layout, with the outputs and summary that say where', async () => {
    const double = (service = await startArtifactDouble())
    const result = await pull(
      emulator(),
      {
        entries: `${DESK_LAMP}: glb, original\n${ROBOT}`,
        'upload-artifact': 'true',
        'artifact-name': 'models',
        'retention-days': '5'
      },
      {
        env: {
          ACTIONS_RESULTS_URL: `${double.url}/`,
          ACTIONS_RUNTIME_TOKEN: double.runtimeToken,
          GITHUB_REPOSITORY: 'octo-org/ar-app',
          GITHUB_RUN_ID: '777',
          GITHUB_SERVER_URL: 'https://github.com'
        }
      }
    )
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    const [artifact] = double.artifacts
    expect(artifact).toEqual(expect.objectContaining({ name: 'models', finalized: true }))
    expect(artifact.expiresAt).toBeDefined()
    expect(result.outputs['artifact-id']).toBe(String(artifact.id))
    expect(`sha256:${result.outputs['artifact-digest']}`).toBe(artifact.hash)
    expect(artifact.hash).toBe(`sha256:${sha256(artifact.content)}`)
    const url = `https://github.com/octo-org/ar-app/actions/runs/777/artifacts/${artifact.id}`
    expect(result.outputs['artifact-url']).toBe(url)

    const entries = readZip(artifact.content)
    const files = filesOutput(result)
    expect(entries.map(entry => entry.name).sort()).toEqual(
      [...files.map(file => file.path), LOCKFILE].sort()
    )
    for (const file of files) {
      const entry = entries.find(candidate => candidate.name === file.path)
      expect(entry && sha256(entry.content)).toBe(file.sha256)
      expect(entry?.content.equals(await readFile(path.join(result.workspace, file.path)))).toBe(
        true
      )
    }
    expect(result.summary).toMatch(new RegExp(`Uploaded artifact models \\(.*\\): ${url}`))
  })
})
