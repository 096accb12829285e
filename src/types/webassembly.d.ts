// The part of the WebAssembly JavaScript API, and of the browser's ImageData, that the optimiser's
// thread uses with the jSquash codecs (src/engine/optimize/optimizer-worker.ts). Node has both
// (jSquash supplies ImageData where it is missing), but the project compiles without the DOM's
// types, where TypeScript declares them.
declare namespace WebAssembly {
  /** A compiled module; opaque. */
  interface Module {
    readonly kind?: never
  }
  interface Instance {
    readonly exports: Exports
  }
  type Exports = Record<string, unknown>
  type Imports = Record<string, Record<string, unknown>>
  function compile(bytes: Uint8Array): Promise<Module>
  function instantiate(module: Module, imports?: Imports): Promise<Instance>
}

declare class ImageData {
  constructor(data: Uint8ClampedArray, width: number, height: number)
  readonly data: Uint8ClampedArray
  readonly width: number
  readonly height: number
}
