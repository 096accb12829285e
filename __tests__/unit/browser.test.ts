// Finding the machine's Chrome or Chromium: CHROME_PATH first, then where the installers put it,
// then the names on PATH; none found is undefined, for the caller to explain.
import { describe, expect, it } from '@jest/globals'
import { findBrowser } from '../../src/previews/browser.ts'
import { browserEnvironment } from '../../src/previews/browser-process.ts'

const only =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file)

describe('findBrowser', () => {
  it('takes CHROME_PATH when it can be run, and nothing else when it cannot', () => {
    const env = { CHROME_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' }
    const isExecutable = only('/opt/chrome/chrome', '/usr/bin/chromium')
    expect(findBrowser({ env, platform: 'linux', isExecutable })).toBe('/opt/chrome/chrome')
    const missing = { ...env, CHROME_PATH: '/opt/none' }
    expect(findBrowser({ env: missing, platform: 'linux', isExecutable })).toBeUndefined()
  })

  it("prefers the installers' places, then PATH, on each platform", () => {
    const linux = only('/usr/bin/google-chrome', '/home/me/bin/chromium')
    expect(
      findBrowser({ env: { PATH: '/home/me/bin' }, platform: 'linux', isExecutable: linux })
    ).toBe('/usr/bin/google-chrome')
    const onPath = only('/home/me/bin/chromium')
    expect(
      findBrowser({ env: { PATH: '/home/me/bin' }, platform: 'linux', isExecutable: onPath })
    ).toBe('/home/me/bin/chromium')
    const mac = only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')
    expect(findBrowser({ env: {}, platform: 'darwin', isExecutable: mac })).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    )
    const windows = only('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')
    expect(findBrowser({ env: {}, platform: 'win32', isExecutable: windows })).toBe(
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    )
    expect(
      findBrowser({ env: { PATH: '/bin' }, platform: 'linux', isExecutable: only() })
    ).toBeUndefined()
  })
})

describe("the browser's environment", () => {
  it('keeps what a browser needs, whatever its case, and nothing of the step or the runner', () => {
    const step = {
      PATH: '/usr/bin',
      HOME: '/home/runner',
      LC_ALL: 'C.UTF-8',
      SystemRoot: 'C:\\Windows',
      'INPUT_API-KEY': 'late-night-1234',
      INPUT_EMAIL: 'artist@example.com',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
      GITHUB_TOKEN: 'ghs_token',
      HTTPS_PROXY: 'http://user:password@proxy:3128',
      TMPDIR: '/tmp'
    }
    expect(browserEnvironment(step, '/runner/temp/browser-a1b2c3')).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      LC_ALL: 'C.UTF-8',
      SystemRoot: 'C:\\Windows',
      TMPDIR: '/runner/temp/browser-a1b2c3',
      TMP: '/runner/temp/browser-a1b2c3',
      TEMP: '/runner/temp/browser-a1b2c3'
    })
    expect(browserEnvironment(step, undefined)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      LC_ALL: 'C.UTF-8',
      SystemRoot: 'C:\\Windows',
      TMPDIR: '/tmp'
    })
  })
})
