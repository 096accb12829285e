// Parsers for the kinds of value inputs take, and the collector of their errors. Pure; each error
// names its input.

import { InputError, InputErrors } from '../errors.js'

/** Collects the errors of several parsers, so that every bad input is reported at once. */
export class InputCheck {
  readonly errors: InputError[] = []

  /** The parsed value, or `fallback` when the input is bad. */
  attempt<T>(parse: () => T, fallback: T): T {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.errors.push(error)
      return fallback
    }
  }

  /** Whether the input was found bad. */
  refused(input: string): boolean {
    return this.errors.some(error => error.input === input)
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new InputErrors(this.errors)
  }
}

/** Splits on commas, whitespace and new lines; drops `# comments` and empty items. */
export function splitList(raw: string): string[] {
  return listItems(raw, /[\s,]+/)
}

/**
 * Splits on commas and new lines only: echo3D keeps an entry's tags as one comma-separated text,
 * so a tag may hold spaces ("living room").
 */
export function splitTags(raw: string): string[] {
  return listItems(raw, ',')
}

function listItems(raw: string, separator: RegExp | string): string[] {
  return raw
    .split(/\r?\n/)
    .map(line => line.replace(/#.*$/, ''))
    .flatMap(line => line.split(separator))
    .map(item => item.trim())
    .filter(item => item.length > 0)
}

export function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim()
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE', ''].includes(value)) return false
  throw new InputError(input, `'${value}' is not a boolean`, 'Use true or false')
}

export function parseInteger(input: string, raw: string, min: number, max: number): number {
  const value = raw.trim()
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(
      input,
      `'${value}' is not a whole number from ${min} to ${max}`,
      `Set it between ${min} and ${max}`
    )
  }
  return Number(value)
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  tb: 1000 ** 4,
  tib: 1024 ** 4
}
const MIN_SIZE_BYTES = 1024

/** A size such as 500MB, 2GiB or a plain number of bytes, at least 1 KiB. */
export function parseSize(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i.exec(raw.trim())
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()] : NaN
  if (bytes < MIN_SIZE_BYTES) {
    throw new InputError(
      input,
      `'${raw.trim()}' is less than 1 KiB, the smallest size it takes`,
      'Write a size of at least 1 KiB (1024 bytes), such as 500KB or 20MB'
    )
  }
  if (Number.isNaN(bytes) || !Number.isSafeInteger(Math.round(bytes))) {
    throw new InputError(
      input,
      `'${raw.trim()}' is not a size`,
      'Write it as 500MB, 2GiB or a plain number of bytes'
    )
  }
  return Math.round(bytes)
}

const MIN_DURATION_MS = 1000
const MAX_DURATION_MS = 6 * 60 * 60 * 1000
const DURATION_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 }

export function parseDuration(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(raw.trim())
  const milliseconds = match
    ? Number(match[1]) * DURATION_UNITS[(match[2] ?? '').toLowerCase()]
    : NaN
  if (!(milliseconds >= MIN_DURATION_MS) || milliseconds > MAX_DURATION_MS) {
    throw new InputError(
      input,
      `'${raw.trim()}' is not a duration from 1s to 6h`,
      'Write it as 90s, 15m, 1h or a plain number of seconds'
    )
  }
  return Math.round(milliseconds)
}

export function parseChoice<T extends string>(
  input: string,
  raw: string,
  choices: readonly T[]
): T {
  const value = raw.trim().toLowerCase()
  const choice = choices.find(candidate => candidate === value)
  if (!choice)
    throw new InputError(
      input,
      `'${raw.trim()}' is not one of the choices`,
      `Use one of: ${choices.join(', ')}`
    )
  return choice
}
