import { describe, expect, it } from '@jest/globals'
import { botIdentity, isEnterpriseServer } from '../../src/action/delivery/github.js'

describe('the GitHub the run is on', () => {
  it('is an Enterprise Server unless it is github.com, GHE.com or a local test host', () => {
    expect(isEnterpriseServer(undefined)).toBe(false)
    expect(isEnterpriseServer('https://github.com')).toBe(false)
    expect(isEnterpriseServer('https://acme.ghe.com')).toBe(false)
    expect(isEnterpriseServer('https://github.acme.internal')).toBe(true)
  })

  it("commits as GitHub's Actions bot, with the server's noreply address", () => {
    expect(botIdentity('https://github.com').GIT_AUTHOR_EMAIL).toBe(
      '41898282+github-actions[bot]@users.noreply.github.com'
    )
    expect(botIdentity('https://github.acme.internal')).toEqual({
      GIT_AUTHOR_NAME: 'github-actions[bot]',
      GIT_AUTHOR_EMAIL: 'github-actions[bot]@users.noreply.github.acme.internal',
      GIT_COMMITTER_NAME: 'github-actions[bot]',
      GIT_COMMITTER_EMAIL: 'github-actions[bot]@users.noreply.github.acme.internal'
    })
  })
})
