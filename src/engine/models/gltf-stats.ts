// A glTF document's statistics from its JSON alone: the accessors' counts and bounds, the scene's
// node tree and the images' headers. No vertex is read, so a model of any size costs the same few
// reads. The document is hostile until checked: every index, count and transform is. Each mesh is
// summed once, however many nodes draw it, so the cost follows the JSON's length and not the
// product of nodes and primitives that an instanced scene multiplies out to (docs/decisions/0013).

import { ModelError } from '../../errors.js'
import type { ModelStats } from '../../model.js'
import type { Deadline } from './deadline.js'
import { boxCorners, composeNode, IDENTITY, transformPoint, type Matrix } from './transforms.js'

type Json = Record<string, unknown>

/** An image's size, format and encoded bytes; no size or format when its bytes are outside the file. */
export interface ImageInfo {
  width?: number
  height?: number
  /** As its header says: `png`, `jpeg`, `webp`, `ktx2`… */
  format?: string
  bytes: number
}

/** Reads an image's header, by its index in `images`. */
export type ImageReader = (index: number, image: Json) => Promise<ImageInfo>

/** More of any one thing than a model holds; a longer list is not a model. */
const MAX_ITEMS = 1_000_000
/** More textures than any model holds: each costs a read and a scan of its header. */
export const MAX_IMAGES = 10_000
/** An accessor's count is a 32-bit number in every API that draws it. */
const MAX_ELEMENTS = 2 ** 32
const MAX_EXTENSIONS = 32

const COMPONENT_BYTES: Record<number, number> = {
  5120: 1,
  5121: 1,
  5122: 2,
  5123: 2,
  5125: 4,
  5126: 4
}
/** Values per element of each accessor type. */
export const TYPE_COMPONENTS: Readonly<Record<string, number>> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16
}

export async function gltfStats(
  document: unknown,
  readImage: ImageReader,
  deadline: Deadline
): Promise<ModelStats> {
  const root = checkedRoot(document)
  const gltf = new GltfView(root, deadline)
  const drawn = gltf.drawnMeshes()
  const images = await imageInfos(gltf, readImage, deadline)
  const summaries = drawn.map(({ mesh }) => gltf.meshSummary(mesh))
  return {
    triangles: sum(summaries.map(summary => summary.triangles)),
    vertices: sum(summaries.map(summary => summary.vertices)),
    meshes: gltf.list('meshes').length,
    materials: gltf.list('materials').length,
    textures: gltf.list('textures').length,
    ...textureFacts(images),
    animations: gltf.list('animations').length,
    ...sceneSize(gltf, drawn),
    extensions: extensionsUsed(root)
  }
}

function checkedRoot(document: unknown): Json {
  if (!isObject(document)) throw new ModelError('its glTF JSON is not an object')
  const asset = document.asset
  const version = isObject(asset) ? asset.version : undefined
  if (typeof version !== 'string' || !version.startsWith('2.')) {
    throw new ModelError('it is not glTF 2.0 (its asset.version is missing or not 2.x)')
  }
  return document
}

interface DrawnMesh {
  mesh: number
  /** Where the scene places it. */
  world: Matrix
}

/** The box between two corners, in a mesh's own space. */
type Box = readonly [min: readonly number[], max: readonly number[]]

/** What one instance of a mesh adds to the scene, whatever places it. */
interface MeshSummary {
  triangles: number
  vertices: number
  /** Around every primitive's positions; none when no primitive has bounds. */
  bounds?: Box
}

/** Read access to a document whose every index is checked before use. */
class GltfView {
  private readonly lists = new Map<string, Json[]>()
  private readonly summaries = new Map<number, MeshSummary>()

  constructor(
    private readonly root: Json,
    private readonly deadline: Deadline
  ) {}

  /** A top-level list, checked once: each of its items is an object. */
  list(key: string): Json[] {
    const known = this.lists.get(key)
    if (known) return known
    const value = this.root[key] ?? []
    if (!Array.isArray(value) || value.length > MAX_ITEMS) {
      throw new ModelError(`its \`${key}\` is not a list of at most ${MAX_ITEMS} items`)
    }
    value.forEach((item, index) => {
      if (!isObject(item)) throw new ModelError(`${key}[${index}] is not an object`)
    })
    this.lists.set(key, value as Json[])
    return value as Json[]
  }

