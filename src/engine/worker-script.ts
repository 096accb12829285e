// Where a thread's script is. ncc cannot bundle a worker into the file that starts it, so each
// thread is bundled on its own, in a folder beside the action's bundle (dist/<name>/index.js);
// the command-line program's bundle (dist/cli/index.js) finds it beside its own folder. Run from
// src/ (by @github/local-action or the unit tests), the thread is the TypeScript source beside the
// module that starts it, which Node 24 runs as it is.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** `moduleUrl` is the starting module's `import.meta.url`: in a bundle, the bundle's own. */
export function workerScript(moduleUrl: string, bundleFolder: string, sourceFile: string): string {
  const folder = path.dirname(fileURLToPath(moduleUrl))
  const bundled = [folder, path.dirname(folder)].map(base =>
    path.join(base, bundleFolder, 'index.js')
  )
  return bundled.find(file => existsSync(file)) ?? path.join(folder, sourceFile)
}
