// The collection as a listing shows it: what someone needs to choose entries to select.

import { CONVERTIBLE_FORMATS } from '../formats.js'
import type { CatalogEntry } from '../model.js'
import type { EntryInfo } from './echo3d/metadata.js'

/** Entries sorted by name, then ID, so that a listing reads the same each time. Pure. */
export function catalogEntries(entries: readonly EntryInfo[]): CatalogEntry[] {
  return entries
    .map(entry => ({
      id: entry.id,
      name: entry.original.fileName,
      tags: entry.tags,
      formats: CONVERTIBLE_FORMATS.filter(format => entry.derived[format] !== undefined),
      uploadBytes: entry.uploadBytes
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