  item(key: string, index: unknown, from: string): Json {
    const items = this.list(key)
    if (!isIndex(index) || index >= items.length) {
      throw new ModelError(`${from} refers to ${key}[${String(index)}], which does not exist`)
    }
    return items[index]
  }

  /** Each mesh as the default scene draws it; every mesh once when there is no scene. */
  drawnMeshes(): DrawnMesh[] {
    const scenes = this.list('scenes')
    if (scenes.length === 0) {
      return this.list('meshes').map((_mesh, mesh) => ({ mesh, world: IDENTITY }))
    }
    const scene = this.item('scenes', this.root.scene ?? 0, 'scene')
    const roots = scene.nodes === undefined ? [] : indexList(scene.nodes, 'the scene’s nodes')
    return this.walkNodes(roots)
  }

  private walkNodes(roots: number[]): DrawnMesh[] {
    const drawn: DrawnMesh[] = []
    const placed = new Set<number>()
    const stack = roots.map(node => ({ node, parent: IDENTITY }))
    for (let next = stack.pop(); next; next = stack.pop()) {
      this.deadline.check()
      if (placed.has(next.node)) {
        throw new ModelError(
          `node ${next.node} is placed twice in the scene; a node has one parent`
        )
      }
      placed.add(next.node)
      const node = this.item('nodes', next.node, 'the scene')
      const world = composeNode(next.parent, node, next.node)
      if (node.mesh !== undefined) {
        this.item('meshes', node.mesh, `node ${next.node}`)
        drawn.push({ mesh: node.mesh as number, world })
      }
      const children =
        node.children === undefined ? [] : indexList(node.children, `node ${next.node}'s children`)
      for (const child of children) stack.push({ node: child, parent: world })
    }
    return drawn
  }

  private primitives(mesh: number): Json[] {
    const primitives = this.item('meshes', mesh, 'a node').primitives
    if (!Array.isArray(primitives) || primitives.length > MAX_ITEMS) {
      throw new ModelError(`mesh ${mesh} has no list of primitives`)
    }
    return primitives.map((primitive, index) => {
      if (!isObject(primitive))
        throw new ModelError(`mesh ${mesh}'s primitive ${index} is not an object`)
      return primitive
    })
  }

  /** A mesh's counts and box, summed over its primitives once: every node that draws it reuses them. */
  meshSummary(mesh: number): MeshSummary {
    const known = this.summaries.get(mesh)
    if (known) return known
    const summary: MeshSummary = { triangles: 0, vertices: 0 }
    for (const primitive of this.primitives(mesh)) {
      this.deadline.check()
      const position = positionIndex(primitive, mesh)
      const drawnIndices = primitive.indices ?? position
      const count =
        drawnIndices === undefined ? 0 : this.accessorCount(drawnIndices, `mesh ${mesh}`)
      summary.triangles += trianglesOf(primitive.mode ?? 4, count)
      if (position === undefined) continue
      summary.vertices += this.accessorCount(position, `mesh ${mesh}`)
      summary.bounds = enclosing(summary.bounds, this.positionBounds(position, mesh))
    }
    this.summaries.set(mesh, summary)
    return summary
  }

  /** The box around a primitive's positions, from the accessor's min and max. */
  private positionBounds(position: number, mesh: number): Box | undefined {
    const accessor = this.item('accessors', position, `mesh ${mesh}`)
    const { min, max } = accessor
    if (!isVector3(min) || !isVector3(max)) return undefined
    return [min, max]
  }

  /** An accessor's element count, once it is known to fit the bytes it claims. */
  accessorCount(index: unknown, from: string): number {
    const accessor = this.item('accessors', index, from)
    const count = accessor.count
    if (!Number.isSafeInteger(count) || (count as number) < 0 || (count as number) > MAX_ELEMENTS) {
      throw new ModelError(`accessor ${String(index)} has an impossible count: ${String(count)}`)
    }
    if (accessor.bufferView !== undefined)
      this.checkFits(accessor, count as number, index as number)
    return count as number
  }

