// GitHub caps what a step may write: 1 MiB of job summary, 1 MB of outputs per job, 65,536
// characters of pull request body. Reports are built within that cap: whole lines are kept from
// the front while they fit, never a line cut in the middle, and what was left out is counted so
// the report can say so.

/** The bytes a text takes once written as UTF-8: how the summary's limit is counted. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Characters: how a pull request body's limit is counted. */
export function characters(text: string): number {
  return text.length
}

export interface Capped {
  kept: string[]
  omitted: number
}

export class TextCap {
  private remaining: number

  constructor(
    limit: number,
    private readonly measure: (text: string) => number
  ) {
    this.remaining = limit
  }

  /** Spends the text's size if it fits; says whether it did. */
  take(text: string): boolean {
    const size = this.measure(text)
    if (size > this.remaining) return false
    this.remaining -= size
    return true
  }

  /**
   * Keeps lines from the front while they fit with `reserve` still left for what must follow
   * them (a closing tag, a note of what was left out).
   */
  takeLines(lines: Iterable<string>, reserve = 0): Capped {
    const kept: string[] = []
    let omitted = 0
    for (const line of lines) {
      if (omitted > 0 || this.measure(line) + reserve > this.remaining) {
        omitted++
        continue
      }
      this.remaining -= this.measure(line)
      kept.push(line)
    }
    return { kept, omitted }
  }
}
