// Where the machine's Chrome or Chromium is: `CHROME_PATH` when it is set, then the places the
// installers use on each platform (GitHub's runners have Chrome installed), then the names on
// PATH. The action carries no browser of its own.

import { accessSync, constants } from 'node:fs'
import path from 'node:path'

/** Where the installers put it, by platform. */
const KNOWN_PATHS: Readonly<Record<string, readonly string[]>> = {
  linux: [
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser'
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium'
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'
  ]
}

const PATH_NAMES = [
  'google-chrome',
  'google-chrome-stable',
  'chromium',
  'chromium-browser',
  'chrome'
]

export interface BrowserSearch {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  /** Whether a file exists and can be run; a test may stand in for the disk. */
  isExecutable?: (file: string) => boolean
}

/** The browser's executable, or undefined when the machine has none that the action can find. */
export function findBrowser({
  env,
  platform,
  isExecutable = canRun
}: BrowserSearch): string | undefined {
  const chosen = env.CHROME_PATH?.trim()
  if (chosen) return isExecutable(chosen) ? chosen : undefined
  const known = (KNOWN_PATHS[platform] ?? []).find(isExecutable)
  if (known) return known
  const extension = platform === 'win32' ? '.exe' : ''
  const folders = (env.PATH ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean)
  for (const folder of folders) {
    for (const name of PATH_NAMES) {
      const candidate = path.join(folder, name + extension)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

function canRun(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
