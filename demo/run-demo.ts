// `npm run demo`: starts the echo3D emulator with the sample collection and runs the bundled
// action against it, as a workflow step would, then shows the files, outputs and job summary.

import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE, emulatorInputs, removeScratchFolders, runAction } from '../harness/runner.ts'
import { CHAIR, DESK_LAMP, ROBOT, sampleEntries } from '../emulator/sample-collection.ts'
import { startEmulator } from '../emulator/server.ts'

if (!existsSync(BUNDLE)) {
  console.error('dist/index.js is missing: run `npm run build` first.')
  process.exit(1)
}

const emulator = await startEmulator({ entries: sampleEntries(), conversionDelayMs: 7000 })
console.log(
  `echo3D emulator listening at ${emulator.apiUrl} (storage host ${emulator.storageUrl})\n`
)
console.log('── The action log ──────────────────────────────────────────────')
const inputs = {
  ...emulatorInputs(emulator),
  entries: [`${DESK_LAMP}: glb, usdz, original`, ROBOT, `${CHAIR}: obj`].join('\n'),
  tags: 'furniture',
  formats: 'glb',
  'convert-missing': 'true',
  timeout: '2m'
}
try {
  const result = await runAction({ onLine: showAsGitHubDoes, inputs })
  console.log('\n── Files in the workspace ──────────────────────────────────────')
  for (const file of await listFiles(result.workspace)) console.log(`  ${file}`)
  console.log('\n── Outputs ─────────────────────────────────────────────────────')
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(
      `  ${name} = ${name === 'files' ? JSON.stringify(JSON.parse(value), null, 2).replace(/\n/g, '\n    ') : value}`
    )
  }
  console.log('\n── Job summary (Markdown/HTML, as GitHub renders it) ───────────')
  console.log(result.summary)
  console.log(`The action exited with code ${result.code}.`)

  console.log('\n── A second run on the same runner: nothing changed, nothing transferred ──')
  const again = await runAction({
    onLine: showAsGitHubDoes,
    inputs,
    workspace: result.workspace,
    toolCache: result.toolCache
  })
  console.log(
    `  unchanged = ${again.outputs.unchanged}, cache-hits = ${again.outputs['cache-hits']}, exit code ${again.code}`
  )
  console.log('\nRun it again with `npm run demo`; the test suite is `npm test`.')
} finally {
  await Promise.all([emulator.close(), removeScratchFolders()])
}

/** GitHub hides debug lines and mask commands, and folds groups; the demo shows the log the same way. */
function showAsGitHubDoes(line: string): void {
  if (line.startsWith('::debug::') || line.startsWith('::add-mask::')) return
  if (line.startsWith('::group::')) console.log(`▸ ${line.slice('::group::'.length)}`)
  else if (line.startsWith('::endgroup::')) return
  else if (line.startsWith('::error::'))
    console.log(`Error: ${line.slice('::error::'.length).replace(/%0A/g, '\n')}`)
  else if (line.startsWith('::warning::'))
    console.log(`Warning: ${line.slice('::warning::'.length)}`)
  else console.log(`  ${line}`)
}

async function listFiles(root: string, folder = root): Promise<string[]> {
  const lines: string[] = []
  for (const name of (await readdir(folder)).sort()) {
    const full = path.join(folder, name)
    const info = await stat(full)
    if (info.isDirectory()) lines.push(...(await listFiles(root, full)))
    else lines.push(`${path.relative(root, full)}  (${info.size} bytes)`)
  }
  return lines
}
