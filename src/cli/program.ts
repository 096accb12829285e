// The command line: verbs, flags and help (commander), and the one place that turns an error into
// a message and an exit code.

import { Command, CommanderError, Option } from 'commander'
import {
  ConfigurationError,
  ExplainedError,
  InputError,
  InputErrors,
  errorMessage
} from '../errors.js'
import { forLog } from '../escape.js'
import { EXIT, type ExitCode } from './exit-codes.js'
import {
  echo3dContext,
  outputOptions,
  workspaceOf,
  type GlobalFlags,
  type VerbContext
} from './run-context.js'
import { FLAG_INPUTS, type SelectionFlags } from './selection.js'
import { Terminal } from './terminal.js'
import { Redactor } from '../secrets.js'
import { VERSION } from './version.js'
import { check } from './verbs/check.js'
import { init, type InitFlags } from './verbs/init.js'
import { list, type ListFlags } from './verbs/list.js'
import { prune, type PruneFlags } from './verbs/prune.js'
import { pull } from './verbs/pull.js'

/** Runs the verb `argv` names; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.done
  const program = buildProgram(code => {
    exitCode = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.usage
    throw error
  }
}

/** Where errors are reported: a terminal that redacts the credentials, once they are known. */
interface Reporter {
  terminal: Terminal
}

type Verb<F> = (flags: F, globals: GlobalFlags, reporter: Reporter) => Promise<ExitCode>

function buildProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('echo3d-assets')
    .description(
      'Pull 3D assets from echo3D into this repository: the engine, configuration file and lockfile of the echo3D Assets Action, on your machine.'
    )
    .version(VERSION, '-V, --version')
    .option(
      '-C, --workspace <folder>',
      'the repository to work in (default: the git repository around the current folder)'
    )
    .option('--json', 'print one JSON document on stdout, for scripts')
    .option('-q, --quiet', 'print only warnings, errors, and what list and check find')
    .option('-v, --verbose', 'also print a line for each planned and each unchanged file')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError()
    .addHelpText('after', PROGRAM_HELP)

  const handle =
    <F>(verb: Verb<F>) =>
    async (flags: F, command: Command): Promise<void> => {
      const globals = command.optsWithGlobals<GlobalFlags>()
      setExitCode(await runVerb(reporter => verb(flags, globals, reporter), globals))
    }
  const echo3dVerb = <F>(run: (flags: F, context: VerbContext) => Promise<ExitCode>) =>
    handle<F>(async (flags, globals, reporter) => {
      const context = await echo3dContext(globals)
      reporter.terminal = context.terminal
      return run(flags, context)
    })

  addSelectionFlags(
    program.command('pull').description('Pull the selected files, as the action does')
  )
    .option('--prune', 'also delete files the lockfile records that are no longer selected')
    .addHelpText('after', PULL_HELP)
    .action(echo3dVerb<SelectionFlags>(pull))

  addSelectionFlags(
    program
      .command('check')
      .description('Say which selected files are missing or stale; exit code 3 if any')
  )
    .addHelpText('after', CHECK_HELP)
    .action(echo3dVerb<SelectionFlags>(check))

  addSelectionFlags(
    program
      .command('prune')
      .description('Delete files the lockfile records that are no longer selected')
  )
    .option('--dry-run', 'list what would be deleted, and delete nothing')
    .addHelpText('after', PRUNE_HELP)
    .action(echo3dVerb<PruneFlags>(prune))

  program
    .command('list')
    .description("List the collection's entries: ID, name, tags, formats and upload size")
    .option('-t, --tags <tags>', 'only entries with any of these tags (comma-separated)')
    .option(
      '--api-url <url>',
      'echo3D API base URL (default: ECHO3D_API_URL, else https://api.echo3D.com)'
    )
    .option('--timeout <duration>', 'the longest the query may take, such as 90s or 5m')
    .option('--retries <n>', 'tries after a failed query')
    .addHelpText('after', LIST_HELP)
    .action(echo3dVerb<ListFlags>(list))

  program
    .command('init')
    .description('Write a starter echo3d.yml and a nightly workflow that opens a pull request')
    .option('-e, --entries <entries...>', 'entry IDs, or "ID: fmt, fmt" for its own formats')
    .option('-t, --tags <tags>', 'select every entry with any of these tags')
    .option('-f, --formats <formats>', 'formats for entries that name none (default: glb)')
    .option('-p, --path <folder>', 'destination folder (default: assets/echo3d)')
    .option('--config <file>', 'the configuration file to write', 'echo3d.yml')
    .option('--workflow <file>', 'the workflow to write', '.github/workflows/echo3d-assets.yml')
    .option('--schedule <cron>', "when the workflow runs (default: '0 3 * * *', nightly)")
    .option('--uses <action>', 'the action reference the workflow uses')
    .option('--force', 'replace files that exist')
    .addHelpText('after', INIT_HELP)
    .action(
      handle<InitFlags>(async (flags, globals, reporter) =>
        init(flags, workspaceOf(globals), reporter.terminal)
      )
    )
  return program
}

