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
import { DEFAULT_CONFIG_FILE, FLAG_INPUTS, type SelectionFlags } from './selection.js'
import { Terminal } from './terminal.js'
import { KNOWN_FORMATS } from '../formats.js'
import { Redactor } from '../secrets.js'
import { BUDGET_MODES, VERIFICATIONS } from '../settings/inputs.js'
import { defaultOf, type InputName } from '../settings/spec.js'
import { check } from './verbs/check.js'
import {
  ACTION_REFERENCE,
  DEFAULT_SCHEDULE,
  DEFAULT_WORKFLOW,
  init,
  type InitFlags
} from './verbs/init.js'
import { list, type ListFlags } from './verbs/list.js'
import { prune, type PruneFlags } from './verbs/prune.js'
import {
  DEFAULT_PREVIEW_FOLDER,
  DEFAULT_PREVIEW_TIMEOUT,
  preview,
  type PreviewFlags
} from './verbs/preview.js'
import { pull } from './verbs/pull.js'

/** The program's version, which a unit test holds equal to package.json's. */
export const VERSION = '1.3.0'

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

/** Runs a verb with the global flags, and reports its exit code. */
type Handle = <F>(verb: Verb<F>) => (flags: F, command: Command) => Promise<void>

/** A verb that talks to echo3D: it gets the credentials, and a terminal that redacts them. */
type Echo3dVerb<F> = (flags: F, context: VerbContext) => Promise<ExitCode>

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
  const handle: Handle = verb => async (flags, command) => {
    const globals = command.optsWithGlobals<GlobalFlags>()
    setExitCode(await runVerb(reporter => verb(flags, globals, reporter), globals))
  }
  addEcho3dVerbs(program, handle)
  addInit(program, handle)
  addPreview(program, handle)
  return program
}

function addEcho3dVerbs(program: Command, handle: Handle): void {
  const echo3dVerb = <F>(run: Echo3dVerb<F>) =>
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
    .option('--api-url <url>', API_URL_HELP)
    .option('--timeout <duration>', withDefault('the longest the query may take', 'timeout'))
    .option('--retries <n>', withDefault('tries after a failed query', 'retries'))
    .addHelpText('after', LIST_HELP)
    .action(echo3dVerb<ListFlags>(list))
}

function addInit(program: Command, handle: Handle): void {
  program
    .command('init')
    .description('Write a starter echo3d.yml and a nightly workflow that opens a pull request')
    .option('-e, --entries <entries...>', 'entry IDs, or "ID: fmt, fmt" for its own formats')
    .option('-t, --tags <tags>', 'select every entry with any of these tags')
    .option('-f, --formats <formats>', withDefault('formats for entries that name none', 'formats'))
    .option('-p, --path <folder>', withDefault('destination folder', 'path'))
    .option('--config <file>', 'the configuration file to write', DEFAULT_CONFIG_FILE)
    .option('--workflow <file>', 'the workflow to write', DEFAULT_WORKFLOW)
    .option('--schedule <cron>', 'when the workflow runs, in UTC', DEFAULT_SCHEDULE)
    .option('--uses <action>', 'the action reference the workflow uses', ACTION_REFERENCE)
    .option('--force', 'replace files that exist')
    .addHelpText('after', INIT_HELP)
    .action(
      handle<InitFlags>(async (flags, globals, reporter) =>
        init(flags, workspaceOf(globals), reporter.terminal)
      )
    )
}

function addPreview(program: Command, handle: Handle): void {
  program
    .command('preview')
    .description(
      'Draw a picture of each GLB or glTF file, as the action shows models in pull requests'
    )
    .argument('<files...>', 'the models to draw')
    .option(
      '-o, --out <folder>',
      'where the pictures go, in the repository',
      DEFAULT_PREVIEW_FOLDER
    )
    .option(
      '--timeout <duration>',
      'the longest one model may take to draw',
      DEFAULT_PREVIEW_TIMEOUT
    )
    .addHelpText('after', PREVIEW_HELP)
    .action((files: string[], flags: PreviewFlags, command: Command) =>
      handle<PreviewFlags>(async (given, globals, reporter) =>
        preview(files, given, workspaceOf(globals), reporter.terminal)
      )(flags, command)
    )
}