  private checkFits(accessor: Json, count: number, index: number): void {
    const view = this.item('bufferViews', accessor.bufferView, `accessor ${index}`)
    const elementBytes =
      (COMPONENT_BYTES[accessor.componentType as number] ?? 0) *
      (TYPE_COMPONENTS[accessor.type as string] ?? 0)
    const viewBytes = view.byteLength
    if (elementBytes === 0 || !Number.isSafeInteger(viewBytes)) {
      throw new ModelError(`accessor ${index} has an unknown component type or element type`)
    }
    const stride = typeof view.byteStride === 'number' ? view.byteStride : elementBytes
    const offset = typeof accessor.byteOffset === 'number' ? accessor.byteOffset : 0
    const needed = count === 0 ? 0 : offset + stride * (count - 1) + elementBytes
    if (needed > (viewBytes as number)) {
      throw new ModelError(
        `accessor ${index} claims ${count} elements, more than its buffer view's ${String(viewBytes)} bytes hold`
      )
    }
  }
}

function positionIndex(primitive: Json, mesh: number): number | undefined {
  const attributes = primitive.attributes
  if (!isObject(attributes)) throw new ModelError(`a primitive of mesh ${mesh} has no attributes`)
  const position = attributes.POSITION
  return position === undefined ? undefined : (position as number)
}

function trianglesOf(mode: unknown, count: number): number {
  if (mode === 4) return Math.floor(count / 3)
  if (mode === 5 || mode === 6) return Math.max(0, count - 2)
  return 0
}

async function imageInfos(
  gltf: GltfView,
  readImage: ImageReader,
  deadline: Deadline
): Promise<ImageInfo[]> {
  const images = gltf.list('images')
  if (images.length > MAX_IMAGES) {
    throw new ModelError(
      `it has ${images.length} images, more than the ${MAX_IMAGES} a model holds`
    )
  }
  const infos: ImageInfo[] = []
  for (const [index, image] of images.entries()) {
    await deadline.pause()
    infos.push(await readImage(index, image))
  }
  return infos
}

/** What the images add up to: the largest, their bytes, and their formats. */
export function textureFacts(
  images: readonly ImageInfo[]
): Pick<ModelStats, 'largestTexture' | 'textureBytes' | 'textureFormats'> {
  let largest: [number, number] | undefined
  for (const { width, height } of images) {
    if (width === undefined || height === undefined) continue
    if (!largest || width * height > largest[0] * largest[1]) largest = [width, height]
  }
  const formats = [...new Set(images.flatMap(image => image.format ?? []))].sort()
  return {
    ...(largest ? { largestTexture: largest } : {}),
    textureBytes: sum(images.map(image => image.bytes)),
    ...(formats.length > 0 ? { textureFormats: formats } : {})
  }
}

/**
 * The size of the box around every drawn mesh, in the scene's metres: each mesh's own box, its
 * corners placed where each node draws it. Around a rotated mesh of several primitives this box
 * can be a little larger than one around each primitive's box; both only bound the geometry.
 */
function sceneSize(gltf: GltfView, drawn: readonly DrawnMesh[]): Pick<ModelStats, 'size'> {
  const low = [Infinity, Infinity, Infinity]
  const high = [-Infinity, -Infinity, -Infinity]
  for (const { mesh, world } of drawn) {
    const { bounds } = gltf.meshSummary(mesh)
    if (!bounds) continue
    for (const corner of boxCorners(bounds[0], bounds[1])) {
      const point = transformPoint(world, corner)
      for (let axis = 0; axis < 3; axis++) {
        low[axis] = Math.min(low[axis], point[axis])
        high[axis] = Math.max(high[axis], point[axis])
      }
    }
  }
  if (!Number.isFinite(low[0])) return {}
  const size = [0, 1, 2].map(axis => Number((high[axis] - low[axis]).toPrecision(6)))
  if (!size.every(Number.isFinite)) return {}
  return { size: size as [number, number, number] }
}

/** The box around both; either may be missing. */
function enclosing(box: Box | undefined, other: Box | undefined): Box | undefined {
  if (!box || !other) return box ?? other
  return [
    box[0].map((low, axis) => Math.min(low, other[0][axis])),
    box[1].map((high, axis) => Math.max(high, other[1][axis]))
  ]
}

function extensionsUsed(root: Json): string[] {
  const used = root.extensionsUsed
  if (!Array.isArray(used)) return []
  const names = used.filter(
    (name): name is string => typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name)
  )
  return [...new Set(names)].sort().slice(0, MAX_EXTENSIONS)
}

function indexList(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.length > MAX_ITEMS || !value.every(isIndex)) {
    throw new ModelError(`${what} are not a list of indices`)
  }
  return value
}

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

function isVector3(value: unknown): value is number[] {
  return Array.isArray(value) && value.length === 3 && value.every(Number.isFinite)
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
