// Work on items side by side, within a number of lanes and a number of bytes held at once.

export interface LaneBounds {
  lanes: number
  /** Bytes of the items being worked on at once; an item larger than this goes alone. */
  bytes: number
}

/**
 * Runs `work` on every item, in their order, at most `lanes` at once and within `bytes`. After
 * the first failure no item is started, and the failure is thrown once the others have ended.
 */
export async function forEachInLanes<T>(
  items: readonly T[],
  bounds: LaneBounds,
  bytesOf: (item: T) => number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  let held = 0
  let failed = false
  const waiting: (() => void)[] = []
  const fits = (bytes: number) => held === 0 || held + bytes <= bounds.bytes
  async function lane(): Promise<void> {
    while (next < items.length && !failed) {
      const item = items[next++]
      const bytes = bytesOf(item)
      while (!fits(bytes) && !failed) await new Promise<void>(resolve => waiting.push(resolve))
      if (failed) return
      held += bytes
      try {
        await work(item)
      } catch (error) {
        failed = true
        throw error
      } finally {
        held -= bytes
        for (const wake of waiting.splice(0)) wake()
      }
    }
  }
  const lanes = Array.from({ length: Math.min(bounds.lanes, items.length) }, lane)
  const results = await Promise.allSettled(lanes)
  const failure = results.find(result => result.status === 'rejected')
  if (failure) throw failure.reason
}
