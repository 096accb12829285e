// The files of the preview page, by the path the page asks for them at: the page and its script,
// three.js and the loaders and decoders it uses. Nothing else is served. Bundled, they are copied
// into dist/previews/viewer/ by the build; run from src/, they are read from node_modules.

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** URL path → the file in three's package folder (or in viewer/ beside this module, for our own). */
export const VIEWER_FILES: Readonly<Record<string, string>> = {
  '/': 'viewer/index.html',
  '/viewer.js': 'viewer/viewer.js',
  '/three/three.module.js': 'build/three.module.js',
  '/three/three.core.js': 'build/three.core.js',
  '/addons/loaders/GLTFLoader.js': 'examples/jsm/loaders/GLTFLoader.js',
  '/addons/loaders/DRACOLoader.js': 'examples/jsm/loaders/DRACOLoader.js',
  '/addons/utils/BufferGeometryUtils.js': 'examples/jsm/utils/BufferGeometryUtils.js',
  '/addons/utils/SkeletonUtils.js': 'examples/jsm/utils/SkeletonUtils.js',
  '/addons/environments/RoomEnvironment.js': 'examples/jsm/environments/RoomEnvironment.js',
  '/addons/libs/meshopt_decoder.module.js': 'examples/jsm/libs/meshopt_decoder.module.js',
  '/addons/libs/draco/gltf/draco_decoder.wasm': 'examples/jsm/libs/draco/gltf/draco_decoder.wasm',
  '/addons/libs/draco/gltf/draco_wasm_wrapper.js':
    'examples/jsm/libs/draco/gltf/draco_wasm_wrapper.js'
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm'
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'
}

/**
 * Where a viewer file is on disk: in dist/previews/viewer/ beside the bundle, by its URL path;
 * from src/, beside this module (our own) or in node_modules (three's).
 */
export function viewerFilePath(urlPath: string): string | undefined {
  const source = VIEWER_FILES[urlPath]
  if (source === undefined) return undefined
  const here = path.dirname(fileURLToPath(import.meta.url))
  // dist/index.js and dist/cli/index.js alike find dist/previews/viewer/.
  const bundled = [here, path.dirname(here)]
    .map(folder => path.join(folder, 'previews', 'viewer', ...bundledName(urlPath)))
    .find(file => existsSync(file))
  if (bundled) return bundled
  if (source.startsWith('viewer/')) return path.join(here, source)
  return path.join(threeFolder(), source)
}

/** three's package folder: its `exports` name no file of build/ or examples/ by path. */
function threeFolder(): string {
  const main = createRequire(import.meta.url).resolve('three')
  return path.dirname(path.dirname(main))
}

/** The name a URL path's file has in dist/previews/viewer/. */
export function bundledName(urlPath: string): string[] {
  return urlPath === '/' ? ['index.html'] : urlPath.slice(1).split('/')
}
