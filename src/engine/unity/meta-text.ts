// The text of the `.meta` files the action writes, and the GUID read from one. Pure.
//
// A GUID is 128 bits of the SHA-256 of the project-relative path: every runner, shard and laptop
// gives a file the same GUID, and a model that changes in echo3D keeps its path, so its GUID, so
// the scenes and prefabs that refer to it. Unity writes its GUIDs as 32 lower-case hex digits.

import { createHash } from 'node:crypto'

/** Keeps the action's GUIDs apart from any other scheme that hashes paths. */
const GUID_NAMESPACE = 'echo3d-assets/unity-meta/v1\0'

/** The GUID of the file or folder at this path, relative to the project, with `/` separators. */
export function guidFor(projectPath: string): string {
  return createHash('sha256')
    .update(GUID_NAMESPACE + projectPath.normalize('NFC'))
    .digest('hex')
    .slice(0, 32)
}

/**
 * A file's `.meta`: the version and the GUID, and nothing for an importer, since which importer
 * reads a GLB depends on the project's packages. Unity adds its importer's settings on import.
 */
export function fileMetaText(guid: string): string {
  return `fileFormatVersion: 2\nguid: ${guid}\n`
}

/** A folder's `.meta`, as Unity writes it: with it, Unity has nothing to add. */
export function folderMetaText(guid: string): string {
  return [
    'fileFormatVersion: 2',
    `guid: ${guid}`,
    'folderAsset: yes',
    'DefaultImporter:',
    '  externalObjects: {}',
    '  userData: ',
    '  assetBundleName: ',
    '  assetBundleVariant: ',
    ''
  ].join('\n')
}

/** The GUID a `.meta` holds, as Unity reads it; undefined when it holds none. */
export function guidOf(metaText: string): string | undefined {
  return /^guid: ?([0-9a-fA-F]{32})[ \t\r]*$/m.exec(metaText)?.[1]?.toLowerCase()
}
