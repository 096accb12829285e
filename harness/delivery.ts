// Delivery in-process: a pull by the engine (or a report made up for the case), then deliverReport
// as the action calls it, with the runner's variables it reads set in process.env for the call, or
// for the whole test file where runs deliver at once.

import { mkdir, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createHash } from 'node:crypto'
import type { Emulator } from '../emulator/server.ts'
import type { GitHubDouble } from '../doubles/github-api.ts'
import { deliverReport } from '../src/action/delivery/deliver.js'
import type {
  DeliveryOutcome,
  DeliveryReport,
  Previews,
  PulledFile,
  PullReport
} from '../src/model.js'
import { parseInputs, type ActionInputs } from '../src/settings/inputs.js'
import { pullWith, type EngineRun } from './engine.ts'
import { capturing, recordingLogger, withEnvironment, type RecordingLogger } from './in-process.ts'
import { scratchFolder } from './runner.ts'

export interface Runner {
  /** The repository the run is in, and its API; none for a run that only uploads. */
  github?: GitHubDouble
  /** GITHUB_REF: refs/heads/main unless given. */
  ref?: string
  /** More of the runner's variables (GITHUB_HEAD_REF, the artifact service's…). */
  env?: Record<string, string>
  /** How long one of GitHub's seconds lasts for the action: TEST_SECOND_MS unless given. */
  githubSecondMs?: number
  /** The models' pictures, as `previews` made them. */
  pictures?: Previews
}

/**
 * GitHub's seconds in the in-process tests: the pacing of blobs and the waits a rate limit asks
 * for cost milliseconds. A test that turns the double's limits on gives the double the same.
 */
export const TEST_SECOND_MS = 10

export interface Delivered {
  delivery: DeliveryReport
  log: RecordingLogger
}

/** The runner's variables for a run in the GitHub double's repository. */
function githubVariables(runner: Runner): Record<string, string> {
  const { github } = runner
  return {
    ...(github
      ? {
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
          GITHUB_REF: runner.ref ?? 'refs/heads/main'
        }
      : {}),
    ...runner.env
  }
}

/**
 * The runner's variables for every delivery of a test file, set once before @actions/github is
 * first loaded (it takes its API URL then). The variables of a CI run of the tests that would
 * change where a delivery goes are removed.
 */
export function fileEnvironment(github: GitHubDouble): Record<string, string | undefined> {
  return {
    GITHUB_HEAD_REF: undefined,
    GITHUB_SERVER_URL: undefined,
    ...githubVariables({ github })
  }
}

/**
 * deliverReport as the action calls it after a pull, with the runner's variables set for the call;
 * without `runner`, in the environment the test file set for all its runs (runs that deliver at
 * once must share one).
 */
export async function deliver(
  options: ActionInputs,
  report: PullReport,
  runner?: Runner
): Promise<Delivered> {
  const log = recordingLogger()
  const scene = {
    ...options,
    pushOverBudget: options.budgetMode === 'warn',
    githubSecondMs: runner?.githubSecondMs ?? TEST_SECOND_MS,
    pictures: runner?.pictures
  }
  // core.group writes the group's start and end to stdout: kept out of the test's output.
  const delivering = () => capturing(() => deliverReport(options.delivery, report, scene, log))
  const { result } = await (runner
    ? withEnvironment(githubVariables(runner), delivering)
    : delivering())
  return { delivery: result, log }
}

/** A pull by the engine with these inputs (action.yml's defaults for the others, the double's token), then its delivery. */
export async function pullAndDeliver(
  emulator: Emulator,
  inputs: Record<string, string>,
  runner: Runner & { workspace?: string; allowFailures?: boolean } = {}
): Promise<Delivered & { run: EngineRun & { report: PullReport } }> {
  const run = await pullWith(emulator, {
    inputs: { 'github-token': runner.github?.token ?? '', ...inputs },
    workspace: runner.workspace
  })
  if (run.report.failures.length > 0 && !runner.allowFailures) {
    // A pull that failed unexpectedly would only show as a skipped delivery: say why instead.
    throw new Error(`the pull failed: ${JSON.stringify(run.report.failures)}`)
  }
  return { ...(await deliver(run.options, run.report, runner)), run }
}

/** The action's options for these inputs, with placeholder credentials and selection. */
export function actionInputs(workspace: string, inputs: Record<string, string>): ActionInputs {
  const values: Record<string, string> = {
    'api-key': 'k',
    email: 'e',
    'user-key': 'u',
    entries: 'e1',
    ...inputs
  }
  return parseInputs(name => values[name] ?? '', workspace)
}

/**
 * A report of files pulled into the workspace, written with this content: for the cases a real
 * pull would take long to make (many files, large ones). A number is a size, written sparse.
 */
export async function madeUpPull(
  files: Record<string, string | number>
): Promise<{ workspace: string; report: PullReport }> {
  const workspace = path.join(await scratchFolder('delivery'), 'workspace')
  const pulled: PulledFile[] = []
  for (const [relativePath, content] of Object.entries(files)) {
    const absolute = path.join(workspace, relativePath)
    await mkdir(path.dirname(absolute), { recursive: true })
    if (typeof content === 'number') {
      await writeFile(absolute, '')
      await truncate(absolute, content)
    } else {
      await writeFile(absolute, content)
    }
    const bytes = typeof content === 'number' ? content : Buffer.byteLength(content)
    pulled.push({
      path: relativePath,
      entry: `entry-${pulled.length}`,
      format: path.extname(relativePath).slice(1),
      storageId: `storage-${pulled.length}`,
      bytes,
      sha256:
        typeof content === 'number'
          ? '0'.repeat(64)
          : createHash('sha256').update(content).digest('hex'),
      source: 'download',
      durationMs: 0
    })
  }
  return {
    workspace,
    report: { files: pulled, failures: [], pruned: [], notes: [], overBudget: [] }
  }
}

/** Files of a few bytes each, named `assets/echo3d/Model <n>.glb`, for madeUpPull. */
export function models(count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      `assets/echo3d/Model ${index}.glb`,
      `model ${index}`
    ])
  )
}

/** What a delivery that was to succeed did; a test fails with the report when it did not. */
export function outcomeOf(delivery: DeliveryReport): DeliveryOutcome {
  if (delivery.kind !== 'done') throw new Error(`delivery ${JSON.stringify(delivery)}`)
  return delivery.outcome
}

/** Why a delivery that was to fail did; a test fails with the report when it did not. */
export function failureOf(delivery: DeliveryReport): string {
  if (delivery.kind !== 'failed') throw new Error(`delivery ${JSON.stringify(delivery)}`)
  return delivery.error.message
}
