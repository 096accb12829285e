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

function runner(double: ArtifactDouble) {
  return {
    env: {
      ACTIONS_RESULTS_URL: `${double.url}/`,
      ACTIONS_RUNTIME_TOKEN: double.runtimeToken,
      GITHUB_REPOSITORY: 'octo-org/ar-app',
      GITHUB_RUN_ID: '777',
      GITHUB_SERVER_URL: 'https://github.com'
    }
  }
}

describe('upload-artifact', () => {
  it('uploads every pulled file, keeping its layout, through the real @actions/artifact', async () => {
    service = await startArtifactDouble()
    const result = await pull(
      emulator(),
      {
        entries: `${DESK_LAMP}: glb, original\n${ROBOT}`,
        'upload-artifact': 'true',
        'artifact-name': 'models',
        'retention-days': '5'
      },
      runner(service)
    )
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    const [artifact] = service.artifacts
    expect(artifact).toEqual(expect.objectContaining({ name: 'models', finalized: true }))
    expect(artifact.expiresAt).toBeDefined()
    expect(result.outputs['artifact-id']).toBe(String(artifact.id))
    expect(`sha256:${result.outputs['artifact-digest']}`).toBe(artifact.hash)
    expect(result.outputs['artifact-url']).toBe(
      `https://github.com/octo-org/ar-app/actions/runs/777/artifacts/${artifact.id}`
    )
    expect(artifact.hash).toBe(`sha256:${sha256(artifact.content)}`)

    const entries = readZip(artifact.content)
    const files = filesOutput(result)
    expect(entries.map(entry => entry.name).sort()).toEqual(
      [...files.map(file => file.path), LOCKFILE].sort()
    )
    for (const file of files) {
      const entry = entries.find(candidate => candidate.name === file.path)!
      expect(sha256(entry.content)).toBe(file.sha256)
      expect(entry.content.equals(await readFile(path.join(result.workspace, file.path)))).toBe(
        true
      )
    }
    expect(result.summary).toMatch(
      /Uploaded artifact models \(.*\): https:\/\/github.com\/octo-org\/ar-app\/actions\/runs\/777\/artifacts\/\d+/
    )
  })

  it('stores GLB and USDZ without spending time compressing them, and compresses OBJ', async () => {
    service = await startArtifactDouble()
    await pull(
      emulator(),
      { entries: `${ROBOT}: glb, usdz`, 'upload-artifact': 'true' },
      runner(service)
    )
    expect(readZip(service.artifacts[0].content).map(entry => entry.method)).toEqual([0, 0, 0])
    expect(service.artifacts[0].expiresAt).toBeUndefined()

    await pull(
      emulator(),
      {
        entries: `${DESK_LAMP}: original`,
        'upload-artifact': 'true',
        'artifact-name': 'text'
      },
      runner(service)
    )
    const text = readZip(service.artifacts[1].content)
    expect(text.find(entry => entry.name.endsWith('.obj'))?.method).toBe(8)
  })
})

describe('upload-artifact on GitHub Enterprise Server', () => {
  it('fails before anything is downloaded, and says what to use instead', async () => {
    const inputs = { entries: ROBOT, 'upload-artifact': 'true' }
    const env = { GITHUB_SERVER_URL: 'https://github.acme.internal' }
    const result = await pull(emulator(), inputs, { env })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /Input 'upload-artifact': GitHub Enterprise Server has no support for the artifact service.*actions\/upload-artifact@v3/
    )
    expect(emulator().requests).toEqual([])
  })
})
