import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/engine/transfer/sink-worker.ts
// The file writer thread: reads each chunk from the file's ring of shared memory, hashes it and
// writes it with a blocking write, which here blocks nobody. Bundled on its own as
// dist/sink-worker/index.js; see file-sink.ts for why.



const files = new Map();
if (external_node_worker_threads_namespaceObject.parentPort)
    serve(external_node_worker_threads_namespaceObject.parentPort);
function serve(port) {
    port.on('message', (command) => {
        try {
            const reply = handle(command);
            if (reply)
                port.postMessage(reply);
        }
        catch (error) {
            closeAndRemove(command.id);
            port.postMessage(failure(command.id, error));
        }
    });
}
function handle(command) {
    switch (command.kind) {
        case 'open':
            files.set(command.id, {
                path: command.path,
                ring: new Uint8Array(command.ring),
                descriptor: (0,external_node_fs_namespaceObject.openSync)(command.path, 'wx'),
                hash: (0,external_node_crypto_namespaceObject.createHash)('sha256'),
                bytes: 0
            });
            return undefined;
        case 'write':
            return write(command.id, command.start, command.length);
        case 'finish':
            return finish(command.id);
        case 'abort':
            closeAndRemove(command.id);
            return { kind: 'aborted', id: command.id };
    }
}
/** A file that already failed ignores the writes still on their way; its failure was reported. */
function write(id, start, length) {
    const file = files.get(id);
    if (!file)
        return undefined;
    const bytes = file.ring.subarray(start, start + length);
    file.hash.update(bytes);
    let offset = 0;
    while (offset < length) {
        offset += (0,external_node_fs_namespaceObject.writeSync)(file.descriptor, bytes, offset, length - offset);
    }
    file.bytes += length;
    return { kind: 'written', id, bytes: length };
}
function finish(id) {
    const file = files.get(id);
    if (!file)
        return { kind: 'failed', id, message: 'the file was closed before it was finished' };
    (0,external_node_fs_namespaceObject.closeSync)(file.descriptor);
    files.delete(id);
    return { kind: 'finished', id, bytes: file.bytes, sha256: file.hash.digest('hex') };
}
/** Removing the file here, after it is closed, means no partial file outlives a failure or an abort. */
function closeAndRemove(id) {
    const file = files.get(id);
    if (!file)
        return;
    files.delete(id);
    try {
        (0,external_node_fs_namespaceObject.closeSync)(file.descriptor);
    }
    catch {
        // Already closed.
    }
    try {
        (0,external_node_fs_namespaceObject.unlinkSync)(file.path);
    }
    catch {
        // Already removed.
    }
}
function failure(id, error) {
    const code = error?.code;
    return {
        kind: 'failed',
        id,
        message: error instanceof Error ? error.message : String(error),
        ...(typeof code === 'string' ? { code } : {})
    };
}

