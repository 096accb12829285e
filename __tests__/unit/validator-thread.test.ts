// The glTF Validator's thread: a file that takes it past its time or its memory fails alone, and
// the next file gets a new thread.
import { describe, expect, it } from '@jest/globals'
import { makeSample } from '../../emulator/samples.ts'
import { ModelError } from '../../src/errors.ts'
import { ThreadLost, ValidatorThread } from '../../src/engine/models/validate.ts'

function bytesOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  const owned = new Uint8Array(buffer.length)
  owned.set(buffer)
  return owned
}

describe('ValidatorThread', () => {
  it('reports what the validator found, and moves the bytes rather than copying them', async () => {
    const thread = new ValidatorThread()
    const bytes = bytesOf(makeSample('glb', 'Chair'))
    const reply = await thread.validate('glb', bytes)
    expect(reply).toMatchObject({ kind: 'validated', errorCount: 0 })
    expect(bytes.byteLength).toBe(0)
  })

  it('stops a validation that takes too long, and starts a new thread for the next file', async () => {
    const thread = new ValidatorThread({ timeoutMs: 1, heapMb: 256 })
    await expect(thread.validate('glb', bytesOf(makeSample('glb', 'Slow')))).rejects.toThrow(
      /did not finish checking it within/
    )
    await expect(thread.validate('glb', bytesOf(makeSample('glb', 'Next')))).rejects.toThrow(
      /did not finish checking it within/
    )
  })

  it('fails a file that exhausts the thread’s memory, and only that file', async () => {
    const thread = new ValidatorThread({ timeoutMs: 60_000, heapMb: 24 })
    const huge = bytesOf(makeSample('gltf', 'Huge', 30 * 1024 * 1024))
    await expect(thread.validate('gltf', huge)).rejects.toThrow(/ran out of its 24 MB/)
    const reply = await thread.validate('glb', bytesOf(makeSample('glb', 'Small')))
    expect(reply).toMatchObject({ kind: 'validated', errorCount: 0 })
  })
})

describe('ValidatorThread with several files on it', () => {
  it('blames the file whose time ran out; the others are lost, to be tried again alone', async () => {
    const thread = new ValidatorThread({ timeoutMs: 1, heapMb: 256 })
    const results = await Promise.allSettled([
      thread.validate('glb', bytesOf(makeSample('glb', 'First'))),
      thread.validate('glb', bytesOf(makeSample('glb', 'Second')))
    ])
    const reasons = results.map((result): unknown =>
      result.status === 'rejected' ? result.reason : result
    )
    expect(reasons[0]).toBeInstanceOf(ModelError)
    expect(reasons[1]).toBeInstanceOf(ThreadLost)
  })

  it('blames the file the thread had started when it runs out of memory', async () => {
    const thread = new ValidatorThread({ timeoutMs: 60_000, heapMb: 24 })
    const huge = makeSample('gltf', 'Huge', 30 * 1024 * 1024)
    const [hugeResult, innocentResult] = await Promise.allSettled([
      thread.validate('gltf', bytesOf(huge)),
      thread.validate('glb', bytesOf(makeSample('glb', 'Innocent')))
    ])
    expect(hugeResult.status === 'rejected' && String(hugeResult.reason)).toMatch(
      /ran out of its 24 MB/
    )
    expect(innocentResult.status === 'rejected' && innocentResult.reason).toBeInstanceOf(ThreadLost)
    await expect(
      thread.validate('glb', bytesOf(makeSample('glb', 'Innocent')))
    ).resolves.toMatchObject({
      kind: 'validated'
    })
  })
})
