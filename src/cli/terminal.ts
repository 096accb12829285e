// Everything the program writes goes through here: credentials are redacted in every encoding, and
// text from echo3D or the workspace is escaped, so that no name can move the cursor, clear the
// screen or forge a line.

import pc from 'picocolors'
import { forLog } from '../escape.js'
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
    this.colors = pc.createColors(options.color && pc.isColorSupported && Boolean(stdout.isTTY))
  }

  /** A terminal someone watches: transfers are shown live, and the run ends with a table. */
  get live(): boolean {
    return Boolean(this.stdout.isTTY) && !this.options.json && !this.options.quiet
  }

  /** Redacted and escaped, line by line; `paint` colours the escaped text. */
  safe(text: string): string {
    return this.redactor
      .redact(text)
      .split('\n')
      .map(line => forLog(line))
      .join('\n')
  }

  print(text: string, paint: (text: string) => string = plain): void {
    this.stdout.write(`${paint(this.safe(text))}\n`)
  }

  /** A line already made safe with `safe`, such as a table row with coloured cells. */
  printSafe(line: string): void {
    this.stdout.write(`${line}\n`)
  }

  warn(text: string): void {
    this.stderr.write(`${this.colors.yellow('warning:')} ${this.safe(text)}\n`)
  }

  error(text: string): void {
    this.stderr.write(`${this.colors.red('error:')} ${this.safe(text)}\n`)
  }

  printJson(value: unknown): void {
    this.stdout.write(`${this.redactor.redact(JSON.stringify(value, null, 2))}\n`)
  }
}

function plain(text: string): string {
  return text
}
