// Which Unity project, if any, the run writes into: the folder that holds
// ProjectSettings/ProjectVersion.txt (the workspace itself unless `unity-project` names another),
// when the destination lies in its Assets folder.

import path from 'node:path'
import { InputError } from '../../errors.js'
import type { UnityProjectSetting } from '../../model.js'
import { isInside, workspaceRelative } from '../naming.js'
import { WorkspaceFolders } from '../workspace.js'

export interface UnityProject {
  /** Absolute. */
  root: string
  /** Absolute: the project's Assets folder, which itself never gets a `.meta`. */
  assets: string
}

export type UnityLookup =
  | { kind: 'none' }
  | { kind: 'found'; project: UnityProject }
  /** A project whose Assets folder does not hold the destination: nothing is written for it. */
  | { kind: 'outside-assets'; project: UnityProject; reason: string }

const VERSION_FILE = path.join('ProjectSettings', 'ProjectVersion.txt')

export async function findUnityProject(
  workspace: string,
  destination: string,
  setting: UnityProjectSetting
): Promise<UnityLookup> {
  if (setting.kind === 'off') return { kind: 'none' }
  const root = setting.kind === 'at' ? setting.folder : workspace
  if (!(await holdsVersionFile(workspace, root))) {
    if (setting.kind === 'auto') return { kind: 'none' }
    throw new InputError(
      'unity-project',
      `'${workspaceRelative(workspace, root) || '.'}' holds no ${VERSION_FILE.split(path.sep).join('/')}`,
      "Name the Unity project's folder (the one with Assets and ProjectSettings), relative to the workspace"
    )
  }
  const project = { root, assets: path.join(root, 'Assets') }
  if (isInside(project.assets, destination)) return { kind: 'found', project }
  const assets = workspaceRelative(workspace, project.assets)
  const where = workspaceRelative(workspace, destination) || '.'
  // On macOS and Windows `assets/echo3d` is Assets/echo3d: the models would land there, unseen.
  const otherCase = isInside(project.assets.toLowerCase(), destination.toLowerCase())
    ? `; it names Assets in another case, which on macOS and Windows puts the models in Assets without their .meta files`
    : ''
  const outside = `\`path\` (${where}) is outside the Unity project's Assets folder${otherCase}`
  const fix = `Set \`path\` under ${assets}/, such as ${assets}/Models/echo3D`
  if (setting.kind === 'at') throw new InputError('unity-project', outside, fix)
  const reason = `${outside}, so no .meta files are written. ${fix}`
  return { kind: 'outside-assets', project, reason }
}

async function holdsVersionFile(workspace: string, root: string): Promise<boolean> {
  const file = await new WorkspaceFolders(workspace).openFile(path.join(root, VERSION_FILE))
  await file?.close()
  return file !== undefined
}
