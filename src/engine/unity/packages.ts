// What a Unity project needs to import the files that arrive, read from Packages/manifest.json:
// a glTF importer for GLB and glTF, the decoders for the compression `optimize` chose, and the
// word that Unity does not import USDZ. Warnings, never failures: the files are right either way.

import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { FileRecord } from '../../model.js'
import { plural } from '../../quantities.js'
import { readWorkspaceText } from '../workspace.js'
import type { UnityProject } from './project.js'

/** A manifest lists a few dozen packages; a larger file is not one to read. */
const MAX_MANIFEST_BYTES = 1024 * 1024

const MANIFEST = 'Packages/manifest.json'

/** glTFast (its old name too) and Khronos' UnityGLTF import GLB and glTF. */
const GLTF_IMPORTERS = ['com.unity.cloud.gltfast', 'com.atteneder.gltfast', 'org.khronos.unitygltf']

/** The packages both importers use to decode an extension, by the glTF extension. */
const DECODERS = [
  {
    extension: 'EXT_meshopt_compression',
    what: 'meshopt-compressed geometry',
    packages: ['com.unity.meshopt.decompress']
  },
  {
    extension: 'KHR_draco_mesh_compression',
    what: 'Draco-compressed geometry',
    packages: ['com.unity.cloud.draco', 'com.atteneder.draco']
  },
  {
    extension: 'KHR_texture_basisu',
    what: 'KTX textures',
    packages: ['com.unity.cloud.ktx', 'com.atteneder.ktx']
  }
] as const

type ImportedFile = Pick<FileRecord, 'format' | 'model'>

/**
 * The project's packages, by name: the manifest's, and those embedded as folders of Packages/,
 * which the manifest does not list. Undefined when it has no manifest the action can read, which
 * the warnings then say.
 */
export async function projectPackages(
  workspace: string,
  project: UnityProject
): Promise<ReadonlySet<string> | undefined> {
  const file = path.join(project.root, ...MANIFEST.split('/'))
  const tooLarge = () => new Error('too large')
  try {
    const text = await readWorkspaceText(workspace, file, MAX_MANIFEST_BYTES, tooLarge)
    const listed = text === undefined ? undefined : packagesOf(text)
    return listed && new Set([...listed, ...(await embeddedPackages(path.dirname(file)))])
  } catch {
    return undefined
  }
}

/** The folders of Packages/, by name; the links among them are not looked into. */
async function embeddedPackages(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true })
  return entries.filter(entry => entry.isDirectory()).map(entry => entry.name)
}

/** The names under `dependencies`; undefined for text that is not a manifest. Pure. */
function packagesOf(manifestText: string): ReadonlySet<string> | undefined {
  try {
    const manifest: unknown = JSON.parse(manifestText)
    const dependencies = (manifest as { dependencies?: unknown } | null)?.dependencies
    if (typeof dependencies !== 'object' || dependencies === null) return undefined
    return new Set(Object.keys(dependencies))
  } catch {
    return undefined
  }
}

/** What the packages lack for these files, a sentence each. Pure. */
export function importWarnings(
  packages: ReadonlySet<string> | undefined,
  files: readonly ImportedFile[]
): string[] {
  const has = (names: readonly string[]) => names.some(name => packages?.has(name))
  const lacking = packages
    ? `${MANIFEST} names none of`
    : `the project has no readable ${MANIFEST}, so none of`
  const warnings: string[] = []
  const gltf = files.filter(file => file.format === 'glb' || file.format === 'gltf')
  if (gltf.length > 0 && !has(GLTF_IMPORTERS)) {
    warnings.push(
      `Unity needs a glTF importer for ${plural(gltf.length, 'GLB or glTF file')}, and ${lacking} ${GLTF_IMPORTERS.join(', ')}: add com.unity.cloud.gltfast (glTFast) or org.khronos.unitygltf (UnityGLTF) to the project's packages`
    )
  }
  for (const decoder of DECODERS) {
    const using = files.filter(file => file.model?.extensions?.includes(decoder.extension))
    if (using.length === 0 || has(decoder.packages)) continue
    warnings.push(
      `${plural(using.length, 'model')} ${using.length === 1 ? 'uses' : 'use'} ${decoder.what} (${decoder.extension}), and ${lacking} ${decoder.packages.join(', ')}: add ${decoder.packages[0]} to the project's packages for Unity to decode it`
    )
  }
  const usdz = files.filter(file => file.format === 'usdz').length
  if (usdz > 0) {
    warnings.push(
      `Unity does not import USDZ files (${plural(usdz, 'file')}): they serve iOS AR Quick Look. Leave usdz out of \`formats\`, or pull them outside Assets`
    )
  }
  return warnings
}
