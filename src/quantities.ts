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

/** A whole number with its thousands grouped the same way in every locale: 12,345. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US')
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
