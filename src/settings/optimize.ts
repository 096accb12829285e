// The `optimize` input: `false` (models are written as echo3D serves them), `true` (the web preset),
// or one setting per line (or separated by commas), as `budgets` takes limits, such as
// `geometry: draco` or `texture-size: 1024`; a setting left out keeps the preset's value. Pure.

import { InputError } from '../errors.js'
import {
  MAX_TEXTURE_SIZE,
  OPTIMIZE_GEOMETRY as GEOMETRY,
  OPTIMIZE_TEXTURES as TEXTURES,
  type OptimizeSettings
} from '../model.js'
import { parseInteger } from './values.js'

/** `optimize: true`: meshopt geometry, WebP textures of at most 2048 px, quality 80. */
const WEB_PRESET: OptimizeSettings = {
  geometry: 'meshopt',
  textures: 'webp',
  textureSize: 2048,
  textureQuality: 80
}

const SETTINGS = ['geometry', 'textures', 'texture-size', 'texture-quality', 'simplify'] as const
type SettingName = (typeof SETTINGS)[number]

/** Values the issue plans and this version does not do yet: refused, never ignored. */
const NOT_YET: Record<string, readonly string[]> = {
  textures: ['ktx2']
}

/**
 * Each encoder's quality when `textures` names it and `texture-quality` is left out: the scales
 * differ, and AVIF at WebP's 80 would be near lossless.
 */
const DEFAULT_QUALITY = { webp: 80, avif: 50 } as const

const FIX = `Write true, false, or one setting per line: geometry: ${GEOMETRY.join('|')}; textures: ${TEXTURES.join('|')}; texture-size: 1 to ${MAX_TEXTURE_SIZE} (pixels); texture-quality: 0 to 100; simplify: off, or the share of triangles to keep, such as 0.5`

/**
 * The settings, or undefined when models are written as served. Settings that are given change
 * `base`: the web preset for the run, the run's settings for one entry of the configuration file.
 */
export function parseOptimize(
  raw: string,
  base: OptimizeSettings = WEB_PRESET
): OptimizeSettings | undefined {
  const text = raw.replace(/#.*$/gm, '').trim()
  if (/^(false|)$/i.test(text)) return undefined
  if (/^true$/i.test(text)) return { ...base }
  const settings = { ...base }
  const seen = new Set<string>()
  for (const item of text.split(/\r?\n|,/).map(line => line.trim())) {
    if (!item) continue
    const [name, value] = settingOf(item)
    if (seen.has(name)) throw new InputError('optimize', `'${name}' is set twice`, FIX)
    seen.add(name)
    applySetting(settings, name, value)
  }
  const { textures } = settings
  if (textures !== base.textures && textures !== 'keep' && !seen.has('texture-quality')) {
    settings.textureQuality = DEFAULT_QUALITY[textures]
  }
  if (settings.textures === 'keep' && (seen.has('texture-size') || seen.has('texture-quality'))) {
    throw new InputError(
      'optimize',
      '`texture-size` and `texture-quality` apply to re-encoded textures, and `textures` is keep',
      'Set `textures: webp`, or leave out texture-size and texture-quality'
    )
  }
  return settings
}

/**
 * One entry's `optimize` from the configuration file: its settings change the run's (the web
 * preset when the run does not optimise); `false` turns optimisation off for the entry.
 */
export function parseEntryOptimize(
  raw: string,
  run: OptimizeSettings | undefined,
  entry: string
): OptimizeSettings | false {
  try {
    return parseOptimize(raw, run) ?? false
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    // Checked alone when the file was read, it may clash only with the run's settings: say whose.
    const problem = `entry ${entry}'s settings in the configuration file, over the run's: ${error.problem}`
    throw new InputError('optimize', problem, error.fix)
  }
}

function settingOf(item: string): [SettingName, string] {
  const match = /^([a-z-]+)\s*:\s*(\S.*)$/i.exec(item)
  const name = match?.[1].toLowerCase() ?? ''
  if (!match || !(SETTINGS as readonly string[]).includes(name)) {
    throw new InputError('optimize', `'${item}' is not a setting`, FIX)
  }
  return [name as SettingName, match[2].trim()]
}

function applySetting(settings: OptimizeSettings, name: SettingName, value: string): void {
  const input = `optimize (${name})`
  switch (name) {
    case 'geometry':
      settings.geometry = choiceOf(name, value, GEOMETRY)
      return
    case 'textures':
      settings.textures = choiceOf(name, value, TEXTURES)
      return
    case 'texture-size':
      settings.textureSize = parseInteger(input, value, 1, MAX_TEXTURE_SIZE)
      return
    case 'texture-quality':
      settings.textureQuality = parseInteger(input, value, 0, 100)
      return
    case 'simplify':
      setSimplify(settings, value)
  }
}

/** `off`, or the share of each mesh's triangles to keep: above 0 and below 1. */
function setSimplify(settings: OptimizeSettings, value: string): void {
  if (/^off$/i.test(value)) {
    delete settings.simplify
    return
  }
  const ratio = /^(0?\.\d+)$/.test(value) ? Number(value) : NaN
  if (ratio > 0 && ratio < 1) {
    settings.simplify = ratio
    return
  }
  throw new InputError(
    'optimize',
    `'${value}' is not a share of triangles to keep for simplify`,
    'Write a number above 0 and below 1, such as simplify: 0.5 to keep about half the triangles, or simplify: off'
  )
}

function choiceOf<T extends string>(name: SettingName, value: string, choices: readonly T[]): T {
  const choice = choices.find(candidate => candidate === value.toLowerCase())
  if (choice) return choice
  if (NOT_YET[name]?.includes(value.toLowerCase())) {
    throw new InputError(
      'optimize',
      `\`${name}: ${value}\` is not supported yet`,
      `Use one of: ${choices.join(', ')}`
    )
  }
  throw new InputError(
    'optimize',
    `'${value}' is not a choice for ${name}`,
    `Use one of: ${choices.join(', ')}`
  )
}
