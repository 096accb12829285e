// What every run of the action loads: dist/index.js, without the browser's driver, which only the
// previews need and load from a chunk of their own (a megabyte of code parsed at each start).
import { describe, expect, it } from '@jest/globals'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

const DIST = path.join(PROJECT_ROOT, 'dist')

describe("the action's bundle", () => {
  it('starts without the browser driver, which a chunk beside it holds for the previews', async () => {
    expect(await readFile(path.join(DIST, 'index.js'), 'utf8')).not.toContain('puppeteer')
    const chunks = (await readdir(DIST)).filter(name => /^\d+\.index\.js$/.test(name))
    const texts = await Promise.all(chunks.map(name => readFile(path.join(DIST, name), 'utf8')))
    expect(texts.some(text => text.includes('puppeteer-core'))).toBe(true)
  })
})
