// The credentials as the runner sees them: the bundle registers every form of them as a mask, and
// none reaches the log, an annotation, the job summary, an output or the file of files, even with
// debug logging on, retries, conversions and failures. Refused credentials and servers that echo
// them are tested in-process (__tests__/action/secrets.test.ts), the Redactor's forms in
// __tests__/unit/secrets.test.ts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { Emulator } from '../../emulator/server.ts'
import {
  credentialForms,
  everythingVisible,
  filesOutput,
  log,
  pull,
  startSampleEmulator,
  unescapeCommandData,
  AWKWARD
} from '../support.ts'

const GITHUB_TOKEN = "ghs_t o(k)e*n~'!"

let emulator: Emulator | undefined
afterEach(() => emulator?.close())

describe('credentials', () => {
  it('never appear in any output, in any encoding, with debug logging, retries, conversions and failures', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    emulator.fault({ route: 'file', kind: 'status', status: 503 })
    emulator.fault({
      route: 'file',
      kind: 'error200',
      match: emulator.storageIdOf(DESK_LAMP, 'usdz')
    })
    const result = await pull(
      emulator,
      {
        entries: `${ROBOT}\n${DESK_LAMP}: usdz, original\n${CHAIR}: stl\nmissing-entry`,
        'convert-missing': 'true'
      },
      { debug: true, githubToken: GITHUB_TOKEN }
    )
    expect(result.code).toBe(1)
    expect(filesOutput(result)).toHaveLength(6)
    expect(log(result)).toContain('::debug::')
    expect(log(result)).toMatch(/HTTP 503: Service Unavailable; retry 1 of 3/)
    expect(log(result)).toMatch(/::error::.*missing-entry/)

    const { apiKey, email, userKey, secKey = '' } = AWKWARD
    const secrets = [apiKey, email, userKey, secKey, GITHUB_TOKEN]
    expect(result.outputs['files-path']).toBeTruthy()
    const visible = (await everythingVisible(result)).toLowerCase()
    const forms = secrets.flatMap(credentialForms)
    expect(forms.filter(form => visible.includes(form.toLowerCase()))).toEqual([])
    const masks = log(result)
      .split('\n')
      .filter(line => line.startsWith('::add-mask::'))
      .map(line => unescapeCommandData(line.slice('::add-mask::'.length)))
    for (const secret of secrets) {
      expect(masks).toContain(secret)
      expect(masks).toContain(encodeURIComponent(secret))
    }
  })
})