function addSelectionFlags(command: Command): Command {
  const flag = (flags: string, description: string): Option => new Option(flags, description)
  return command
    .addOption(
      flag(
        '-c, --config <file>',
        'the configuration file (default: echo3d.yml, when the repository has one)'
      )
    )
    .addOption(
      flag(
        '-e, --entries <entries...>',
        'entry IDs, or "ID: fmt, fmt" for its own formats; adds to the file\'s'
      )
    )
    .addOption(
      flag('-t, --tags <tags>', "select every entry with any of these tags; adds to the file's")
    )
    .addOption(flag('--files <ids>', "storage IDs to fetch as they are; adds to the file's"))
    .addOption(
      flag(
        '-f, --formats <formats>',
        'formats for entries that name none: glb, gltf, usdz, obj, fbx, stl, original'
      )
    )
    .addOption(flag('--convert-missing', 'ask echo3D to convert a format it does not hold yet'))
    .addOption(
      flag(
        '-p, --path <folder>',
        'destination folder, inside the repository (default: assets/echo3d)'
      )
    )
    .addOption(flag('--file-name <template>', 'file name template (default: {name}.{ext})'))
    .addOption(flag('--lockfile <file>', 'lockfile path (default: {path}/echo3d.lock.json)'))
    .addOption(flag('--no-lockfile', 'write no lockfile'))
    .addOption(
      flag(
        '--api-url <url>',
        'echo3D API base URL (default: ECHO3D_API_URL, else https://api.echo3D.com)'
      )
    )
    .addOption(flag('--concurrency <n>', 'transfers at once (default: 4)'))
    .addOption(flag('--conversion-concurrency <n>', 'conversions waited on at once (default: 16)'))
    .addOption(
      flag(
        '--timeout <duration>',
        'the longest one file may take, conversion included (default: 20m)'
      )
    )
    .addOption(flag('--retries <n>', 'tries after a failed transfer (default: 3)'))
    .addOption(flag('--max-file-size <size>', 'the largest file accepted (default: 2GiB)'))
    .addOption(
      flag('--verify <what>', 'what vouches for a file on disk: lockfile or content').choices([
        'lockfile',
        'content'
      ])
    )
    .addOption(
      flag(
        '--budget-mode <mode>',
        "fail (exit 1) or warn when a model breaks the configuration file's budgets"
      ).choices(['fail', 'warn'])
    )
}

/** The one place an error becomes a message and an exit code. */
async function runVerb(
  verb: (reporter: Reporter) => Promise<ExitCode>,
  globals: GlobalFlags
): Promise<ExitCode> {
  const reporter: Reporter = { terminal: new Terminal(new Redactor([]), outputOptions(globals)) }
  try {
    return await verb(reporter)
  } catch (error) {
    const { terminal } = reporter
    if (error instanceof ConfigurationError) {
      terminal.error(describeConfigurationError(error))
      return EXIT.usage
    }
    const message =
      error instanceof ExplainedError ? error.message : `Unexpected error: ${errorMessage(error)}`
    terminal.error(message)
    return EXIT.failed
  }
}

const FLAG_OF_INPUT = new Map<string, string>(
  Object.entries(FLAG_INPUTS).map(([flag, input]) => [
    input,
    `--${flag.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`
  ])
)

/** An input's error names the flag that stands for it. */
function describeConfigurationError(error: ConfigurationError): string {
  const describe = (inputError: InputError): string => {
    const flag = FLAG_OF_INPUT.get(inputError.input)
    const problem = `${forLog(inputError.problem)}. ${forLog(inputError.fix)}`
    return flag ? `${flag}: ${problem}` : problem
  }
  if (error instanceof InputError) return describe(error)
  if (error instanceof InputErrors) return error.errors.map(describe).join('\n')
  return error.message
}

const PROGRAM_HELP = `
Credentials come from the environment or a .env file in the repository, never from a flag:
  ECHO3D_API_KEY, ECHO3D_EMAIL, ECHO3D_USER_KEY, and ECHO3D_SECRET_KEY if secure API calls are on.
  ECHO3D_API_URL sets the API base URL. HTTPS_PROXY and NO_PROXY are honoured.

Exit codes: 0 done, 1 an asset failed, 2 bad usage or configuration, 3 stale (check), 130 Ctrl+C.

Examples:
  $ echo3d-assets list --tags release
  $ echo3d-assets init --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 --formats glb,usdz
  $ echo3d-assets pull
  $ echo3d-assets check --json`

const PULL_HELP = `
The selection is read from echo3d.yml (or --config), and flags add to it or replace its defaults,
as the action's inputs do. Files land in the same folder with the same lockfile as in CI.

Examples:
  $ echo3d-assets pull
  $ echo3d-assets pull --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 --formats glb,usdz
  $ echo3d-assets pull --tags release --convert-missing --prune
  $ echo3d-assets pull --json > pulled.json`

const CHECK_HELP = `
One metadata query, no download. Exit code 3 when a selected file is missing or stale.

Examples:
  $ echo3d-assets check
  $ echo3d-assets check --verify content`

const PRUNE_HELP = `
Deletes only files the lockfile records, and only while they are byte for byte what it records.

Examples:
  $ echo3d-assets prune --dry-run
  $ echo3d-assets prune`

const LIST_HELP = `
Examples:
  $ echo3d-assets list
  $ echo3d-assets list --tags release,characters
  $ echo3d-assets list --json | jq -r '.[].id'`

const INIT_HELP = `
Examples:
  $ echo3d-assets init --tags release
  $ echo3d-assets init --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 "8c3f2a10-6d4b-4e2f-9a1c-7b5e3d2f1a00: glb, usdz"
  $ echo3d-assets init --tags release --schedule '0 5 * * 1' --force`