const PREVIEW_HELP = `
Each picture is 512 × 512 pixels: a three-quarter view that frames the model, in a neutral light,
the same picture for the same bytes. It needs Chrome or Chromium on this machine (CHROME_PATH
names it when it is somewhere else) and draws with WebGL in software where there is no GPU.
Nothing is fetched from the network, and no file outside the models you name is read.

Example:
  $ echo3d-assets preview assets/echo3d/*.glb --out previews`

/** A flag's help, with the default of the input it stands for, as action.yml gives it. */
function withDefault(help: string, input: InputName): string {
  return `${help} (default: ${defaultOf(input)})`
}

const API_URL_HELP = `echo3D API base URL (default: ECHO3D_API_URL, else ${defaultOf('api-url')})`

/** The flags of pull, check and prune: each stands for the action's input of the same name. */
const SELECTION_FLAGS: readonly { flags: string; help: string; choices?: readonly string[] }[] = [
  {
    flags: '-c, --config <file>',
    help: `the configuration file (default: ${DEFAULT_CONFIG_FILE}, when the repository has one)`
  },
  {
    flags: '-e, --entries <entries...>',
    help: 'entry IDs, or "ID: fmt, fmt" for its own formats; adds to the file\'s'
  },
  {
    flags: '-t, --tags <tags>',
    help: "select every entry with any of these tags; adds to the file's"
  },
  { flags: '--files <ids>', help: "storage IDs to fetch as they are; adds to the file's" },
  {
    flags: '-f, --formats <formats>',
    help: withDefault(`formats for entries that name none: ${KNOWN_FORMATS.join(', ')}`, 'formats')
  },
  { flags: '--convert-missing', help: 'ask echo3D to convert a format it does not hold yet' },
  {
    flags: '-p, --path <folder>',
    help: withDefault('destination folder, inside the repository', 'path')
  },
  { flags: '--file-name <template>', help: withDefault('file name template', 'file-name') },
  { flags: '--lockfile <file>', help: withDefault('lockfile path', 'lockfile') },
  { flags: '--no-lockfile', help: 'write no lockfile' },
  { flags: '--api-url <url>', help: API_URL_HELP },
  { flags: '--concurrency <n>', help: withDefault('transfers at once', 'concurrency') },
  {
    flags: '--conversion-concurrency <n>',
    help: withDefault('conversions waited on at once', 'conversion-concurrency')
  },
  {
    flags: '--timeout <duration>',
    help: withDefault('the longest one file may take, conversion included', 'timeout')
  },
  { flags: '--retries <n>', help: withDefault('tries after a failed transfer', 'retries') },
  {
    flags: '--max-file-size <size>',
    help: withDefault('the largest file accepted', 'max-file-size')
  },
  {
    flags: '--verify <what>',
    help: withDefault('what vouches for a file on disk', 'verify'),
    choices: VERIFICATIONS
  },
  {
    flags: '--budget-mode <mode>',
    help: withDefault(
      "fail (exit 1) or warn when a model breaks the file's budgets",
      'budget-mode'
    ),
    choices: BUDGET_MODES
  },
  {
    flags: '--optimize <settings>',
    help: withDefault(
      'optimise GLB and glTF models for the web: true, false, or settings such as "geometry: draco, texture-size: 1024"',
      'optimize'
    )
  },
  {
    flags: '--unity-project <folder>',
    help: 'the Unity project to write .meta files for: true (the repository), false, or a folder (default: the repository, when it is one)'
  }
]

function addSelectionFlags(command: Command): Command {
  for (const { flags, help, choices } of SELECTION_FLAGS) {
    const option = new Option(flags, help)
    command.addOption(choices ? option.choices(choices) : option)
  }
  return command
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

const FLAG_OF_INPUT = new Map<string, string>([
  ...Object.entries(FLAG_INPUTS).map(([flag, input]): [string, string] => [
    input,
    `--${flag.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`
  ]),
  // The address may come from the environment, where no flag was typed.
  ['api-url', '--api-url (or ECHO3D_API_URL)']
])

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
  ECHO3D_API_URL sets the API base URL. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.

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
