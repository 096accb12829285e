export const id = 256;
export const ids = [256];
export const modules = {

/***/ 29256:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startRenderer: () => (/* binding */ startRenderer)
});

// UNUSED EXPORTS: PREVIEW_SIZE, PreviewRenderer

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/quantities.ts
var quantities = __webpack_require__(85602);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/puppeteer-core/lib/puppeteer/puppeteer-core.js + 123 modules
var puppeteer_core = __webpack_require__(70959);
;// CONCATENATED MODULE: ./src/previews/browser-process.ts
// The browser the previews are drawn in, as one process with a temporary folder of its own.
// Chromium writes its temporary files (shared memory, its singleton's socket) under TMPDIR and
// removes them as it closes; one that has to be killed (a hung page, a cancelled job) cannot. So
// they go into a folder made for this browser (on a runner, under its temporary folder, which the
// runner empties), removed when the browser has ended, or when our process ends first. Its profile
// goes there too: Puppeteer's own, in the system's temporary folder, outlived a killed browser
// whose children still wrote to it.




/**
 * Chromium does not start with a TMPDIR longer than this (measured on Linux): its singleton's
 * socket goes below it, and a Unix socket's path is short. Under a deeper temporary folder the
 * browser keeps the system's.
 */
const LONGEST_BROWSER_TMPDIR = 62;
/** How long a browser may take to close before it is killed. */
const CLOSING_MS = 5000;
/** How long a killed browser may take to end before its folder is removed regardless. */
const KILLED_EXIT_MS = 5000;
const REMOVE_FOLDER = { recursive: true, force: true, maxRetries: 3, retryDelay: 100 };
/**
 * The variables a browser needs to start, find fonts and draw, on Linux, macOS and Windows. Nothing
 * else of the step's environment reaches it: not the inputs (INPUT_API-KEY, the token), not the
 * runner's own tokens. Its processes parse models from outside, and as root run unsandboxed.
 */
