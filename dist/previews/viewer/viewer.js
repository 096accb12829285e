// The preview page's script, run in headless Chromium from the action's loopback server. It draws
// one model at a time with three.js: a fixed three-quarter view that frames the model's bounding
// box, a neutral studio light, a plain background, the rest pose. The same bytes give the same
// picture. It fetches nothing but the model and its own files from the server it came from; a URI
// inside the model that names anything else is never loaded.

import {
  ACESFilmicToneMapping,
  Box3,
  Color,
  DirectionalLight,
  LoadingManager,
  PerspectiveCamera,
  PMREMGenerator,
  Scene,
  SRGBColorSpace,
  Vector3,
  WebGLRenderer
} from 'three'
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js'
import { DRACOLoader } from 'three/addons/loaders/DRACOLoader.js'
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js'
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js'

const BACKGROUND = 0xa8a8a8
/** The camera's direction from the model's centre: a three-quarter view from above. */
const VIEW = new Vector3(1, 0.8, 1.2).normalize()
const FIELD_OF_VIEW = 35
/** Pixels the model covers by more than this, of 255, are drawn: an edge's smoothing is less. */
const DRAWN_THRESHOLD = 8

const canvas = document.getElementById('view')
// With an alpha channel, the model's own pixels are known whatever their colour: see coverage.
const renderer = new WebGLRenderer({
  canvas,
  antialias: true,
  alpha: true,
  preserveDrawingBuffer: true
})
renderer.setPixelRatio(1)
renderer.outputColorSpace = SRGBColorSpace
renderer.toneMapping = ACESFilmicToneMapping
const environment = new PMREMGenerator(renderer).fromScene(new RoomEnvironment(), 0.04).texture
const glErrors = []
canvas.addEventListener('webglcontextlost', () => glErrors.push('the WebGL context was lost'))
renderer.debug.onShaderError = (gl, program) =>
  glErrors.push(`shader: ${gl.getProgramInfoLog(program)}`)

/** The model drawn last, whose memory goes before the next is loaded. */
let previous
/** The model being drawn: the one URL, besides the decoders' files, that the loaders may fetch. */
let modelUrl = ''
const manager = new LoadingManager()
manager.setURLModifier(url => (mayLoad(url) ? url : 'data:,'))
// One Draco decoder for every model: each loader keeps workers of its own alive.
const dracoLoader = new DRACOLoader(manager).setDecoderPath('/addons/libs/draco/gltf/')
const loader = new GLTFLoader(manager).setDRACOLoader(dracoLoader).setMeshoptDecoder(MeshoptDecoder)

/** Renders the model at `url` into a `size` × `size` picture; see renderModel in renderer.ts. */
window.renderModel = async (url, size) => {
  renderer.setSize(size, size, false)
  if (previous) release(previous)
  previous = undefined
  modelUrl = new URL(url, location.href).href
  const gltf = await loader.loadAsync(url)
  previous = gltf.scene
  const scene = new Scene()
  scene.environment = environment
  const key = new DirectionalLight(0xffffff, 1.5)
  key.position.set(2, 4, 3)
  scene.add(key, gltf.scene)
  const camera = framingCamera(gltf.scene)
  const drawn = coverage(scene, camera, size)
  scene.background = new Color(BACKGROUND)
  renderer.render(scene, camera)
  const gl = renderer.getContext()
  const error = gl.getError()
  if (gl.isContextLost()) glErrors.push('the WebGL context was lost')
  else if (error !== gl.NO_ERROR) glErrors.push(`WebGL error ${error}`)
  return {
    drawn,
    colours: colourCount(gl, size),
    errors: glErrors.splice(0),
    png: canvas.toDataURL('image/png')
  }
}

function release(object) {
  object.traverse(node => {
    node.geometry?.dispose()
    for (const material of [node.material ?? []].flat()) {
      for (const value of Object.values(material)) if (value?.isTexture) value.dispose()
      material.dispose()
    }
  })
}

/** The decoder's own two files, by their exact paths: `../` cannot lead anywhere else. */
const DECODER_FILES = new Set([
  '/addons/libs/draco/gltf/draco_wasm_wrapper.js',
  '/addons/libs/draco/gltf/draco_decoder.wasm'
])

/** Only the model itself and the decoders' own files: any other URI resolves to nothing. */
function mayLoad(url) {
  if (url.startsWith('blob:') || url.startsWith('data:')) return true
  const resolved = new URL(url, location.href)
  if (resolved.origin !== location.origin) return false
  return resolved.href === modelUrl || DECODER_FILES.has(resolved.pathname)
}

function framingCamera(object) {
  const box = new Box3().setFromObject(object)
  const camera = new PerspectiveCamera(FIELD_OF_VIEW, 1, 0.01, 1000)
  if (box.isEmpty()) return camera
  const centre = box.getCenter(new Vector3())
  const radius = Math.max(box.getSize(new Vector3()).length() / 2, 1e-6)
  const distance = (radius / Math.sin(((FIELD_OF_VIEW / 2) * Math.PI) / 180)) * 1.05
  camera.position.copy(centre).addScaledVector(VIEW, distance)
  camera.near = distance / 100
  camera.far = distance * 100
  camera.updateProjectionMatrix()
  camera.lookAt(centre)
  return camera
}

/**
 * How many pixels the model covers: drawn once on a transparent background, a pixel it covers is
 * opaque, even one of the background's colour (a white model on a light background).
 */
function coverage(scene, camera, size) {
  renderer.setClearColor(0x000000, 0)
  renderer.render(scene, camera)
  const pixels = readPixels(renderer.getContext(), size)
  let drawn = 0
  for (let at = 3; at < pixels.length; at += 4) if (pixels[at] > DRAWN_THRESHOLD) drawn++
  return drawn
}

/** How many colours the picture holds, up to 1,024: a single one means nothing to see. */
function colourCount(gl, size) {
  const pixels = readPixels(gl, size)
  const colours = new Set()
  for (let at = 0; at < pixels.length && colours.size < 1024; at += 4)
    colours.add((pixels[at] << 16) | (pixels[at + 1] << 8) | pixels[at + 2])
  return colours.size
}

function readPixels(gl, size) {
  const pixels = new Uint8Array(size * size * 4)
  gl.readPixels(0, 0, size, size, gl.RGBA, gl.UNSIGNED_BYTE, pixels)
  return pixels
}

window.viewerReady = true
