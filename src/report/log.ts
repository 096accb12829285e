import * as core from '@actions/core'
import type { Redactor } from '../secrets.js'

/** Every line the action writes goes through here, so no credential form can slip past the redactor. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

export function createLogger(redactor: Redactor): Logger {
  return {
    info: message => core.info(redactor.redact(message)),
    warning: message => core.warning(redactor.redact(message)),
    debug: message => core.debug(redactor.redact(message))
  }
}

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

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