const BROWSER_VARIABLES = new Set([
    ...['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ'],
    ...['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'FONTCONFIG_PATH', 'FONTCONFIG_FILE'],
    ...['TMPDIR', 'TMP', 'TEMP'],
    ...['SYSTEMROOT', 'WINDIR', 'SYSTEMDRIVE', 'COMSPEC', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA'],
    ...['PROGRAMFILES', 'PROGRAMFILES(X86)', 'PROGRAMDATA']
]);
class BrowserProcess {
    browser;
    folder;
    /**
     * A step cancelled while the browser runs exits at once: the browser and its folder go then.
     * Nothing may throw here: the process's other exit listeners would not run.
     */
    onProcessExit = () => {
        try {
            this.browser.process()?.kill('SIGKILL');
            if (this.folder)
                (0,external_node_fs_.rmSync)(this.folder, REMOVE_FOLDER);
        }
        catch {
            // A file the dying browser still held stays, for the machine to clear with its temporary files.
        }
    };
    constructor(browser, folder) {
        this.browser = browser;
        this.folder = folder;
        process.once('exit', this.onProcessExit);
    }
    /**
     * Headless, software-rendered WebGL (SwiftShader) where there is no GPU, no network of its own;
     * its temporary folder is made in `temporaryRoot`.
     */
    static async launch(executablePath, temporaryRoot) {
        const folder = await browserFolder(temporaryRoot);
        try {
            return new BrowserProcess(await launchBrowser(executablePath, folder), folder);
        }
        catch (error) {
            if (folder)
                await removeFolder(folder);
            throw error;
        }
    }
    get processId() {
        return this.browser.process()?.pid;
    }
    /** Closed, or killed when it does not close within 5 s; then its temporary folder goes. */
    async close() {
        const closed = this.browser.close().then(() => true, () => false);
        const timer = new Promise(resolve => setTimeout(() => resolve(false), CLOSING_MS).unref());
        if (!(await Promise.race([closed, timer])))
            await killed(this.browser.process());
        process.off('exit', this.onProcessExit);
        if (this.folder)
            await removeFolder(this.folder);
    }
}
/**
 * Never a failure of its own: a file a dying browser's child still holds stays, for the machine to
 * clear with its temporary files, and the step goes on.
 */
function removeFolder(folder) {
    return (0,promises_.rm)(folder, REMOVE_FOLDER).catch(() => undefined);
}
async function browserFolder(temporaryRoot) {
    const prefix = external_node_path_default().join(temporaryRoot, 'browser-');
    // mkdtemp adds six characters.
    if (Buffer.byteLength(prefix) + 6 > LONGEST_BROWSER_TMPDIR)
        return undefined;
    return (0,promises_.mkdtemp)(prefix);
}
function launchBrowser(executablePath, folder) {
    const runsAsRoot = process.getuid?.() === 0;
    return (0,puppeteer_core/* launch */.qlU)({
        executablePath,
        headless: true,
        pipe: true,
        env: browserEnvironment(process.env, folder),
        ...(folder ? { userDataDir: external_node_path_default().join(folder, 'profile') } : {}),
        args: [
            '--use-angle=swiftshader',
            '--enable-unsafe-swiftshader',
            '--no-first-run',
            '--disable-extensions',
            '--disable-background-networking',
            '--disable-sync',
            '--disable-dev-shm-usage',
            // Chromium refuses its sandbox to root (containers); a runner's user keeps it.
            ...(runsAsRoot ? ['--no-sandbox'] : [])
        ]
    });
}
/** The allowed variables (names compared without case, as Windows does), and the browser's folder. */
function browserEnvironment(environment, folder) {
    const allowed = {};
    for (const [name, value] of Object.entries(environment)) {
        const upper = name.toUpperCase();
        if (value !== undefined && (BROWSER_VARIABLES.has(upper) || upper.startsWith('LC_'))) {
            allowed[name] = value;
        }
    }
    // TMPDIR on Linux and macOS, TMP and TEMP on Windows.
    return folder ? { ...allowed, TMPDIR: folder, TMP: folder, TEMP: folder } : allowed;
}
/** Killed, and ended: a folder removed before then could be written to again. */
async function killed(child) {
    if (!child || child.exitCode !== null || child.signalCode !== null)
        return;
    const ended = new Promise(resolve => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    const timer = new Promise(resolve => setTimeout(resolve, KILLED_EXIT_MS).unref());
    await Promise.race([ended, timer]);
}

// EXTERNAL MODULE: ./node_modules/image-size/dist/esm/index.js + 25 modules
var esm = __webpack_require__(72013);
// EXTERNAL MODULE: ./src/engine/models/gltf-stats.ts + 1 modules
var gltf_stats = __webpack_require__(21609);
;// CONCATENATED MODULE: ./src/previews/model-limits.ts
// What a model may ask the browser for before it is drawn: the page decodes whatever the file
// declares, in memory no limit of ours bounds (the GPU process's, the decoders'), so a file of a
// few kilobytes could make it take gigabytes. The declarations are read from the JSON and the
// images' headers, and a model that asks for more than a picture needs is not drawn.



/** Values the reader fills with zeros, or that meshopt's streams decode into, together. */
const MAX_DECLARED_VALUES = 32 * 1024 * 1024;
/** One texture's pixels, and a model's together: decoded, 4 bytes each. */
const MAX_IMAGE_PIXELS = 8192 * 8192;
const MAX_MODEL_PIXELS = 4 * MAX_IMAGE_PIXELS;
/** The JSON of a GLB or glTF read here; the pull's own checks hold larger ones to 32 MiB. */
const MAX_JSON_BYTES = 128 * 1024 * 1024;
/** Refuses, with a PreviewError that says what, a model that asks for more than it may. */
function checkDrawable(bytes) {
    const { json, binary } = declared(bytes);
    checkSelfContained(json);
    const values = zeroFilledValues(json) + meshoptValues(json);
    if (values > MAX_DECLARED_VALUES) {
        throw new errors/* PreviewError */.bU(`it declares ${values.toLocaleString('en-US')} values without data in the file, more than the ${MAX_DECLARED_VALUES.toLocaleString('en-US')} a preview decodes`);
    }
    const pixels = imagePixels(json, binary);
    if (pixels > MAX_MODEL_PIXELS) {
        throw new errors/* PreviewError */.bU(`its textures declare ${pixels.toLocaleString('en-US')} pixels, more than the ${MAX_MODEL_PIXELS.toLocaleString('en-US')} a preview decodes`);
    }
}
/** Textures the page cannot show: it would draw the model without them, and the picture lie. */
const UNDRAWN_TEXTURES = {
    KHR_texture_basisu: 'KTX2'
};
/**
 * A picture without the textures is not the model: one that names files beside it (which the page
 * never loads) or uses textures the page cannot decode is not drawn, and says why.
 */
function checkSelfContained(json) {
    const external = [...list(json.buffers), ...list(json.images)].find(item => typeof item.uri === 'string' && !item.uri.startsWith('data:'));
    if (external) {
        throw new errors/* PreviewError */.bU('it names files beside it (buffers or textures), which a preview does not load: drawn without them, it would not be the model');
    }
    const used = Array.isArray(json.extensionsUsed) ? json.extensionsUsed : [];
    const undrawn = used.find((name) => typeof name === 'string' && name in UNDRAWN_TEXTURES);
    if (undrawn) {
        throw new errors/* PreviewError */.bU(`its ${UNDRAWN_TEXTURES[undrawn]} textures (${undrawn}) are not decoded by the preview: drawn without them, it would not be the model`);
    }
}
function declared(bytes) {
    const isGlb = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'glTF';
    const { text, binary } = isGlb ? glbChunks(bytes) : { text: bytes, binary: undefined };
    if (text.length > MAX_JSON_BYTES)
        throw new errors/* PreviewError */.bU('its JSON is larger than a preview reads');
    let json;
    try {
        json = JSON.parse(text.toString('utf8'));
    }
    catch {
        throw new errors/* PreviewError */.bU('its JSON cannot be read');
    }
    if (typeof json !== 'object' || json === null)
        throw new errors/* PreviewError */.bU('its JSON is not a glTF');
    return { json: json, binary };
}
const JSON_CHUNK = 0x4e4f534a;
const BINARY_CHUNK = 0x004e4942;
/**
 * A GLB's JSON and binary chunks, or a PreviewError: the loader takes the last chunk of each
 * kind, so a file of other chunks than one JSON and at most one binary chunk, or whose header
 * gives another length, could show it other declarations than the ones checked here.
 */
function glbChunks(bytes) {
    if (bytes.readUInt32LE(8) !== bytes.length) {
        throw new errors/* PreviewError */.bU('its GLB header gives another length than the file has');
    }
    const chunks = [];
    for (let at = 12; at < bytes.length;) {
        const start = at + 8;
        const end = start + (start <= bytes.length ? bytes.readUInt32LE(at) : 0);
        if (start > bytes.length || end > bytes.length) {
            throw new errors/* PreviewError */.bU('its GLB chunks run past the end of the file');
        }
        chunks.push({ type: bytes.readUInt32LE(at + 4), data: bytes.subarray(start, end) });
        at = end;
    }
    const [json, binary, ...more] = chunks;
    if (json?.type !== JSON_CHUNK || (binary && binary.type !== BINARY_CHUNK) || more.length > 0) {
        throw new errors/* PreviewError */.bU('its GLB holds other chunks than one JSON and one binary chunk');
    }
    return { text: json.data, ...(binary ? { binary: binary.data } : {}) };
}
function list(value) {
    const items = Array.isArray(value) ? value : [];
    return items.filter((item) => typeof item === 'object' && item !== null);
}
function count(value) {
    if (!Number.isSafeInteger(value) || value < 0) {
        throw new errors/* PreviewError */.bU('an accessor or buffer view declares no valid count');
    }
    return value;
}
/** Accessors without a buffer view, which the loader fills with zeros or Draco decodes into. */
function zeroFilledValues(json) {
    return list(json.accessors)
        .filter(accessor => accessor.bufferView === undefined)
        .reduce((sum, accessor) => sum + count(accessor.count) * (gltf_stats/* TYPE_COMPONENTS */.Ee[String(accessor.type)] ?? 16), 0);
}
/** What EXT_meshopt_compression's buffer views decode into, in 4-byte values. */
function meshoptValues(json) {
    return list(json.bufferViews).reduce((sum, view) => {
        const meshopt = view.extensions?.EXT_meshopt_compression;
        if (!meshopt)
            return sum;
        return sum + (count(meshopt.count) * count(meshopt.byteStride)) / 4;
    }, 0);
}
/**
 * The pixels the model's embedded images declare, read from their headers, wherever the bytes are:
 * a data URI, or a buffer view of the GLB's binary chunk or of a buffer in a data URI. An image
 * whose size cannot be read is not drawn: the browser would decode it all the same.
 */
function imagePixels(json, binary) {
    const buffers = new BufferBytes(json, binary);
    return list(json.images).reduce((sum, image, index) => {
        const bytes = imageBytes(image, json.bufferViews, buffers);
        if (!bytes)
            return sum;
        let size;
        try {
            size = (0,esm/* imageSize */.R9)(bytes);
        }
        catch {
            throw new errors/* PreviewError */.bU(`the size of image ${index} cannot be read from its header`);
        }
        const pixels = (size.width ?? 0) * (size.height ?? 0);
        if (pixels > MAX_IMAGE_PIXELS) {
            throw new errors/* PreviewError */.bU(`a texture declares ${size.width} × ${size.height} pixels, more than a preview decodes`);
        }
        return sum + pixels;
    }, 0);
}
/**
 * An image's bytes where the loader takes them: its buffer view's first, else its data URI's;
 * none for an image that has neither.
 */
function imageBytes(image, views, buffers) {
    if (image.bufferView === undefined) {
        return typeof image.uri === 'string' ? dataUriBytes(image.uri) : undefined;
    }
    const view = entry(views, image.bufferView);
    if (!view)
        throw new errors/* PreviewError */.bU('an image names a buffer view that is not there');
    // The loader would decode the stream, and the header read here would not be the image's.
    if (view.extensions?.EXT_meshopt_compression !== undefined) {
        throw new errors/* PreviewError */.bU('an image lies in a meshopt-compressed buffer view');
    }
    const bytes = buffers.of(view.buffer);
    const start = view.byteOffset === undefined ? 0 : count(view.byteOffset);
    return bytes.subarray(start, start + count(view.byteLength));
}
/** The bytes of each buffer: the GLB's binary chunk, or its data URI's, decoded once. */
class BufferBytes {
    json;
    binary;
    decoded = new Map();
    constructor(json, binary) {
        this.json = json;
        this.binary = binary;
    }
    of(index) {
        const buffer = entry(this.json.buffers, index);
        if (!buffer)
            throw new errors/* PreviewError */.bU('a buffer view names a buffer that is not there');
        if (typeof buffer.uri !== 'string')
            return this.binary ?? Buffer.alloc(0);
        const known = this.decoded.get(index);
        if (known)
            return known;
        const bytes = dataUriBytes(buffer.uri);
        this.decoded.set(index, bytes);
        return bytes;
    }
}
/**
 * checkSelfContained has refused any URI but a data URI. Only base64 is read, strictly, as glTF
 * embeds buffers and images: the browser's decoding of any other would not be ours. The
 * optimiser's thread reads data URIs by the same rule, in a copy of its own, as it imports only
 * packages.
 */
function dataUriBytes(uri) {
    const comma = uri.indexOf(',');
    const data = uri.slice(comma + 1);
    const isBase64 = comma > 0 && /; *base64$/i.test(uri.slice(0, comma));
    if (!isBase64 || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
        throw new errors/* PreviewError */.bU('a data URI in it is not base64, as glTF embeds buffers and images');
    }
    return Buffer.from(data, 'base64');
}
/** The object a JSON index names in a list, as the loader finds it: by position, none past the end. */
function entry(items, index) {
    if (!Array.isArray(items) || !Number.isInteger(index) || index < 0)
        return undefined;
    const item = items[index];
    return typeof item === 'object' && item !== null ? item : undefined;
}

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(98995);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./src/previews/viewer-files.ts
// The files of the preview page, by the path the page asks for them at: the page and its script,
// three.js and the loaders and decoders it uses. Nothing else is served. Bundled, they are copied
// into dist/previews/viewer/ by the build; run from src/, they are read from node_modules.




/** URL path → the file in three's package folder (or in viewer/ beside this module, for our own). */
const VIEWER_FILES = {
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
    '/addons/libs/draco/gltf/draco_wasm_wrapper.js': 'examples/jsm/libs/draco/gltf/draco_wasm_wrapper.js'
};
const CONTENT_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.wasm': 'application/wasm'
};
function contentTypeOf(file) {
    return CONTENT_TYPES[external_node_path_default().extname(file)] ?? 'application/octet-stream';
}
/**
 * Where a viewer file is on disk: in dist/previews/viewer/ beside the bundle, by its URL path;
 * from src/, beside this module (our own) or in node_modules (three's).
 */
function viewerFilePath(urlPath) {
    const source = VIEWER_FILES[urlPath];
    if (source === undefined)
        return undefined;
    const here = external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url));
    // dist/index.js and dist/cli/index.js alike find dist/previews/viewer/.
    const bundled = [here, external_node_path_default().dirname(here)]
        .map(folder => external_node_path_default().join(folder, 'previews', 'viewer', ...bundledName(urlPath)))
        .find(file => (0,external_node_fs_.existsSync)(file));
    if (bundled)
        return bundled;
    if (source.startsWith('viewer/'))
        return external_node_path_default().join(here, source);
    return external_node_path_default().join(threeFolder(), source);
}
/** three's package folder: its `exports` name no file of build/ or examples/ by path. */
function threeFolder() {
    const main = (0,external_node_module_.createRequire)(import.meta.url).resolve('three');
    return external_node_path_default().dirname(external_node_path_default().dirname(main));
}
/** The name a URL path's file has in dist/previews/viewer/. */
function bundledName(urlPath) {
    return urlPath === '/' ? ['index.html'] : urlPath.slice(1).split('/');
}

