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
// writes it with a blocking write, which here blocks nobody. It also hashes files already on disk,
// with blocking reads, so that checking thousands of unchanged files runs beside the main thread.
// Bundled on its own as dist/sink-worker/index.js; see file-sink.ts for why.



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
            if (command.kind !== 'hash')
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
        case 'hash':
            return hashOnDisk(command);
    }
}
const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024);
/** Not following a link in the last step, and not waiting on a pipe for a writer. */
const OPEN_FLAGS = external_node_fs_namespaceObject.constants.O_RDONLY | (external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0) | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0);
/** Errors carry a code the main thread turns into its own message: ENOENT, ELOOP, ENOTREG, ETIME. */
function hashOnDisk(command) {
    const { id, maxBytes, deadline, headBytes } = command;
    const descriptor = (0,external_node_fs_namespaceObject.openSync)(command.path, OPEN_FLAGS);
    try {
        if (!(0,external_node_fs_namespaceObject.fstatSync)(descriptor).isFile())
            throw codedError('not a regular file', 'ENOTREG');
        const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
        let head = new Uint8Array(0);
        let bytes = 0;
        while (bytes <= maxBytes) {
            if (Date.now() > deadline)
                throw codedError('reading took too long', 'ETIME');
            const wanted = Math.min(READ_BUFFER.length, maxBytes + 1 - bytes);
            const read = (0,external_node_fs_namespaceObject.readSync)(descriptor, READ_BUFFER, 0, wanted, null);
            if (read === 0)
                break;
            const chunk = READ_BUFFER.subarray(0, read);
            hash.update(chunk);
            if (bytes < headBytes)
                head = Buffer.concat([head, chunk.subarray(0, headBytes - bytes)]);
            bytes += read;
        }
        return { kind: 'hashed', id, bytes, sha256: hash.digest('hex'), head };
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(descriptor);
    }
}
function codedError(message, code) {
    return Object.assign(new Error(message), { code });
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

