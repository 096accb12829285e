// The README's inputs and outputs reference is generated from action.yml, so that the two cannot
// drift: action.yml is what the runner reads, and the README is what users read. The generated
// part sits between marker comments; Prettier leaves it alone, as it keeps list lines as written.
//
//   npm run docs   after changing action.yml; a unit test fails while the README is behind it

import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const README = path.join(ROOT, 'README.md')
const ACTION = path.join(ROOT, 'action.yml')

/** Long enough for a description, short enough to read raw beside the rest of the README. */
const WIDTH = 100

/**
 * The README groups the inputs by what a user is deciding. Every input of action.yml must be in
 * exactly one group: a new input fails the check until it is placed here.
 */
const INPUT_GROUPS: readonly { title: string; inputs: readonly string[] }[] = [
  {
    title: 'Credentials and the API',
    inputs: ['api-key', 'email', 'user-key', 'secret-key', 'api-url']
  },
  {
    title: 'What to pull',
    inputs: [
      'config',
      'entries',
      'tags',
      'formats',
      'files',
      'convert-missing',
      'path',
      'file-name',
      'unity-project',
      'optimize'
    ]
  },
  {
    title: 'How to pull',
    inputs: [
      'timeout',
      'retries',
      'concurrency',
      'conversion-concurrency',
      'max-file-size',
      'shard',
      'cache'
    ]
  },
  {
    title: 'Lockfile, check, prune and budgets',
    inputs: ['lockfile', 'mode', 'verify', 'prune', 'budgets', 'budget-mode']
  },
  {
    title: 'Delivery',
    inputs: [
      'previews',
      'previews-branch',
      'commit',
      'branch',
      'commit-method',
      'commit-message',
      'github-token',
      'pull-request-branch',
      'pull-request-title',
      'pull-request-labels',
      'pull-request-draft',
      'pull-request-reviewers',
      'pull-request-team-reviewers',
      'pull-request-assignees',
      'pull-request-milestone',
      'upload-artifact',
      'artifact-name',
      'retention-days'
    ]
  }
]

interface Input {
  description: string
  required?: boolean
  default?: string
}

interface Metadata {
  inputs: Record<string, Input>
  outputs: Record<string, { description: string }>
}

function readMetadata(actionYmlText: string): Metadata {
  const metadata = parse(actionYmlText) as Partial<Metadata> | null
  if (!metadata?.inputs || !metadata.outputs) {
    throw new Error('action.yml has no inputs or no outputs to document')
  }
  return { inputs: metadata.inputs, outputs: metadata.outputs }
}

/** Text from action.yml is plain; `<` would open an HTML tag in Markdown, `*` and `` ` `` markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*<>[\]]/g, character => `\\${character}`)
}

/** A word Markdown would read as a list item, heading or quote if it started a line. */
const STARTS_A_BLOCK = /^([-+*#>=|]|\d+[.)])/

/** One list item, wrapped at WIDTH, its lines after the first indented under its text. */
function listItem(text: string): string {
  const lines: string[] = []
  let line = '-'
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const fits = line.length + 1 + word.length <= WIDTH
    if (fits || STARTS_A_BLOCK.test(word) || line.trim() === '-') line += ` ${word}`
    else {
      lines.push(line)
      line = `  ${word}`
    }
  }
  return [...lines, line].join('\n')
}

function inputItem(name: string, input: Input): string {
  let qualifier = ''
  if (input.required) qualifier = ' (required)'
  else if (input.default) qualifier = ` (default \`${input.default}\`)`
  return listItem(`**\`${name}\`**${qualifier}: ${escapeMarkdown(input.description)}`)
}

/** Every input in exactly one group, and every group's input in action.yml. */
function checkGroups(inputs: Record<string, Input>): void {
  const grouped = INPUT_GROUPS.flatMap(group => group.inputs)
  const unplaced = Object.keys(inputs).filter(name => !grouped.includes(name))
  const unknown = grouped.filter(name => !(name in inputs))
  const twice = grouped.filter((name, index) => grouped.indexOf(name) !== index)
  const problems = [
    ...unplaced.map(name => `input '${name}' is in no group`),
    ...unknown.map(name => `input '${name}' is not in action.yml`),
    ...twice.map(name => `input '${name}' is in two groups`)
  ]
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}: update INPUT_GROUPS in scripts/readme-reference.ts`)
  }
}

function renderInputs(inputs: Record<string, Input>): string {
  checkGroups(inputs)
  return INPUT_GROUPS.map(group => {
    const items = group.inputs.map(name => inputItem(name, inputs[name]))
    return `### ${group.title}\n\n${items.join('\n')}`
  }).join('\n\n')
}

function renderOutputs(outputs: Metadata['outputs']): string {
  return Object.entries(outputs)
    .map(([name, output]) => listItem(`**\`${name}\`**: ${escapeMarkdown(output.description)}`))
    .join('\n')
}

/** The generated parts of the README, by the name their markers carry. */
export function renderReference(actionYmlText: string): { inputs: string; outputs: string } {
  const metadata = readMetadata(actionYmlText)
  return { inputs: renderInputs(metadata.inputs), outputs: renderOutputs(metadata.outputs) }
}

/** The README with what lies between each pair of markers replaced by its generated part. */
export function withReference(readme: string, actionYmlText: string): string {
  let text = readme
  for (const [name, body] of Object.entries(renderReference(actionYmlText))) {
    const start = `<!-- start ${name} -->`
    const end = `<!-- end ${name} -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end, from)
    if (from === -1 || to === -1) throw new Error(`README.md has no ${start} … ${end} markers`)
    text = `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`
  }
  return text
}

/** Writes the reference into the README, from action.yml as it is now. */
function writeReference(): void {
  const readme = readFileSync(README, 'utf8')
  writeFileSync(README, withReference(readme, readFileSync(ACTION, 'utf8')))
}

// Run as a script, not when a test imports the functions.
if (process.argv[1] === fileURLToPath(import.meta.url)) writeReference()
