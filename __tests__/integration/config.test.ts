import { describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import { filesOutput, log, pull, scratchFolder, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()

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
    const result = await pull(emulator(), { config: 'echo3d.yml' }, { workspace })
    expect(result.code).toBe(0)
    expect(filesOutput(result).map(file => file.path)).toEqual([
      'public/models/Chair.glb',
      'public/models/robots/Robot.glb',
      'public/models/robots/Robot.usdz'
    ])
  })

  it('reports every problem with its line and column before any request', async () => {
    const workspace = await workspaceWith(
      'entries:\n  - id: ok-1\n    formats: [glbx]\nformts: glb\n'
    )
    const result = await pull(emulator(), { config: 'echo3d.yml' }, { workspace })
    expect(result.code).toBe(1)
    expect(log(result)).toContain(
      "The configuration file echo3d.yml (input 'config') has 2 problems:"
    )
    expect(log(result)).toContain("echo3d.yml:3:14: formats: 'glbx' is not a known format")
    expect(log(result)).toContain("echo3d.yml:4:1: 'formts' is not a known key")
    expect(emulator().requests).toHaveLength(0)
  })

  it('names a missing file, and refuses one outside the workspace', async () => {
    const workspace = await workspaceWith('tags: [release]\n')
    const missing = await pull(emulator(), { config: 'assets.yml' }, { workspace })
    expect(log(missing)).toMatch(
      /Input 'config': 'assets.yml' does not exist in the workspace\. Check out the repository first/
    )
    const outside = await pull(emulator(), { config: '../echo3d.yml' }, { workspace })
    expect(log(outside)).toMatch(/Input 'config': '\.\.\/echo3d\.yml' is outside the workspace/)
    expect(emulator().requests).toHaveLength(0)
  })
})
