// The 4 × 4 matrices of a glTF node tree (column-major, as glTF stores them), for the bounding box
// of a scene: each node's matrix, or its translation, rotation and scale, applied below its parent's.

import { ModelError } from '../../errors.js'

export type Matrix = readonly number[]

export const IDENTITY: Matrix = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]

/** The node's transform below its parent's. */
export function composeNode(parent: Matrix, node: Record<string, unknown>, index: number): Matrix {
  return multiply(parent, localMatrix(node, index))
}

function localMatrix(node: Record<string, unknown>, index: number): Matrix {
  if (node.matrix !== undefined) return numbers(node.matrix, 16, `node ${index}'s matrix`)
  const [tx, ty, tz] =
    node.translation === undefined
      ? [0, 0, 0]
      : numbers(node.translation, 3, `node ${index}'s translation`)
  const [x, y, z, w] =
    node.rotation === undefined
      ? [0, 0, 0, 1]
      : numbers(node.rotation, 4, `node ${index}'s rotation`)
  const [sx, sy, sz] =
    node.scale === undefined ? [1, 1, 1] : numbers(node.scale, 3, `node ${index}'s scale`)
  return [
    (1 - 2 * (y * y + z * z)) * sx,
    2 * (x * y + z * w) * sx,
    2 * (x * z - y * w) * sx,
    0,
    2 * (x * y - z * w) * sy,
    (1 - 2 * (x * x + z * z)) * sy,
    2 * (y * z + x * w) * sy,
    0,
    2 * (x * z + y * w) * sz,
    2 * (y * z - x * w) * sz,
    (1 - 2 * (x * x + y * y)) * sz,
    0,
    tx,
    ty,
    tz,
    1
  ]
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const product: number[] = []
  for (let column = 0; column < 4; column++) {
    for (let row = 0; row < 4; row++) {
      let value = 0
      for (let k = 0; k < 4; k++) value += a[k * 4 + row] * b[column * 4 + k]
      product.push(value)
    }
  }
  return product
}

export function transformPoint(matrix: Matrix, [x, y, z]: readonly number[]): number[] {
  return [0, 1, 2].map(
    row => matrix[row] * x + matrix[4 + row] * y + matrix[8 + row] * z + matrix[12 + row]
  )
}

/** The eight corners of the box between two points. */
export function boxCorners(min: readonly number[], max: readonly number[]): number[][] {
  const corners: number[][] = []
  for (const x of [min[0], max[0]]) {
    for (const y of [min[1], max[1]]) {
      for (const z of [min[2], max[2]]) corners.push([x, y, z])
    }
  }
  return corners
}

function numbers(value: unknown, length: number, what: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every(Number.isFinite)) {
    throw new ModelError(`${what} is not ${length} numbers`)
  }
  return value as number[]
}
