// The pulled files as one workflow artifact. @actions/artifact is loaded only here, only when a run
// uploads: loading it costs every run start-up time (docs/toolchain.md, "ncc and the bundle").

import type { ArtifactResult, DeliveredFile } from '../../model.js'

/** Formats stored as text compress well; GLB, USDZ and textures are packed already. */
const TEXT_FORMATS = new Set(['obj', 'gltf', 'mtl', 'stl'])
const COMPRESSIBLE_LEVEL = 6
const PACKED_LEVEL = 0

/** The zip level for the artifact: spend CPU only when most of the bytes will shrink. Pure. */
export function compressionLevelFor(files: readonly DeliveredFile[]): number {
  // The lockfile is a few hundred bytes of JSON: the models decide.
  const models = files.filter(file => file.format !== 'lockfile')
  const total = models.reduce((sum, file) => sum + file.bytes, 0)
  const text = models
    .filter(file => TEXT_FORMATS.has(file.format))
    .reduce((sum, file) => sum + file.bytes, 0)
  return total > 0 && text * 2 >= total ? COMPRESSIBLE_LEVEL : PACKED_LEVEL
}

function artifactUrl(env: NodeJS.ProcessEnv, id: number): string {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}/artifacts/${id}`
}

/** Uploads the files, keeping their layout under `root`. @actions/artifact is loaded only here. */
export async function uploadArtifact(
  name: string,
  files: readonly DeliveredFile[],
  root: string,
  retentionDays: number | undefined
): Promise<ArtifactResult> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  const response = await client.uploadArtifact(
    name,
    files.map(file => file.absolutePath),
    root,
    { retentionDays, compressionLevel: compressionLevelFor(files) }
  )
  const id = response.id ?? 0
  return {
    name,
    id,
    url: artifactUrl(process.env, id),
    bytes: response.size ?? 0,
    digest: response.digest
  }
}
