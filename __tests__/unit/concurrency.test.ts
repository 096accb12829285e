import { describe, expect, it } from '@jest/globals'
import { AdjustableLimit, BytesInFlight, mapWithConcurrency } from '../../src/engine/concurrency.js'

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined
  const promise = new Promise<void>(done => (resolve = done))
  return { promise, resolve }
}

describe('AdjustableLimit', () => {
  it('runs at most its bound at once, and fewer once lowered', async () => {
    const limit = new AdjustableLimit(4)
    let running = 0
    let most = 0
    const gates = Array.from({ length: 10 }, deferred)
    const tasks = gates.map(gate =>
      limit.run(async () => {
        running++
        most = Math.max(most, running)
        await gate.promise
        running--
      })
    )
    await Promise.resolve()
    expect(running).toBe(4)
    expect(limit.lower(0)).toBe(true)
    expect(limit.current).toBe(2)
    for (const gate of gates) gate.resolve()
    await Promise.all(tasks)
    expect(most).toBe(4)
  })

  it('lowers once for a burst of refusals sent under the same bound, and never below one', () => {
    const limit = new AdjustableLimit(16)
    expect(limit.lower(0)).toBe(true)
    expect(limit.lower(0)).toBe(false)
    expect(limit.current).toBe(8)
    expect(limit.lower(1)).toBe(true)
    expect(limit.lower(2)).toBe(true)
    expect(limit.lower(3)).toBe(true)
    expect(limit.current).toBe(1)
    expect(limit.lower(4)).toBe(false)
  })

  it('tells each task the bound it started under', async () => {
    const limit = new AdjustableLimit(2)
    expect(await limit.run(generation => Promise.resolve(generation))).toBe(0)
    limit.lower(0)
    expect(await limit.run(generation => Promise.resolve(generation))).toBe(1)
  })

  it('holds a lowered bound for tasks that queue afterwards', async () => {
    const limit = new AdjustableLimit(4)
    limit.lower(0)
    let running = 0
    let most = 0
    await mapWithConcurrency(Array.from({ length: 8 }), 8, () =>
      limit.run(async () => {
        running++
        most = Math.max(most, running)
        await new Promise(resolve => setTimeout(resolve, 5))
        running--
      })
    )
    expect(most).toBe(2)
  })
})

describe('BytesInFlight', () => {
  it('runs tasks while their bytes fit, in the order they came, and a too-large one alone', async () => {
    const inFlight = new BytesInFlight(100)
    const started: string[] = []
    const gates = new Map<string, ReturnType<typeof deferred>>()
    const task = (name: string, bytes: number): Promise<void> => {
      const gate = deferred()
      gates.set(name, gate)
      return inFlight.run(bytes, async () => {
        started.push(name)
        await gate.promise
      })
    }
    const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
    const all = [task('a', 60), task('b', 40), task('huge', 500), task('c', 10)]
    await settle()
    // a and b fill the capacity; huge waits for both to finish, and c waits behind huge.
    expect(started).toEqual(['a', 'b'])
    gates.get('a')?.resolve()
    await settle()
    expect(started).toEqual(['a', 'b'])
    gates.get('b')?.resolve()
    await settle()
    expect(started).toEqual(['a', 'b', 'huge'])
    gates.get('huge')?.resolve()
    await settle()
    expect(started).toEqual(['a', 'b', 'huge', 'c'])
    gates.get('c')?.resolve()
    await Promise.all(all)
  })

  it('gives the bytes back when a task fails', async () => {
    const inFlight = new BytesInFlight(10)
    await expect(inFlight.run(10, () => Promise.reject(new Error('broken')))).rejects.toThrow(
      'broken'
    )
    await expect(inFlight.run(10, () => Promise.resolve('ran'))).resolves.toBe('ran')
  })
})
