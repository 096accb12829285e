// A USDZ is a zip archive (stored, 64-byte aligned) of USD layers and their textures. What a
// reviewer needs from it, without unpacking it: how many files it packs, and its textures. The
// archive is read through yauzl, from the file already opened inside the workspace. Its directory
// is the file's to choose, so every entry counts against a limit and the deadline.

import type { FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { fromFd, type Entry, type ZipFile } from 'yauzl'
import { errorMessage, ModelError } from '../../errors.js'
import type { ModelStats } from '../../model.js'
import type { Deadline } from './deadline.js'
import { MAX_IMAGES, textureFacts, type ImageInfo } from './gltf-stats.js'

/** More entries, folders included, than any model packs; a longer directory is not a model. */
const MAX_ENTRIES = 100_000
const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|ktx2)$/i

type ImageHeadReader = (index: number, head: Buffer, bytes: number) => ImageInfo

export interface UsdzReading {
  readImage: ImageHeadReader
  /** How much of each image is read for its header. */
  headBytes: number
  deadline: Deadline
}

export async function usdzStats(file: FileHandle, reading: UsdzReading): Promise<ModelStats> {
  let packedFiles = 0
  const images: ImageInfo[] = []
  await eachEntry(file, reading.deadline, async (entry, archive) => {
    if (entry.fileName.endsWith('/')) return
    packedFiles++
    if (!IMAGE_EXTENSIONS.test(entry.fileName)) return
    if (images.length === MAX_IMAGES) {
      throw new ModelError(`it packs more than the ${MAX_IMAGES} images a model holds`)
    }
    const head = await readHead(archive, entry, reading.headBytes)
    images.push(reading.readImage(images.length, head, entry.uncompressedSize))
  })
  return { packedFiles, textures: images.length, ...textureFacts(images) }
}

/** Throws a ModelError unless the zip's directory reads to its end, within the limits. */
export function readZipDirectory(file: FileHandle, deadline: Deadline): Promise<void> {
  return eachEntry(file, deadline, () => Promise.resolve())
}

/** Every entry of the zip's directory in turn, each counted against the limit and the deadline. */
async function eachEntry(
  file: FileHandle,
  deadline: Deadline,
  visit: (entry: Entry, archive: ZipFile) => Promise<void>
): Promise<void> {
  // The descriptor is the caller's to close: yauzl's own close() would close it under it.
  const archive = await openArchive(file)
  let entries = 0
  for (let entry = await nextEntry(archive); entry; entry = await nextEntry(archive)) {
    await deadline.pause()
    if (++entries > MAX_ENTRIES) {
      throw new ModelError(`its zip directory lists more than ${MAX_ENTRIES} entries`)
    }
    await visit(entry, archive)
  }
}

function openArchive(file: FileHandle): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fromFd(
      file.fd,
      { autoClose: false, lazyEntries: true, strictFileNames: false },
      (error, archive) => {
        if (error) reject(unreadable(error))
        else resolve(archive)
      }
    )
  })
}

function nextEntry(archive: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry): void => {
      archive.removeListener('end', onEnd)
      archive.removeListener('error', onError)
      resolve(entry)
    }
    const onEnd = (): void => {
      archive.removeListener('entry', onEntry)
      archive.removeListener('error', onError)
      resolve(undefined)
    }
    const onError = (error: Error): void => reject(unreadable(error))
    archive.once('entry', onEntry)
    archive.once('end', onEnd)
    archive.once('error', onError)
    archive.readEntry()
  })
}

/** The first bytes of a packed file, and no more. */
async function readHead(archive: ZipFile, entry: Entry, headBytes: number): Promise<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) => {
    archive.openReadStream(entry, (error, opened) =>
      error ? reject(unreadable(error)) : resolve(opened)
    )
  })
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer)
      length += (chunk as Buffer).length
      if (length >= headBytes) break
    }
  } catch (error) {
    throw unreadable(error)
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks).subarray(0, headBytes)
}

function unreadable(error: unknown): ModelError {
  return new ModelError(`it is not a readable USDZ (zip) archive: ${errorMessage(error)}`)
}
