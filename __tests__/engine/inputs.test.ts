// The inputs and the configuration file as the engine gets them. Each bad value is checked where
// it is read (__tests__/unit/inputs.test.ts, config-file.test.ts); that a bad input fails the step
// before any request is checked on the real step, in __tests__/e2e/.
import { describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import { pullWith } from '../../harness/engine.ts'
import { sharedEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const emulator = sharedEmulator()

describe('the inputs', () => {
  it('need nothing but the credentials and a selection: the defaults of action.yml do the rest', async () => {
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT } })
    expect(run.report.failures).toEqual([])
    expect(run.report.files.map(file => file.path)).toEqual(['assets/echo3d/Robot.glb'])
  })

  it('fail the second of two assets at one path, and say how to tell them apart', async () => {
    const run = await pullWith(emulator(), {
      inputs: { entries: `${ROBOT}: glb, usdz`, 'file-name': '{name}.model' }
    })
    expect(run.report.failures).toEqual([
      {
        label: `entry ${ROBOT} (usdz)`,
        message: expect.stringMatching(
          /^it would be written to 'Robot.model', where entry .* \(glb\) goes. Make the names unique/
        )
      }
    ])
    expect(run.report.files.map(file => file.format)).toEqual(['glb'])
  })
})

async function workspaceWith(config: string): Promise<string> {
  const workspace = path.join(await scratchFolder('config'), 'workspace')
  await mkdir(workspace, { recursive: true })
  await writeFile(path.join(workspace, 'echo3d.yml'), config)
  return workspace
}

describe('the config input', () => {
  it('pulls the selection kept in the file, with an entry in a folder of its own', async () => {
    const workspace = await workspaceWith(
      [
        'entries:',
        `  - ${CHAIR}`,
        `  - id: ${ROBOT}`,
        '    formats: [glb, usdz]',
        '    file-name: robots/{name}.{ext}',
        'path: public/models'
      ].join('\n')
    )
    const run = await pullWith(emulator(), { inputs: { config: 'echo3d.yml' }, workspace })
    expect(run.report.failures).toEqual([])
    expect(run.report.files.map(file => file.path)).toEqual([
      'public/models/Chair.glb',
      'public/models/robots/Robot.glb',
      'public/models/robots/Robot.usdz'
    ])
  })

  it('reports every problem with its line and column before any request', async () => {
    const workspace = await workspaceWith(
      'entries:\n  - id: ok-1\n    formats: [glbx]\nformts: glb\n'
    )
    const run = pullWith(emulator(), { inputs: { config: 'echo3d.yml' }, workspace })
    await expect(run).rejects.toThrow(
      "The configuration file echo3d.yml (input 'config') has 2 problems:"
    )
    await expect(run).rejects.toThrow("echo3d.yml:3:14: formats: 'glbx' is not a known format")
    await expect(run).rejects.toThrow("echo3d.yml:4:1: 'formts' is not a known key")
    expect(emulator().requests).toHaveLength(0)
  })

  it('names a missing file, and refuses one outside the workspace', async () => {
    const workspace = await workspaceWith('tags: [release]\n')
    await expect(
      pullWith(emulator(), { inputs: { config: 'assets.yml' }, workspace })
    ).rejects.toThrow(
      /Input 'config': 'assets.yml' does not exist in the workspace\. Check out the repository first/
    )
    await expect(
      pullWith(emulator(), { inputs: { config: '../echo3d.yml' }, workspace })
    ).rejects.toThrow(/Input 'config': '\.\.\/echo3d\.yml' is outside the workspace/)
    expect(emulator().requests).toHaveLength(0)
  })
})