;// CONCATENATED MODULE: ./src/previews/renderer.ts
// Pictures of models, drawn by the machine's own Chromium (driven by puppeteer-core) from a page that
// a loopback server serves: three.js, its loaders and decoders, and one model at a time. The page
// may load nothing else: every other request is refused, so a model's URIs never leave the machine
// and never read a file. Each model has a time limit; the browser is closed on every way out, and
// killed when it does not close (docs/decisions/0017).








/** The picture's side, in pixels. */
const PREVIEW_SIZE = 512;
/** A picture with fewer drawn pixels than this share shows nothing a reviewer could judge. */
const MIN_DRAWN_SHARE = 0.001;
/** Starts the browser and its page server; the caller closes it, on every path. */
async function startRenderer(options) {
    const server = await ViewerServer.start();
    try {
        return new PreviewRenderer(await launchInTime(options), server, options);
    }
    catch (error) {
        await server.close();
        throw error;
    }
}
/** The browser, within its start-up time; one that starts later is closed when it does. */
async function launchInTime(options) {
    const launching = BrowserProcess.launch(options.executablePath, options.temporaryRoot);
    try {
        return await withTimeout(launching, options.startTimeoutMs, () => new errors/* PreviewError */.bU(`the browser did not start within ${(0,quantities/* formatDuration */.a3)(options.startTimeoutMs)}`));
    }
    catch (error) {
        void launching.then(late => late.close()).catch(() => undefined);
        throw error;
    }
}
/**
 * One page draws every model in turn: three.js, its light and its compiled shaders are made once,
 * and the page lets go of each model before the next. A model that fails may have hung the page's
 * renderer or lost its WebGL context: the browser is replaced, and the next model has a new page.
 */
