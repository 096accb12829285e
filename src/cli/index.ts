#!/usr/bin/env node
// echo3d-assets: the command-line program, bundled into dist/cli/index.js. The version check comes
// before the program loads: its HTTP client needs a recent Node, and would fail with a stack trace.

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `error: echo3d-assets needs Node.js 22.19 or newer; this is ${process.versions.node}. Install a current LTS from https://nodejs.org (in a clone of this project, \`npm run -s cli --\` runs it on the project's own Node)\n`
  )
  // What `usage` means in exit-codes.ts, which is not loaded yet: the environment is wrong.
  process.exit(2)
}
// A reader that stops early (`| head`) is not an error: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
}
const { main } = await import('./program.js')
process.exitCode = await main(process.argv.slice(2))
