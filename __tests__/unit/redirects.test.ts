// Where a redirect may lead a request that carries credentials, or a download.
import { describe, expect, it } from '@jest/globals'
import { redirected } from '../../src/engine/transfer/http.js'

describe('redirected', () => {
  const get = {
    method: 'GET' as const,
    url: new URL('https://api.echo3d.test/query?file=x'),
    description: 'download of storage ID x'
  }
  const post = {
    method: 'POST' as const,
    url: new URL('https://api.echo3d.test/download'),
    form: { key: 'secret' },
    description: 'glb conversion of entry e'
  }

  it('follows a GET to another host', () => {
    const next = redirected(get, 302, 'https://storage.echo3d.test/files/x')
    expect(next.url.href).toBe('https://storage.echo3d.test/files/x')
  })

  it('never follows a redirect from https to plain http', () => {
    expect(() => redirected(get, 302, 'http://storage.echo3d.test/files/x')).toThrow(
      /from https to http/
    )
  })

  it('turns a redirected POST into a GET without its form, and re-sends it only to its origin', () => {
    const asGet = redirected(post, 303, 'https://storage.echo3d.test/converted')
    expect(asGet).toEqual({ method: 'GET', url: asGet.url, description: post.description })
    expect(redirected(post, 307, '/download2').form).toEqual(post.form)
    expect(() => redirected(post, 308, 'https://elsewhere.test/download')).toThrow(
      /would send the credentials there too/
    )
  })

  it('refuses a Location that is not a URL, in words that carry no part of the request', () => {
    const withKey = { ...get, url: new URL('https://api.echo3d.test/query?key=late-night-1234') }
    let thrown: unknown
    try {
      redirected(withKey, 302, 'http://[not a host')
    } catch (error) {
      thrown = error
    }
    expect(String(thrown)).toMatch(/a location that is not a URL; the redirect was not followed/)
    expect(JSON.stringify(thrown) + String(thrown)).not.toContain('late-night-1234')
  })
})