class PreviewRenderer {
    browserProcess;
    server;
    options;
    page;
    constructor(browserProcess, server, options) {
        this.browserProcess = browserProcess;
        this.server = server;
        this.options = options;
    }
    /** The model's picture, checked; a PreviewError says why there is none. */
    async render(model) {
        checkDrawable(model);
        const modelPath = this.server.offer(model);
        const page = (this.page ??= openViewer(this.browserProcess.browser, this.server.origin));
        try {
            const answer = await withTimeout(page.then(draw => draw(`${this.server.origin}${modelPath}`)), this.options.modelTimeoutMs, () => new errors/* PreviewError */.bU(`drawing it took longer than ${(0,quantities/* formatDuration */.a3)(this.options.modelTimeoutMs)}`, { timedOut: true }));
            return checkedPicture(answer);
        }
        catch (error) {
            // The page may be hung, its WebGL context lost, or the browser gone: a model that failed
            // must not fail those after it, so the next is drawn in a new browser.
            await this.replaceBrowser(error);
            throw error instanceof errors/* PreviewError */.bU
                ? error
                : new errors/* PreviewError */.bU(`the browser failed while drawing it: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
        finally {
            this.server.withdraw(modelPath);
        }
    }
    async close() {
        try {
            await this.browserProcess.close();
        }
        finally {
            await this.server.close();
        }
    }
    /** The browser's process, which must not outlive close(). */
    get browserProcessId() {
        return this.browserProcess.processId;
    }
    async replaceBrowser(cause) {
        this.page = undefined;
        await this.browserProcess.close();
        try {
            this.browserProcess = await launchInTime(this.options);
        }
        catch (error) {
            throw new errors/* PreviewError */.bU(`${(0,errors/* errorMessage */.gJ)(cause)}; then the browser could not be started again: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
}
/** The viewer, loaded; it may ask for nothing but the server's files. */
async function openViewer(browser, origin) {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', error => pageErrors.push(error instanceof Error ? error.message : String(error)));
    await page.setRequestInterception(true);
    page.on('request', request => allowOnlyViewer(request, origin));
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => globalThis.viewerReady === true);
    const draw = async (modelUrl) => {
        pageErrors.length = 0;
        try {
            return await page.evaluate((url, size) => globalThis.renderModel(url, size), modelUrl, PREVIEW_SIZE);
        }
        catch (error) {
            const reason = pageErrors[0] ?? (error instanceof Error ? error.message : String(error));
            throw new errors/* PreviewError */.bU(`the viewer could not load it: ${reason}`);
        }
    };
    return draw;
}
function allowOnlyViewer(request, origin) {
    const url = request.url();
    const local = url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
    void (local ? request.continue() : request.abort('blockedbyclient'));
}
/** A picture is shown only when something was drawn, in more than one colour, without an error. */
function checkedPicture(answer) {
    if (answer.errors.length > 0) {
        throw new errors/* PreviewError */.bU(`WebGL reported an error: ${answer.errors[0]}`);
    }
    if (answer.drawn < PREVIEW_SIZE * PREVIEW_SIZE * MIN_DRAWN_SHARE) {
        throw new errors/* PreviewError */.bU('the picture is blank: the model drew no pixels');
    }
    if (answer.colours <= 1)
        throw new errors/* PreviewError */.bU('the picture is a single colour');
    const prefix = 'data:image/png;base64,';
    if (!answer.png.startsWith(prefix))
        throw new errors/* PreviewError */.bU('the page gave no PNG');
    return { png: Buffer.from(answer.png.slice(prefix.length), 'base64'), drawn: answer.drawn };
}
async function withTimeout(work, ms, error) {
    let timer;
    const expired = new Promise((_, reject) => {
        timer = setTimeout(() => reject(error()), ms);
    });
    try {
        return await Promise.race([work, expired]);
    }
    finally {
        clearTimeout(timer);
    }
}
/**
 * The page's server, on loopback: the viewer's files by their fixed paths, and each model under
 * a path of its own while it is drawn. Anything else is 404.
 */
class ViewerServer {
    server;
    origin;
    models;
    constructor(server, origin, models) {
        this.server = server;
        this.origin = origin;
        this.models = models;
    }
    static async start() {
        const models = new Map();
        const server = external_node_http_default().createServer((request, response) => serve(request, response, models));
        await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address();
        return new ViewerServer(server, `http://127.0.0.1:${port}`, models);
    }
    /** The path the page fetches the model at. */
    offer(model) {
        const modelPath = `/model/${(0,external_node_crypto_.randomUUID)()}`;
        this.models.set(modelPath, model);
        return modelPath;
    }
    withdraw(modelPath) {
        this.models.delete(modelPath);
    }
    close() {
        this.server.closeAllConnections();
        return new Promise(resolve => this.server.close(() => resolve()));
    }
}
function serve(request, response, models) {
    const urlPath = new URL(request.url ?? '/', 'http://viewer').pathname;
    const model = models.get(urlPath);
    if (request.method === 'GET' && model) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(model);
        return;
    }
    const file = request.method === 'GET' ? viewerFileOrNone(urlPath) : undefined;
    if (!file) {
        response.writeHead(404).end();
        return;
    }
    response.writeHead(200, { 'content-type': contentTypeOf(file) });
    (0,external_node_fs_.createReadStream)(file).pipe(response);
}
/** A file the page may have, or none: a path that cannot be resolved is not served. */
function viewerFileOrNone(urlPath) {
    try {
        return viewerFilePath(urlPath);
    }
    catch {
        return undefined;
    }
}


/***/ })

};
