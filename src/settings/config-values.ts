// What a configuration file holds once read, apart from the YAML reader that reads it, which is
// loaded only when a run names a configuration file.

/** The keys a configuration file may hold, named as the inputs they stand for. */
export const CONFIG_KEYS = [
  'entries',
  'tags',
  'files',
  'formats',
  'convert-missing',
  'path',
  'file-name',
  'budgets',
  'optimize',
  'unity-project'
] as const

export type ConfigKey = (typeof CONFIG_KEYS)[number]

export function isConfigKey(name: string): name is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(name)
}

/** Keys whose values add to the inputs' rather than stand in for them. */
export const SELECTION_KEYS: readonly ConfigKey[] = ['entries', 'tags', 'files']

/** A configuration file read into input texts, plus what only the file can say. */
export interface ConfigValues {
  /** Each key the file sets, as the text of the input of the same name. */
  texts: Partial<Record<ConfigKey, string>>
  /** A file-name template for one entry, by entry ID. */
  entryFileNames: Map<string, string>
  /** One entry's `optimize`, as the input's text, by entry ID. */
  entryOptimize: Map<string, string>
}

/** Checks values as the inputs' parsers would, by the input's name and its text. */
export type ValueCheck = (input: ConfigKey, text: string) => void
