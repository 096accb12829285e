// Everything the program writes goes through here: credentials are redacted in every encoding, and
// text from echo3D or the workspace is escaped, so that no name can move the cursor, clear the
// screen or forge a line.

import pc from 'picocolors'
import { forJson, forLog } from '../escape.js'
import type { Redactor } from '../secrets.js'

type Colors = ReturnType<typeof pc.createColors>

export interface OutputOptions {
  /** One JSON document on stdout and nothing else there. */
  json: boolean
  /** Results and warnings only. */
  quiet: boolean
  /** Also a line for each planned and each unchanged file. */
  verbose: boolean
  /** false with --no-color; NO_COLOR, FORCE_COLOR and a non-terminal are honoured as well. */
  color: boolean
}

export class Terminal {
  readonly colors: Colors

  constructor(
    private readonly redactor: Redactor,
    readonly options: OutputOptions,
    readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr
  ) {
    const wanted = Boolean(stdout.isTTY) || 'FORCE_COLOR' in process.env
    this.colors = pc.createColors(options.color && pc.isColorSupported && wanted)
  }

  /** A terminal someone watches: transfers are shown live, and the run ends with a table. */
  get live(): boolean {
    return Boolean(this.stdout.isTTY) && !this.options.json && !this.options.quiet
  }

  /** Redacted and escaped as one line: a line break from outside shows as \u{a}. */
  safe(text: string): string {
    return forLog(this.redactor.redact(text))
  }

  /** One line; `paint` colours the escaped text. */
  print(text: string, paint: (text: string) => string = plain): void {
    this.stdout.write(`${paint(this.safe(text))}\n`)
  }

  /** The program's own text of several lines, each escaped like a line of its own. */
  printLines(text: string): void {
    for (const line of text.split('\n')) this.print(line)
  }

  /** A line already made safe with `safe`, such as a table row with coloured cells. */
  printSafe(line: string): void {
    this.stdout.write(`${line}\n`)
  }

  warn(text: string): void {
    this.stderr.write(`${this.colors.yellow('warning:')} ${this.safe(text)}\n`)
  }

  /**
   * An error's message: the program's own lines, in which what came from outside was escaped
   * where it was quoted (see src/errors.ts); each line is escaped once more.
   */
  error(text: string): void {
    const lines = text.split('\n').map(line => this.safe(line))
    this.stderr.write(`${this.colors.red('error:')} ${lines.join('\n')}\n`)
  }

  printJson(value: unknown): void {
    this.stdout.write(`${forJson(this.redactor.redact(JSON.stringify(value, null, 2)))}\n`)
  }
}

function plain(text: string): string {
  return text
}
