// V8 frees a dead buffer's memory only when it collects the object that holds it, and it lets
// some 64 MB of such memory wait for a full collection once the object has lived a little. A
// buffer the run is done with is given back here at once instead: detaching it frees its memory.

/**
 * Frees the memory under `view` now. Only for a view that covers its whole ArrayBuffer (never a
 * slice of a shared pool) and that nothing reads again: every view on that memory becomes empty.
 */
export function freeNow(view: Uint8Array): void {
  const { buffer } = view
  if (!(buffer instanceof ArrayBuffer) || buffer.detached) return
  if (view.byteOffset !== 0 || view.byteLength !== buffer.byteLength) return
  buffer.transfer(0)
}
