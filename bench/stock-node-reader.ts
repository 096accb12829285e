// The least a Node program does to fetch files as the action does: undici's `request()`, each
// body piped through SHA-256 into a new file, a few at once. The benchmark runs it beside the
// action and curl, so that the figures show what stock Node's socket reads cost on this machine,
// apart from what the action adds to them.
//
// Usage: node bench/stock-node-reader.ts CONCURRENCY URL OUTPUT [URL OUTPUT]…

import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { request } from 'undici'

/** The action's room for chunks waiting for the disk (`WRITE_BUFFER_BYTES` in download.ts). */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024

const [concurrencyText, ...pairs] = process.argv.slice(2)
const jobs = Array.from({ length: pairs.length / 2 }, (_, index) => ({
  url: pairs[index * 2],
  output: pairs[index * 2 + 1]
}))

/** The response at the end of the emulator's redirect to its storage. */
async function follow(url: string): Promise<Awaited<ReturnType<typeof request>>> {
  const response = await request(url)
  const location = response.headers.location
  if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
    await response.body.dump()
    return follow(new URL(location, url).href)
  }
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`)
  return response
}

async function fetchToFile(url: string, output: string): Promise<void> {
  const response = await follow(url)
  const hash = createHash('sha256')
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      hash.update(chunk)
      done(null, chunk)
    }
  })
  const file = createWriteStream(output, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES })
  await pipeline(response.body, tap, file)
  hash.digest('hex')
}

async function worker(): Promise<void> {
  for (let job = jobs.shift(); job; job = jobs.shift()) await fetchToFile(job.url, job.output)
}

await Promise.all(Array.from({ length: Number(concurrencyText) }, worker))
