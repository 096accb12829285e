// The job log. Every line passes the redactor, then forLog: no credential form can slip past, and
// nothing from outside can start a line of its own (a workflow command, say).

import * as core from '@actions/core'
import type { EventSink } from '../engine/index.js'
import { forLog } from '../escape.js'
import { logLineOf } from '../report/log-lines.js'
import type { Redactor } from '../secrets.js'

export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

export function createLogger(redactor: Redactor): Logger {
  return {
    info: message => core.info(forLog(redactor.redact(message))),
    warning: message => core.warning(forLog(redactor.redact(message))),
    // Skipped unless debug logging is on: a catalogue of thousands has a debug line per file.
    debug: message => {
      if (core.isDebug()) core.debug(forLog(redactor.redact(message)))
    }
  }
}

/** The engine's events as lines of the job log; its stages as collapsible groups. */
export function logEvents(log: Logger): EventSink {
  return event => {
    const line = logLineOf(event)
    if (line.level === 'group') core.startGroup(line.title)
    else if (line.level === 'end-group') core.endGroup()
    else if (line.level === 'warning') log.warning(line.text)
    else if (line.level === 'debug') log.debug(line.text)
    else log.info(line.text)
  }
}
