// The pages users read and copy from: the README and the pages in docs/ (not the design records,
// which quote code as it once was). Tests of the examples read them all, wherever an example lives.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

export interface Example {
  /** The page, relative to the project, such as docs/recipes.md. */
  page: string
  text: string
}

function userPages(): string[] {
  const docs = readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`)
  return ['README.md', ...docs.sort()]
}

/** Every ```yaml block of the README and of docs/*.md, in page order. */
export function yamlExamples(): Example[] {
  return userPages().flatMap(page => {
    const markdown = readFileSync(path.join(PROJECT_ROOT, page), 'utf8')
    return [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map(match => ({
      page,
      text: match[1]
    }))
  })
}
