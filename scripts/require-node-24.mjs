// Runs before the scripts that need Node 24 (its type stripping runs scripts/*.ts as they are).
// `npm ci` installs Node 24 into node_modules/.bin, which npm puts first on PATH; when that install
// was skipped or failed, this says so instead of a stack trace. Plain JavaScript: it must run on
// whatever Node the machine has.

const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(
    `This project's scripts need Node.js 24, and this is Node.js ${process.versions.node}.\n` +
      '`npm ci` installs Node 24 into node_modules/.bin (the npm package `node`, whose install\n' +
      "script package.json's allowScripts approves). Run `npm ci` again with access to the npm\n" +
      'registry and without --ignore-scripts, or install Node 24 yourself.\n'
  )
  process.exit(1)
}
