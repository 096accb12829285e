// dist/licenses.txt, from what webpack put in the bundle (ncc --stats-out): every package, with
// its version, its licence and the licence's text. ncc's own --license left six of them out.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

interface StatsModule {
  name?: string
  modules?: StatsModule[]
}

interface Stats {
  modules?: StatsModule[]
}

/** The folders of the packages whose modules are in the bundle, relative to the project. */
function bundledPackageFolders(stats: Stats): string[] {
  const folders = new Set<string>()
  const visit = (module: StatsModule): void => {
    const folder = packageFolderOf(module.name ?? '')
    if (folder) folders.add(folder)
    module.modules?.forEach(visit)
  }
  stats.modules?.forEach(visit)
  return [...folders].sort()
}

/** `./node_modules/a/node_modules/@b/c/lib/x.js + 3 modules` → `node_modules/a/node_modules/@b/c`. */
function packageFolderOf(moduleName: string): string | undefined {
  const match =
    /^(?:\.\/)?((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/ ]+)/.exec(
      moduleName
    )
  return match?.[1]
}

interface PackageJson {
  name: string
  version: string
  license?: string
}

function licenceEntry(root: string, folder: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(root, folder, 'package.json'), 'utf8')
  ) as PackageJson
  const file = readdirSync(path.join(root, folder)).find(name =>
    /^(licen[cs]e|copying)/i.test(name)
  )
  const text = file
    ? readFileSync(path.join(root, folder, file), 'utf8').trim()
    : '(the package ships no licence file)'
  return `${manifest.name}@${manifest.version}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n${codecLicence(root, folder)}`
}

/**
 * A package that ships a library compiled to WebAssembly (the jSquash codecs: libwebp, mozjpeg,
 * the png crate) keeps that library's licence beside it; the binary is in the bundle, so is this.
 * Where a package ships none (@jsquash/avif), licenses/ in this repository holds it.
 */
function codecLicence(root: string, folder: string): string {
  const shipped = path.join(root, folder, 'codec', 'LICENSE.codec.md')
  // licenses/@scope+name.md: the package's name, its slash made safe for a file name.
  const packageName = folder.split('node_modules/').at(-1) ?? folder
  const kept = path.join(root, 'licenses', `${packageName.replace('/', '+')}.md`)
  for (const file of [shipped, kept]) {
    if (!existsSync(file)) continue
    return `\nThe library compiled into its WebAssembly:\n${readFileSync(file, 'utf8').trim()}\n`
  }
  return ''
}

/**
 * Writes the licences of every package that the bundles of these stats files hold, and of the
 * packages whose files are copied beside them (`copied`, folders such as node_modules/three).
 */
export function writeLicences(
  root: string,
  statsFiles: string[],
  output: string,
  copied: readonly string[] = []
): void {
  const folders = new Set([
    ...statsFiles.flatMap(file =>
      bundledPackageFolders(JSON.parse(readFileSync(file, 'utf8')) as Stats)
    ),
    ...copied
  ])
  const entries = [...folders].map(folder => licenceEntry(root, folder))
  writeFileSync(output, entries.sort().join('\n'))
}
