// How sizes, durations and counts read in messages, the summary and commit messages.

const UNITS = ['B', 'KiB', 'MiB', 'GiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 10_000) return `${(milliseconds / 1000).toFixed(1)}s`
  const totalSeconds = Math.round(milliseconds / 1000)
  const minutes = Math.floor(totalSeconds / 60)
  const secondsLeft = totalSeconds % 60
  if (minutes === 0) return `${secondsLeft}s`
  return secondsLeft === 0 ? `${minutes}m` : `${minutes}m${String(secondsLeft).padStart(2, '0')}s`
}

/**
 * A whole number with its thousands grouped by commas (12,345), written out here rather than by
 * `toLocaleString`: the locale data that call loads costs the process some 4 MB (record 0010).
 */
export function formatCount(count: number): string {
  const digits = String(Math.abs(Math.round(count)))
  const groups: string[] = []
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end))
  }
  return `${count < 0 ? '-' : ''}${groups.join(',')}`
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
