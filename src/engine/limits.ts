// The limits derived from the `timeout` a user gives each asset: short runs detect trouble fast,
// long ones are not cut by a limit that was meant for a small file. The floors are for the seconds
// of a test's `timeout`; no workflow sets one that short.

/** A body must not go silent for longer than this. */
export function stallTimeoutFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 5), 250, 60_000)
}

/** How often a pending conversion says it is still waiting: every 20 s at most. */
export function heartbeatIntervalFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 20), 250, 20_000)
}

/** How long a cache lookup may take before the cache is given up on. */
export function cacheLookupTimeoutFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 10), 2_000, 20_000)
}

/**
 * The longest a cache's copy, written beside a download, may hold it back in all before it is
 * dropped: a slow cache disk costs a download a tenth of its `timeout` at most.
 */
export function copyWaitFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 10), 250, 10_000)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
