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

/** Lines made as they are read, and how many there are: a cap makes only those it keeps. */
export interface Lines extends Iterable<string> {
  readonly length: number
}

/** Each item's line, made only when it is read. */
export function linesOf<T>(items: readonly T[], line: (item: T) => string): Lines {
  return {
    length: items.length,
    *[Symbol.iterator]() {
      for (const item of items) yield line(item)
    }
  }
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
   * them (a closing tag, a note of what was left out). The first that does not fit ends it: the
   * rest are counted, not made, so a catalogue of thousands costs no more than the room it fills.
   */
  takeLines(lines: Lines, reserve = 0): Capped {
    const kept: string[] = []
    for (const line of lines) {
      const size = this.measure(line)
      if (size + reserve > this.remaining) break
      this.remaining -= size
      kept.push(line)
    }
    return { kept, omitted: lines.length - kept.length }
  }
}
