// `upload-artifact` in-process: the real @actions/artifact, uploading to the artifact service
// double, which the tests unzip.
import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  readZip,
  startArtifactDouble,
  type ArtifactDouble
} from '../../doubles/artifact-service.ts'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { DeliveryOutcome, DeliveryReport } from '../../src/model.js'
import { runActionInProcess } from '../../harness/in-process.ts'
import { LOCKFILE, log, sharedEmulator } from '../support.ts'
import { pullAndDeliver } from '../../harness/delivery.ts'

const emulator = sharedEmulator()
let service: ArtifactDouble | undefined
afterEach(() => service?.close())

async function startService(): Promise<{ env: Record<string, string> }> {
  service = await startArtifactDouble()
  return {
    env: {
      ACTIONS_RESULTS_URL: `${service.url}/`,
      ACTIONS_RUNTIME_TOKEN: service.runtimeToken,
      GITHUB_REPOSITORY: 'octo-org/ar-app',
      GITHUB_RUN_ID: '777',
      GITHUB_SERVER_URL: 'https://github.com'
    }
  }
}

function outcomeOf(delivery: DeliveryReport): DeliveryOutcome {
  if (delivery.kind !== 'done') throw new Error(`delivery ${JSON.stringify(delivery)}`)
  return delivery.outcome
}

describe('upload-artifact', () => {
  it('uploads the files there are after a prune, not the pruned ones', async () => {
    const runner = await startService()
    const first = await pullAndDeliver(
      emulator(),
      { entries: `${DESK_LAMP}: glb\n${ROBOT}` },
      runner
    )
    const inputs = { entries: ROBOT, prune: 'true', 'upload-artifact': 'true' }
    const { delivery, run } = await pullAndDeliver(emulator(), inputs, {
      ...runner,
      workspace: first.run.workspace
    })
    expect(run.report.pruned.map(file => file.path)).toEqual(['assets/echo3d/Desk Lamp.glb'])
    expect(outcomeOf(delivery).artifact).toBeDefined()
    const [artifact] = service?.artifacts ?? []
    expect(
      readZip(artifact.content)
        .map(entry => entry.name)
        .sort()
    ).toEqual(['assets/echo3d/Robot.glb', LOCKFILE])
  })

  it('stores GLB and USDZ without spending time compressing them, compresses OBJ, and keeps the default retention', async () => {
    const runner = await startService()
    await pullAndDeliver(
      emulator(),
      { entries: `${ROBOT}: glb, usdz`, 'upload-artifact': 'true' },
      runner
    )
    const text = await pullAndDeliver(
      emulator(),
      { entries: `${DESK_LAMP}: original`, 'upload-artifact': 'true', 'artifact-name': 'text' },
      runner
    )
    const [packed, compressed] = service?.artifacts ?? []
    expect(packed.name).toBe('echo3d-assets')
    expect(packed.expiresAt).toBeUndefined()
    const entries = readZip(packed.content).sort((a, b) => a.name.localeCompare(b.name))
    expect(entries.map(entry => [entry.name, entry.method])).toEqual([
      [LOCKFILE, 0],
      ['assets/echo3d/Robot.glb', 0],
      ['assets/echo3d/Robot.usdz', 0]
    ])
    expect(compressed.name).toBe('text')
    expect(readZip(compressed.content).find(entry => entry.name.endsWith('.obj'))?.method).toBe(8)
    expect(outcomeOf(text.delivery).artifact).toEqual(
      expect.objectContaining({
        name: 'text',
        id: compressed.id,
        url: `https://github.com/octo-org/ar-app/actions/runs/777/artifacts/${compressed.id}`
      })
    )
  })

  it("uploads a shard's files as an artifact of its own, without the lockfile only a commit can merge", async () => {
    const runner = await startService()
    const { delivery, run } = await pullAndDeliver(
      emulator(),
      { entries: `${ROBOT}\n${DESK_LAMP}`, shard: '2/2', 'upload-artifact': 'true' },
      runner
    )
    expect(outcomeOf(delivery).artifact?.name).toBe('echo3d-assets-shard-2-of-2')
    const names = readZip(service?.artifacts[0].content ?? Buffer.alloc(0)).map(entry => entry.name)
    expect(names.sort()).toEqual(run.report.files.map(file => file.path).sort())
    expect(existsSync(path.join(run.workspace, LOCKFILE))).toBe(true)
    expect(names).not.toContain(LOCKFILE)
  })
})

describe('upload-artifact on GitHub Enterprise Server', () => {
  it('fails the step before anything is downloaded, and says what to use instead', async () => {
    const result = await runActionInProcess({
      inputs: {
        'api-key': emulator().credentials.apiKey,
        email: emulator().credentials.email,
        'user-key': emulator().credentials.userKey,
        'api-url': emulator().apiUrl,
        entries: ROBOT,
        'upload-artifact': 'true'
      },
      env: { GITHUB_SERVER_URL: 'https://github.acme.internal' }
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /::error::Input 'upload-artifact': GitHub Enterprise Server has no support for the artifact service.*actions\/upload-artifact@v3/
    )
    expect(emulator().requests).toEqual([])
  })
})
