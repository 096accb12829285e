// A bounded number of tasks at once, without a queue library: transfers, conversions and hashes
// use it; validations are bounded by the bytes they hold.

/** Runs `worker` over `items` with at most `limit` at once; results keep the items' order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++
      results[index] = await worker(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return results
}

/**
 * A bound that can be lowered while tasks run: echo3D answers too many conversions at once with
 * 429, and the run then asks for fewer for the rest of its time. Each task learns the generation
 * of the bound it started under: a burst of refusals of requests sent under one bound lowers it
 * once, not once per refusal.
 */
export class AdjustableLimit {
  private running = 0
  private generation = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    readonly initial: number,
    private limit = initial
  ) {}

  get current(): number {
    return this.limit
  }

  /** Halves the bound, down to one, if it is still the one the refused task started under. */
  lower(startedUnder: number): boolean {
    if (startedUnder !== this.generation || this.limit === 1) return false
    this.limit = Math.max(1, Math.floor(this.limit / 2))
    this.generation++
    return true
  }

  async run<T>(task: (generation: number) => Promise<T>): Promise<T> {
    while (this.running >= this.limit) {
      await new Promise<void>(resolve => this.waiting.push(resolve))
    }
    this.running++
    try {
      return await task(this.generation)
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }
}

/**
 * A bound on the bytes that tasks hold at once, rather than on their number. Tasks are admitted in
 * the order they came while their bytes fit; one larger than the whole capacity runs alone.
 */
export class BytesInFlight {
  private used = 0
  private readonly waiting: { bytes: number; admit: () => void }[] = []

  constructor(private readonly capacity: number) {}

  async run<T>(bytes: number, task: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || !this.fits(bytes)) {
      await new Promise<void>(admit => this.waiting.push({ bytes, admit }))
    } else {
      this.used += bytes
    }
    try {
      return await task()
    } finally {
      this.used -= bytes
      this.admitWaiting()
    }
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.capacity
  }

  private admitWaiting(): void {
    for (let next = this.waiting[0]; next && this.fits(next.bytes); next = this.waiting[0]) {
      this.waiting.shift()
      this.used += next.bytes
      next.admit()
    }
  }
}
