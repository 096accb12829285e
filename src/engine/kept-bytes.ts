// What a check keeps of the bytes it sees. A file on disk is read piece after piece into one
// buffer, which the next piece overwrites, and a hostile server can send a body a byte to a chunk:
// so the bytes are copied, into blocks, and memory is what is kept and at most one block more, not
// a buffer object for every piece.

const BLOCK_BYTES = 64 * 1024

/** Copies of the first `limit` bytes of a stream of pieces. */
export class KeptBytes {
  /** Every block but the last is full; the last holds `filled` bytes. */
  private blocks: Buffer[] = []
  private filled = 0
  private keptBytes = 0

  constructor(private readonly limit: number) {}

  /** How many bytes are kept. */
  get length(): number {
    return this.keptBytes
  }

  /** Copies what the piece holds below the limit; the piece itself is not kept. */
  add(piece: Buffer): void {
    const end = Math.min(piece.length, this.limit - this.length)
    let from = 0
    while (from < end) {
      const block = this.blockWithRoom()
      const copied = piece.copy(block, this.filled, from, end)
      this.filled += copied
      this.keptBytes += copied
      from += copied
    }
  }

  /** The bytes kept, joined into one buffer the first time they are asked for. */
  bytes(): Buffer {
    if (this.blocks.length !== 1 || this.filled !== this.blocks[0].length) {
      this.blocks = [Buffer.concat(this.blocks, this.length)]
      this.filled = this.length
    }
    return this.blocks[0]
  }

  private blockWithRoom(): Buffer {
    const last = this.blocks.at(-1)
    if (last && this.filled < last.length) return last
    const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, this.limit - this.length))
    this.blocks.push(block)
    this.filled = 0
    return block
  }
}
