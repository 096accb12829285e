import { describe, expect, it } from '@jest/globals'
import { TestClock } from '../../harness/clock.ts'
import { HttpStatusError, TimeoutError, VerificationError } from '../../src/errors.js'
import {
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  withRetries
} from '../../src/engine/transfer/retry.js'

function withCode(code: string): Error {
  return Object.assign(new Error(code), { code })
}

describe('decideRetry', () => {
  it.each([500, 502, 503, 504, 524, 429, 408])('retries HTTP %i', status => {
    expect(decideRetry(new HttpStatusError(status, '')).retry).toBe(true)
  })

  it.each([400, 401, 403, 404, 422])('never retries HTTP %i', status => {
    expect(decideRetry(new HttpStatusError(status, '')).retry).toBe(false)
  })

  it('honours Retry-After', () => {
    expect(decideRetry(new HttpStatusError(429, '', '7'))).toEqual({
      retry: true,
      serverDelayMs: 7000
    })
  })

  it('retries resets, cut bodies, stalls and wrong bytes, but not the overall timeout', () => {
    expect(decideRetry(withCode('ECONNRESET')).retry).toBe(true)
    expect(decideRetry(withCode('UND_ERR_SOCKET')).retry).toBe(true)
    expect(
      decideRetry(Object.assign(new Error('wrapped'), { cause: withCode('ECONNRESET') })).retry
    ).toBe(true)
    expect(decideRetry(new VerificationError('html')).retry).toBe(true)
    expect(decideRetry(new TimeoutError('stalled', true)).retry).toBe(true)
    expect(decideRetry(new TimeoutError('timeout', false)).retry).toBe(false)
    expect(decideRetry(new Error('programming error')).retry).toBe(false)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-27T10:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('garbage', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  it('grows exponentially with jitter and a cap', () => {
    expect(backoffDelay(0, 0)).toBe(250)
    expect(backoffDelay(0, 1)).toBe(500)
    expect(backoffDelay(3, 0)).toBe(2000)
    expect(backoffDelay(20, 1)).toBe(30_000)
  })
})

describe('withRetries', () => {
  const options = (retries: number) => ({
    clock: new TestClock(),
    retries,
    deadline: Date.now() + 10_000,
    timeoutMs: 10_000,
    onRetry: () => undefined
  })

  it('retries a transient failure, then succeeds', async () => {
    let calls = 0
    const result = await withRetries(() => {
      calls++
      if (calls < 2) return Promise.reject(new HttpStatusError(503, '', '0'))
      return Promise.resolve('ok')
    }, options(3))
    expect(result).toBe('ok')
    expect(calls).toBe(2)
  })

  it('gives each of two places its retries, and every further place one count between them', async () => {
    let calls = 0
    const failing = withRetries(
      () => {
        calls++
        return Promise.reject(new HttpStatusError(503, '', '0'))
      },
      // A server that sends each try to a new storage origin.
      { ...options(2), placeOfFailure: () => `https://storage-${calls}.example` }
    )
    await expect(failing).rejects.toThrow(/503/)
    // One failure at each of the first two origins, then three at the others together.
    expect(calls).toBe(5)
  })

  it('stops at once on a final status', async () => {
    let calls = 0
    await expect(
      withRetries(() => {
        calls++
        return Promise.reject(new HttpStatusError(401, 'nope'))
      }, options(3))
    ).rejects.toThrow(/401/)
    expect(calls).toBe(1)
  })

  it('gives up after the retries', async () => {
    let calls = 0
    await expect(
      withRetries(() => {
        calls++
        return Promise.reject(new HttpStatusError(500, '', '0'))
      }, options(2))
    ).rejects.toThrow(/500/)
    expect(calls).toBe(3)
  })

  it('does not wait past the deadline for a Retry-After', async () => {
    const settings = options(3)
    await expect(
      withRetries(() => Promise.reject(new HttpStatusError(429, '', '3600')), settings)
    ).rejects.toThrow(/429/)
    expect(settings.clock.waits).toEqual([])
  })

  it("waits as long as the server's Retry-After says, then backs off", async () => {
    const settings = options(3)
    let calls = 0
    await withRetries(() => {
      calls++
      if (calls === 1) return Promise.reject(new HttpStatusError(429, '', '2'))
      if (calls === 2) return Promise.reject(new HttpStatusError(503, ''))
      return Promise.resolve('ok')
    }, settings)
    expect(settings.clock.waits[0]).toBe(2000)
    expect(settings.clock.waits[1]).toBeGreaterThanOrEqual(500)
    expect(settings.clock.waits[1]).toBeLessThanOrEqual(1000)
  })
})

describe('withRetries and the deadline', () => {
  it('reports the timeout, not the abort, when the asset runs out of time', async () => {
    const options = {
      clock: new TestClock(),
      retries: 3,
      deadline: Date.now() + 200,
      timeoutMs: 200,
      onRetry: () => undefined
    }
    await expect(
      withRetries(
        signal =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error))
          ),
        options
      )
    ).rejects.toThrow(/gave up after the `timeout` of 0.2s/)
  })
})
