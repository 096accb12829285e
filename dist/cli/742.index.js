export const id = 742;
export const ids = [742];
export const modules = {

/***/ 3742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: VERSION

// EXTERNAL MODULE: ./node_modules/commander/esm.mjs
var esm = __webpack_require__(8179);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/escape.ts
var src_escape = __webpack_require__(2988);
;// CONCATENATED MODULE: ./src/cli/exit-codes.ts
// What the program's exit status means, for scripts. docs/cli.md's table says the same.
const EXIT = {
    done: 0,
    /**
     * An asset failed, or echo3D could not be reached or refused the credentials; or prune did not
     * run, a tag having selected no entry.
     */
    failed: 1,
    /** A bad verb, flag, environment variable or configuration file: nothing was done. */
    usage: 2,
    /** `check` found files missing or stale. */
    stale: 3
    // A signal ends the program with 128 + its number (130 for Ctrl+C): see run-context.ts.
};

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/formats.ts
// The formats echo3D stores or converts to, and what the action knows about each.
const CONVERTIBLE_FORMATS = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl'];
const KNOWN_FORMATS = [...CONVERTIBLE_FORMATS, 'original'];
function isAssetFormat(value) {
    return CONVERTIBLE_FORMATS.includes(value);
}
function parseRequestedFormat(value) {
    const lower = value.trim().toLowerCase();
    if (lower === 'original' || isAssetFormat(lower))
        return lower;
    return undefined;
}
/** The extension of a file name, lower-cased and without the dot ('' when there is none). */
function extensionOf(fileName) {
    const base = fileName.split(/[\\/]/).pop() ?? '';
    const dot = base.lastIndexOf('.');
    return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
const COMPANION_KINDS = {
    mtl: 'mtl',
    png: 'png',
    jpg: 'jpeg',
    jpeg: 'jpeg',
    webp: 'webp',
    ktx2: 'ktx2'
};
/** The kind a file name's extension names, if the action knows how to check it. */
function kindOfFileName(fileName) {
    const extension = extensionOf(fileName);
    return isAssetFormat(extension) ? extension : COMPANION_KINDS[extension];
}
/** The asset format a file name's extension names, if it names one. */
function formatOfFileName(fileName) {
    const extension = extensionOf(fileName);
    return isAssetFormat(extension) ? extension : undefined;
}

// EXTERNAL MODULE: ./src/quantities.ts
var quantities = __webpack_require__(5602);
;// CONCATENATED MODULE: ./src/engine/budgets.ts
// Performance budgets for models, as web teams keep bundle-size budgets: each selected model is
// held to the limits set for its format, or to the global ones. Pure.

function isModelFormat(format) {
    return CONVERTIBLE_FORMATS.includes(format);
}
/** Each limit a model breaks, once per limit, in the order of the files. */
function findBudgetBreaches(files, budgets) {
    if (budgets.length === 0)
        return [];
    const breaches = [];
    for (const file of files) {
        for (const budget of budgetsFor(file.format, budgets)) {
            const actual = measure(file, budget.limit);
            if (actual !== undefined && actual > budget.max) {
                breaches.push({
                    path: file.path,
                    format: file.format,
                    limit: budget.limit,
                    max: budget.max,
                    actual
                });
            }
        }
    }
    return breaches;
}
/** The format's own limits, and the global ones it does not set itself. */
function budgetsFor(format, budgets) {
    const own = budgets.filter(budget => budget.format === format);
    const ownLimits = new Set(own.map(budget => budget.limit));
    const global = budgets.filter(budget => budget.format === undefined && !ownLimits.has(budget.limit));
    return [...own, ...global];
}
function measure(file, limit) {
    const model = file.model;
    if (limit === 'file-size')
        return model || isModelFormat(file.format) ? file.bytes : undefined;
    if (!model)
        return undefined;
    switch (limit) {
        case 'triangles':
            return model.triangles;
        case 'vertices':
            return model.vertices;
        case 'textures':
            return model.textures;
        case 'texture-size':
            return model.largestTexture ? Math.max(...model.largestTexture) : undefined;
        case 'texture-bytes':
            return model.textureBytes;
        case 'bounding-box':
            return model.size ? Math.max(...model.size) : undefined;
    }
}

;// CONCATENATED MODULE: ./src/engine/concurrency.ts
// A bounded number of tasks at once, without a queue library: transfers, conversions and hashes
// use it; validations are bounded by the bytes they hold.
/** Runs `worker` over `items` with at most `limit` at once; results keep the items' order. */
async function mapWithConcurrency(items, limit, worker) {
    const results = new Array(items.length);
    let next = 0;
    async function lane() {
        while (next < items.length) {
            const index = next++;
            results[index] = await worker(items[index]);
        }
    }
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
    return results;
}
/**
 * A bound that can be lowered while tasks run: echo3D answers too many conversions at once with
 * 429, and the run then asks for fewer for the rest of its time. Each task learns the generation
 * of the bound it started under: a burst of refusals of requests sent under one bound lowers it
 * once, not once per refusal.
 */
class AdjustableLimit {
    initial;
    limit;
    running = 0;
    generation = 0;
    waiting = [];
    constructor(initial, limit = initial) {
        this.initial = initial;
        this.limit = limit;
    }
    get current() {
        return this.limit;
    }
    /** Halves the bound, down to one, if it is still the one the refused task started under. */
    lower(startedUnder) {
        if (startedUnder !== this.generation || this.limit === 1)
            return false;
        this.limit = Math.max(1, Math.floor(this.limit / 2));
        this.generation++;
        return true;
    }
    async run(task) {
        while (this.running >= this.limit) {
            await new Promise(resolve => this.waiting.push(resolve));
        }
        this.running++;
        try {
            return await task(this.generation);
        }
        finally {
            this.running--;
            this.waiting.shift()?.();
        }
    }
}
/**
 * A bound on the bytes that tasks hold at once, rather than on their number. Tasks are admitted in
 * the order they came while their bytes fit; one larger than the whole capacity runs alone.
 */
class BytesInFlight {
    capacity;
    used = 0;
    waiting = [];
    constructor(capacity) {
        this.capacity = capacity;
    }
    async run(bytes, task) {
        if (this.waiting.length > 0 || !this.fits(bytes)) {
            await new Promise(admit => this.waiting.push({ bytes, admit }));
        }
        else {
            this.used += bytes;
        }
        try {
            return await task();
        }
        finally {
            this.used -= bytes;
            this.admitWaiting();
        }
    }
    fits(bytes) {
        return this.used === 0 || this.used + bytes <= this.capacity;
    }
    admitWaiting() {
        for (let next = this.waiting[0]; next && this.fits(next.bytes); next = this.waiting[0]) {
            this.waiting.shift();
            this.used += next.bytes;
            next.admit();
        }
    }
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./src/engine/transfer/proxy.ts
// A company's runner reaches the internet through its proxy. echo3D traffic honours the same
// settings as @actions/http-client (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case, the lower-case
// name first), and, like it, never sends a loopback host through the proxy.
const NO_PROXY = { httpProxy: '', httpsProxy: '', noProxy: '' };
function proxySettingsFrom(env) {
    return {
        httpProxy: env.http_proxy || env.HTTP_PROXY || '',
        httpsProxy: env.https_proxy || env.HTTPS_PROXY || '',
        noProxy: env.no_proxy || env.NO_PROXY || ''
    };
}
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
/** The user names and passwords that proxy URLs carry: credentials like any other. */
function proxyCredentials(proxy) {
    return [proxy.httpProxy, proxy.httpsProxy].flatMap(proxyUrl => {
        if (!URL.canParse(proxyUrl))
            return [];
        const { username, password } = new URL(proxyUrl);
        return [username, password].filter(Boolean).flatMap(part => [part, decodedOrSame(part)]);
    });
}
/** A proxy password with a stray `%` is not percent-encoded: it stands as it is. */
function decodedOrSame(part) {
    try {
        return decodeURIComponent(part);
    }
    catch {
        return part;
    }
}

;// CONCATENATED MODULE: ./src/engine/transfer/http.ts
// Every request to echo3D goes through here: one keep-alive connection pool for the whole run, the
// redirect rules for requests that carry credentials (docs/decisions/0004), and timeouts set per
// request, since undici's 300 s defaults would cut a conversion the user allowed 20 minutes for.




const MAX_REDIRECTIONS = 5;
/** How much of an error body is read, and how much of it a message quotes. */
const ERROR_BODY_READ_BYTES = 2048;
/** How much of a redirect's body is read before the connection is dropped instead. */
const DISCARDED_BODY_BYTES = 64 * 1024;
const ERROR_EXCERPT_CHARACTERS = 300;
/**
 * The run's keep-alive connections, through the proxy where one is set. Redirects are followed by
 * the rules in `send`, not by undici.
 */
class Connections {
    direct;
    proxied;
    constructor(concurrency, proxy) {
        const options = {
            connections: concurrency,
            keepAliveTimeout: 30_000,
            headersTimeout: 0,
            bodyTimeout: 0
        };
        this.direct = new undici/* Agent */.g6(options);
        this.proxied = new undici/* EnvHttpProxyAgent */.J2({ ...options, ...proxy });
    }
    dispatcherFor(url) {
        return isLoopbackHost(url.hostname) ? this.direct : this.proxied;
    }
    async close() {
        await Promise.all([this.direct.close(), this.proxied.close()]);
    }
}
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * Sends the request, following redirects, and returns a successful response; any other status
 * becomes an HttpStatusError. A POST's form holds the credentials, which must never reach another
 * host: a redirected POST is followed as a GET (301, 302, 303), or re-sent only to its own origin
 * (307, 308). No redirect leads from https to plain http.
 */
async function send(connections, httpRequest, options, chain = { current: httpRequest }) {
    let current = httpRequest;
    for (let hops = 0;; hops++) {
        chain.current = current;
        const response = await dispatch(connections.dispatcherFor(current.url), current, options);
        const location = headerValue(response.headers.location);
        if (!REDIRECT_STATUSES.has(response.statusCode) || !location) {
            return succeeded(response, options.redactor);
        }
        await discard(response.body);
        if (hops === MAX_REDIRECTIONS) {
            throw new errors/* ProtocolError */.bd(`the ${httpRequest.description} was redirected more than ${MAX_REDIRECTIONS} times`);
        }
        current = redirected(current, response.statusCode, location);
    }
}
/** The request a redirect asks for, or a ProtocolError when following it would be unsafe. */
function redirected(from, status, location) {
    // URL.parse, not new URL: the error of a Location that cannot be read would carry the URL it
    // was read against, credentials and all.
    const target = URL.parse(location, from.url.href);
    if (!target) {
        throw new errors/* ProtocolError */.bd(`echo3D redirected the ${from.description} to a location that is not a URL; the redirect was not followed. Report this to echo3D support`);
    }
    if (from.url.protocol === 'https:' && target.protocol !== 'https:') {
        throw new errors/* ProtocolError */.bd(`echo3D redirected the ${from.description} from https to ${target.protocol.replace(':', '')}, which anyone on the way could read or change; the redirect was not followed. Report this to echo3D support`);
    }
    const keepsMethod = status === 307 || status === 308;
    if (from.method === 'GET' || !keepsMethod) {
        return { method: 'GET', url: target, description: from.description };
    }
    if (target.origin !== from.url.origin) {
        throw new errors/* ProtocolError */.bd(`echo3D redirected the ${from.description} to ${target.origin} with HTTP ${status}, which would send the credentials there too; the request was not re-sent. Report this to echo3D support`);
    }
    return { ...from, url: target };
}
/** One request, with the limits of its asset; redirects are `send`'s to follow. */
async function dispatch(dispatcher, httpRequest, limits) {
    try {
        const { statusCode, headers, body } = await (0,undici/* request */.Em)(httpRequest.url, {
            dispatcher,
            method: httpRequest.method,
            headers: {
                'user-agent': 'echo3d-assets-action',
                ...(httpRequest.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {})
            },
            body: httpRequest.form ? new URLSearchParams(httpRequest.form).toString() : undefined,
            headersTimeout: limits.headersTimeoutMs,
            bodyTimeout: limits.stallTimeoutMs,
            signal: limits.signal
        });
        return { statusCode, headers, body };
    }
    catch (error) {
        throw describeTimeout(error, limits);
    }
}
async function succeeded(response, redactor) {
    if (response.statusCode >= 200 && response.statusCode < 300)
        return response;
    const excerpt = await quotedBody(response, redactor);
    throw new errors/* HttpStatusError */.F9(response.statusCode, excerpt, headerValue(response.headers['retry-after']));
}
/**
 * A whole body in memory, for answers that are small by nature (metadata): one that grows past
 * `maxBytes` is refused, so that an endless answer cannot fill memory.
 */
async function readWholeBody(body, maxBytes, description) {
    const chunks = [];
    let length = 0;
    for await (const chunk of body) {
        length += chunk.length;
        if (length > maxBytes) {
            throw new errors/* TooLargeError */.qB(`the answer to the ${description} is larger than ${(0,quantities/* formatBytes */.z3)(maxBytes)}, more than echo3D sends for it; check \`api-url\` and any proxy in between`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** Reads a body that nobody needs, when it is short; a longer one costs its connection instead. */
async function discard(body) {
    await body.dump({ limit: DISCARDED_BODY_BYTES }).catch(() => undefined);
}
/** undici's timeout errors say nothing a user can act on; these say which limit ran out. */
function describeTimeout(error, limits) {
    const code = error?.code;
    if (code === 'UND_ERR_BODY_TIMEOUT') {
        return new errors/* TimeoutError */.MU(`the download stalled: no data for ${seconds(limits.stallTimeoutMs)}`, true);
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT') {
        return new errors/* TimeoutError */.MU(`echo3D did not answer within ${seconds(limits.headersTimeoutMs)}`, true);
    }
    return error;
}
function headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}
function seconds(milliseconds) {
    return `${Math.round(milliseconds / 100) / 10} s`;
}
/** Statuses whose bodies are never quoted: an answer to refused credentials may echo them. */
const UNQUOTED_STATUSES = new Set([401, 403, 407]);
async function quotedBody(response, redactor) {
    if (UNQUOTED_STATUSES.has(response.statusCode)) {
        await discard(response.body);
        return '';
    }
    return redactor.excerpt(await readStart(response.body), ERROR_EXCERPT_CHARACTERS);
}
/** The start of an error body: enough to quote, never more. */
async function readStart(body) {
    const chunks = [];
    let length = 0;
    try {
        for await (const chunk of body) {
            chunks.push(chunk);
            length += chunk.length;
            if (length >= ERROR_BODY_READ_BYTES)
                break;
        }
    }
    catch {
        // An error body that breaks off still tells the status; the excerpt is a courtesy.
    }
    return Buffer.concat(chunks).toString('utf8', 0, ERROR_BODY_READ_BYTES);
}

;// CONCATENATED MODULE: ./src/engine/transfer/retry.ts
// Which failures are worth another try, how long to wait before it, and the loop that tries.


/** Statuses that say "try again later"; 400, 401, 403 and 404 are final. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);
/** Network faults worth another try: resets, refused connections, bodies cut short. */
const RETRYABLE_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
    'HPE_INVALID_CHUNK_SIZE',
    'ERR_STREAM_PREMATURE_CLOSE'
]);
function decideRetry(error, now = Date.now()) {
    if (error instanceof errors/* HttpStatusError */.F9) {
        if (!RETRYABLE_STATUSES.has(error.status) && error.status < 500)
            return { retry: false };
        return { retry: true, serverDelayMs: parseRetryAfter(error.retryAfterHeader, now) };
    }
    if (error instanceof errors/* TimeoutError */.MU)
        return { retry: error.retryable };
    if (error instanceof errors/* VerificationError */.mk)
        return { retry: true };
    return { retry: errorCode(error, RETRYABLE_CODES) !== '' };
}
/** The first of `codes` that the error or its causes carry; '' for none. */
function errorCode(error, codes) {
    let current = error;
    for (let depth = 0; depth < 4 && typeof current === 'object' && current; depth++) {
        const { code } = current;
        if (typeof code === 'string' && codes.has(code))
            return code;
        current = current.cause;
    }
    return '';
}
/** Retry-After is either seconds or an HTTP date. */
function parseRetryAfter(header, now = Date.now()) {
    if (!header)
        return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/**
 * A download fails at echo3D's API or at its storage host, and each has retries of its own. A
 * server that sends each try to a new place would have unbounded tries: places beyond these two
 * share one count.
 */
const PLACES_WITH_OWN_RETRIES = 2;
const ANY_OTHER_PLACE = '\0elsewhere';
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
/** Exponential backoff with jitter: half the step fixed, half random, so that retries spread out. */
function backoffDelay(attempt, random = Math.random()) {
    const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.round(step / 2 + (step / 2) * random);
}
/** Runs `attempt` until it succeeds, fails for good, runs out of retries or of time. */
async function withRetries(attempt, options) {
    const { clock } = options;
    const failures = new Map();
    for (;;) {
        const remaining = options.deadline - clock.now();
        if (remaining <= 0)
            throw timeoutExceeded(options.timeoutMs);
        const signal = AbortSignal.timeout(remaining);
        try {
            return await attempt(signal);
        }
        catch (error) {
            // The timer may fire a moment before the clock reaches the deadline: both mean time is up.
            if (signal.aborted || clock.now() >= options.deadline)
                throw timeUp(error, options.timeoutMs);
            const place = countedPlace(failures, options.placeOfFailure?.() ?? '');
            const tries = failures.get(place) ?? 0;
            failures.set(place, tries + 1);
            const decision = decideRetry(error, clock.now());
            if (!decision.retry || tries >= options.retries)
                throw error;
            // The server's wish when it gave one, else backoff.
            const delay = decision.serverDelayMs ?? backoffDelay(tries);
            if (clock.now() + delay >= options.deadline)
                throw error;
            options.onRetry(tries + 1, delay, error);
            await clock.sleep(delay);
        }
    }
}
function countedPlace(failures, place) {
    const ownCounts = [...failures.keys()].filter(known => known !== ANY_OTHER_PLACE);
    if (failures.has(place) || ownCounts.length < PLACES_WITH_OWN_RETRIES)
        return place;
    return ANY_OTHER_PLACE;
}
/** A step that ran out of the asset's time and said what it was doing keeps its words. */
function timeUp(error, timeoutMs) {
    return error instanceof errors/* TimeoutError */.MU && !error.retryable ? error : timeoutExceeded(timeoutMs);
}
function timeoutExceeded(timeoutMs) {
    return new errors/* TimeoutError */.MU(`gave up after the \`timeout\` of ${(0,quantities/* formatDuration */.a3)(timeoutMs)}. Raise \`timeout\` for large models or slow conversions`, false);
}

;// CONCATENATED MODULE: ./src/engine/echo3d/metadata.ts
// What the action reads of echo3D's `/query` answer (docs/echo3d-api.md). The answer is untrusted:
// every field is checked for its type, and entries that are not files are skipped.


function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function stringField(object, key) {
    const value = object[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
}
/** Parses the `/query` envelope. Entries whose hologram is not a file are skipped. */
function parseQueryResponse(body) {
    if (!isObject(body) || !isObject(body.db)) {
        throw new errors/* ProtocolError */.bd('echo3D answered the metadata query without the expected `db` object; check `api-url`');
    }
    const entries = [];
    for (const [key, value] of Object.entries(body.db)) {
        if (!isObject(value))
            continue;
        const entry = parseEntry(key, value);
        if (entry)
            entries.push(entry);
    }
    return entries;
}
function parseEntry(key, raw) {
    const hologram = isObject(raw.hologram) ? raw.hologram : {};
    const additional = isObject(raw.additionalData) ? raw.additionalData : {};
    const storageId = stringField(hologram, 'storageID');
    if (!storageId)
        return undefined;
    const id = stringField(raw, 'id') ?? key;
    const original = { storageId, fileName: stringField(hologram, 'filename') ?? id };
    const originalFormat = formatOfFileName(original.fileName);
    const derived = {};
    for (const format of CONVERTIBLE_FORMATS) {
        const derivedId = stringField(additional, `${format}HologramStorageID`);
        if (derivedId) {
            derived[format] = {
                storageId: derivedId,
                fileName: stringField(additional, `${format}HologramStorageFilename`) ?? `${id}.${format}`
            };
        }
    }
    // A GLB upload may have no separate GLB: the original is the GLB.
    if (originalFormat && !derived[originalFormat])
        derived[originalFormat] = original;
    const fileSize = stringField(additional, 'fileSize') ?? '';
    const tags = (stringField(additional, 'tags') ?? '').split(',').map(tag => tag.trim());
    return {
        id,
        original,
        originalFormat,
        derived,
        companions: parseCompanions(hologram),
        uploadBytes: /^\d+$/.test(fileSize) ? Number(fileSize) : undefined,
        tags: tags.filter(Boolean)
    };
}
function parseCompanions(hologram) {
    const companions = [];
    const material = stringField(hologram, 'materialStorageID');
    if (material) {
        companions.push({
            storageId: material,
            fileName: stringField(hologram, 'materialFilename') ?? material
        });
    }
    const names = Array.isArray(hologram.textureFilenames) ? hologram.textureFilenames : [];
    const ids = Array.isArray(hologram.textureStorageIDs) ? hologram.textureStorageIDs : [];
    ids.forEach((textureId, index) => {
        if (typeof textureId !== 'string' || !textureId)
            return;
        const name = names[index];
        companions.push({
            storageId: textureId,
            fileName: typeof name === 'string' && name ? name : textureId
        });
    });
    return companions;
}
/** The collection as a listing shows it, sorted by name, then ID, so that it reads the same each time. */
function catalogEntries(entries) {
    return entries
        .map(entry => ({
        id: entry.id,
        name: entry.original.fileName,
        tags: entry.tags,
        formats: CONVERTIBLE_FORMATS.filter(format => entry.derived[format] !== undefined),
        uploadBytes: entry.uploadBytes
    }))
        .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

;// CONCATENATED MODULE: ./src/engine/echo3d/client.ts
// The requests the action makes of echo3D (docs/echo3d-api.md), and the metadata queries.
// Credentials go in form bodies wherever the API allows it.




class Echo3dClient {
    apiUrl;
    credentials;
    constructor(apiUrl, credentials) {
        this.apiUrl = apiUrl;
        this.credentials = credentials;
    }
    credentialFields() {
        return {
            key: this.credentials.apiKey,
            email: this.credentials.email,
            userKey: this.credentials.userKey,
            secKey: this.credentials.secretKey
        };
    }
    endpoint(pathname) {
        const url = new URL(this.apiUrl);
        url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`;
        return url;
    }
    queryRequest(selector, description) {
        return {
            method: 'POST',
            url: this.endpoint('/query'),
            form: { ...this.credentialFields(), ...selector },
            description
        };
    }
    /** The API documents only GET for file downloads, so these credentials ride in the URL: never log it. */
    fileRequest(storageId) {
        const url = this.endpoint('/query');
        for (const [name, value] of Object.entries({ ...this.credentialFields(), file: storageId })) {
            url.searchParams.set(name, value);
        }
        return { method: 'GET', url, description: `download of storage ID ${storageId}` };
    }
    conversionRequest(entryId, format) {
        return {
            method: 'POST',
            url: this.endpoint('/download'),
            form: { ...this.credentialFields(), entryId, fileFormat: format, convertMissing: 'true' },
            description: `${format} conversion of entry ${entryId}`
        };
    }
}
/** Entries per metadata query: few enough that a form body stays small. */
const QUERY_BATCH_SIZE = 100;
const METADATA_HEADERS_TIMEOUT_MS = 120_000;
const METADATA_STALL_TIMEOUT_MS = 60_000;
/** Far more than the metadata of a query's 100 entries, or of every entry of a large tag. */
const MAX_METADATA_BYTES = 32 * 1024 * 1024;
/** Resolves entry IDs to metadata with one query per batch. */
async function queryEntries(session, ports, ids) {
    const found = [];
    for (let start = 0; start < ids.length; start += QUERY_BATCH_SIZE) {
        const batch = ids.slice(start, start + QUERY_BATCH_SIZE);
        const request = session.client.queryRequest({ entries: batch.join(',') }, `metadata query for ${batch.length} entries`);
        found.push(...(await runQuery(session, ports, request)));
    }
    return found;
}
/** Every entry that has any of the tags. */
async function queryTags(session, ports, tags) {
    const request = session.client.queryRequest({ tags: tags.join(',') }, `metadata query for tags ${tags.join(', ')}`);
    return runQuery(session, ports, request);
}
/** Every entry of the collection, or those with any of the tags. */
async function queryCollection(session, ports, tags) {
    if (tags.length > 0)
        return queryTags(session, ports, tags);
    const request = session.client.queryRequest({}, 'metadata query for the whole collection');
    return runQuery(session, ports, request);
}
async function runQuery(session, ports, request) {
    const { clock, redactor, emit } = ports;
    const { retries, timeoutMs } = session;
    const options = {
        clock,
        retries,
        timeoutMs,
        deadline: clock.now() + timeoutMs,
        onRetry: (attempt, delayMs, error) => emit({ kind: 'retrying', attempt, retries, delayMs, reason: (0,errors/* errorMessage */.gJ)(error) })
    };
    return withRetries(async (signal) => {
        const response = await send(session.connections, request, {
            headersTimeoutMs: METADATA_HEADERS_TIMEOUT_MS,
            stallTimeoutMs: METADATA_STALL_TIMEOUT_MS,
            signal,
            redactor
        });
        const body = await readWholeBody(response.body, MAX_METADATA_BYTES, request.description);
        return parseQueryResponse(parseJson(body));
    }, options);
}
function parseJson(body) {
    try {
        return JSON.parse(body.toString('utf8'));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/engine/echo3d/explain.ts


/** Network faults that say the API's address was never reached. */
const UNREACHED_CODES = new Set([
    'ENOTFOUND',
    'EAI_AGAIN',
    'ECONNREFUSED',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_CONNECT_TIMEOUT'
]);
/** What a failed request means for the user, and what to change. */
function explainFailure(error, request) {
    if (!(error instanceof errors/* HttpStatusError */.F9))
        return explainNetworkFault(error, request.kind);
    const status = `HTTP ${error.status}${error.bodyExcerpt ? ` '${error.bodyExcerpt}'` : ''}`;
    switch (error.status) {
        case 401:
            return `echo3D refused the credentials (${status}). Check the secrets passed as \`api-key\`, \`email\` and \`user-key\` (ECHO3D_API_KEY, ECHO3D_EMAIL and ECHO3D_USER_KEY for the command-line program): the key of the collection, the account's email and its authentication key`;
        case 403:
            return `echo3D refused access (${status}). The collection has secured API calls turned on: pass its secret key as \`secret-key\` (ECHO3D_SECRET_KEY for the command-line program; echo3D console, Security page), and check that the secret is current`;
        case 404:
            return request.kind === 'storage'
                ? `echo3D has no file under this storage ID (${status}). Check a storage ID given in \`files\` (--files); for an entry's file, the entry may have been re-uploaded or deleted: re-run to pick up its current files`
                : `echo3D found no such entry (${status}). Check the ID, and that \`api-key\` is the key of the collection that holds it`;
        case 400:
        case 422:
            return request.kind === 'convert'
                ? `echo3D rejected the conversion to ${request.format} (${status}). This upload cannot be converted to that format: ask for another format, or upload it in the format you need`
                : `echo3D rejected the request (${status})`;
        default:
            return `echo3D kept failing (${status}) after every retry. Raise \`retries\` (--retries), or re-run later`;
    }
}
function explainNetworkFault(error, kind) {
    const text = (0,errors/* errorMessage */.gJ)(error);
    if (kind !== 'query' || errorCode(error, UNREACHED_CODES) === '')
        return text;
    return `${text}: echo3D's API could not be reached. Check the network and any proxy (HTTPS_PROXY), and \`api-url\` (ECHO3D_API_URL for the command-line program) where it is set`;
}
/** A metadata query that failed after its retries, as the run reports it. */
function metadataQueryFailed(error) {
    return new errors/* ExplainedError */.hM(`The metadata query failed: ${explainFailure(error, { kind: 'query' })}`);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/engine/disk.ts
// What is on disk: the size and hash of a file the lockfile or the cache vouches for, read only
// from a regular file inside the workspace, and never for longer or further than the record
// allows, so that a hostile workspace cannot make a run read without end.



const READ_PIECE_BYTES = 1024 * 1024;
/**
 * The read buffers of finished readings, lent to the next: as many as readings ever ran at once.
 * A buffer of its own for each file made an unchanged run allocate outside V8's heap as much as it
 * read, which V8 answers with a collection of the whole heap, again and again (record 0012).
 */
const spareBuffers = [];
/**
 * The size and SHA-256 of a regular file inside the workspace; undefined when there is none. A file
 * longer than `maxBytes` reads as `maxBytes + 1` bytes. It is read in pieces, so memory stays flat
 * whatever the size; plain reads rather than a stream, which cost a run that checks thousands of
 * unchanged files more than the reading itself.
 */
async function hashFile(folders, filePath, limits) {
    const file = await folders.openFile(filePath);
    if (!file)
        return undefined;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const deadline = Date.now() + limits.timeoutMs;
    const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_PIECE_BYTES);
    let bytes = 0;
    try {
        while (bytes <= limits.maxBytes) {
            if (Date.now() > deadline)
                throw hashTimedOut(limits.timeoutMs);
            const wanted = Math.min(buffer.length, limits.maxBytes + 1 - bytes);
            const { bytesRead } = await file.read(buffer, 0, wanted, null);
            if (bytesRead === 0)
                break;
            const piece = buffer.subarray(0, bytesRead);
            hash.update(piece);
            limits.onChunk?.(piece);
            bytes += bytesRead;
        }
        const content = { bytes, sha256: hash.digest('hex') };
        await limits.whenRead?.(file, content);
        return content;
    }
    finally {
        spareBuffers.push(buffer);
        await file.close();
    }
}
function hashTimedOut(timeoutMs) {
    return new errors/* TimeoutError */.MU(`reading the file on disk took longer than the \`timeout\` of ${(0,quantities/* formatDuration */.a3)(timeoutMs)}`, false);
}

;// CONCATENATED MODULE: ./src/engine/kept-bytes.ts
// What a check keeps of the bytes it sees. A file on disk is read piece after piece into one
// buffer, which the next piece overwrites, and a hostile server can send a body a byte to a chunk:
// so the bytes are copied, into blocks, and memory is what is kept and at most one block more, not
// a buffer object for every piece.
const BLOCK_BYTES = 64 * 1024;
/** Copies of the first `limit` bytes of a stream of pieces. */
class KeptBytes {
    limit;
    /** Every block but the last is full; the last holds `filled` bytes. */
    blocks = [];
    filled = 0;
    keptBytes = 0;
    constructor(limit) {
        this.limit = limit;
    }
    /** How many bytes are kept. */
    get length() {
        return this.keptBytes;
    }
    /** Copies what the piece holds below the limit; the piece itself is not kept. */
    add(piece) {
        const end = Math.min(piece.length, this.limit - this.length);
        let from = 0;
        while (from < end) {
            const block = this.blockWithRoom();
            const copied = piece.copy(block, this.filled, from, end);
            this.filled += copied;
            this.keptBytes += copied;
            from += copied;
        }
    }
    /** The bytes kept, joined into one buffer the first time they are asked for. */
    bytes() {
        if (this.blocks.length !== 1 || this.filled !== this.blocks[0].length) {
            this.blocks = [Buffer.concat(this.blocks, this.length)];
            this.filled = this.length;
        }
        return this.blocks[0];
    }
    blockWithRoom() {
        const last = this.blocks.at(-1);
        if (last && this.filled < last.length)
            return last;
        const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, this.limit - this.length));
        this.blocks.push(block);
        this.filled = 0;
        return block;
    }
}

;// CONCATENATED MODULE: ./src/engine/models/container.ts
// Whether a model's container holds together, checked on the pieces of the file as they are read
// for its hash, so that a file the lockfile vouches for costs no second read. A signature and a
// length are easy to forge in front of anything; a container that parses is the format's own.
// GLB: its header's length is the file's, its chunks are 4-byte aligned, the JSON chunk comes first
// and is a glTF 2 asset, a BIN chunk is there exactly when buffer 0 lives in it, and the chunks
// fill the file exactly. glTF: its JSON is a glTF 2 asset. The same check runs on a download, so a
// file a pull accepts is one a later run finds unchanged. JSON larger than MAX_JSON_BYTES is not
// kept or parsed, as for its statistics: only a GLB's layout is checked then. USDZ's zip directory
// is read in usdz.ts.



/** A glTF JSON larger than this is not parsed: not for statistics, not for its structure. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const GLB_MAGIC = 0x46546c67;
const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;
const GLB_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
/** The check for a file of this kind; one that accepts anything for kinds without a JSON container. */
function containerCheck(kind) {
    if (kind === 'glb')
        return new GlbLayout();
    if (kind === 'gltf')
        return new GltfText();
    return { update: () => undefined, finish: () => undefined };
}
/** The GLB's header, then each chunk's header in turn; the JSON chunk's bytes are kept. */
class GlbLayout {
    seen = 0;
    declared = 0;
    problem;
    sawJson = false;
    /**
     * What `buffers[0]` says the BIN chunk holds, when the JSON puts that buffer in the GLB;
     * `unread` when the JSON was too large to parse.
     */
    binBufferBytes;
    sawBinChunk = false;
    wanted = wanted(0, GLB_HEADER_BYTES, header => this.onHeader(header));
    update(piece) {
        const start = this.seen;
        this.seen += piece.length;
        while (this.wanted && !this.problem) {
            const range = this.wanted;
            const from = range.at + range.filled;
            const count = Math.min(range.bytes.length - range.filled, this.seen - from);
            if (count < 0 || (count === 0 && range.filled < range.bytes.length))
                return;
            piece.copy(range.bytes, range.filled, from - start, from - start + count);
            range.filled += count;
            if (range.filled < range.bytes.length)
                return;
            this.wanted = range.then(range.bytes);
        }
    }
    finish() {
        const problem = this.problem ?? this.endProblem();
        if (problem)
            throw new errors/* ModelError */.me(`it is not a whole GLB: ${problem}`);
    }
    endProblem() {
        if (this.seen < GLB_HEADER_BYTES)
            return `it is ${this.seen} bytes, shorter than a GLB header`;
        if (this.seen !== this.declared) {
            return `its header declares ${this.declared} bytes, and it has ${this.seen}`;
        }
        if (this.wanted?.at !== this.seen || this.wanted.filled > 0) {
            return 'its last chunk runs past the end of the file';
        }
        if (!this.sawJson)
            return 'it has no JSON chunk';
        if (typeof this.binBufferBytes === 'number' && !this.sawBinChunk) {
            return 'its JSON puts buffer 0 in a BIN chunk that it does not have';
        }
        return undefined;
    }
    fail(problem) {
        this.problem = problem;
        return undefined;
    }
    onHeader(header) {
        if (header.readUInt32LE(0) !== GLB_MAGIC)
            return this.fail('it has no GLB header');
        if (header.readUInt32LE(4) !== 2)
            return this.fail('it is not a version 2 GLB');
        this.declared = header.readUInt32LE(8);
        return this.chunkAt(GLB_HEADER_BYTES);
    }
    chunkAt(at) {
        if (at === this.declared)
            return wanted(at, CHUNK_HEADER_BYTES, () => this.pastEnd());
        return wanted(at, CHUNK_HEADER_BYTES, header => this.onChunk(at, header));
    }
    pastEnd() {
        return this.fail(`it runs past the ${this.declared} bytes its header declares`);
    }
    onChunk(at, header) {
        const length = header.readUInt32LE(0);
        const body = at + CHUNK_HEADER_BYTES;
        const isFirst = at === GLB_HEADER_BYTES;
        if (length % 4 !== 0)
            return this.fail(`the chunk at byte ${at} is not 4-byte aligned`);
        if (body + length > this.declared) {
            return this.fail(`the chunk at byte ${at} runs past the ${this.declared} bytes declared`);
        }
        if (isFirst !== (header.readUInt32LE(4) === JSON_CHUNK)) {
            return this.fail('its first chunk, and only its first, must be its JSON chunk');
        }
        if (!isFirst)
            return this.binProblem(header, length) ?? this.chunkAt(body + length);
        if (length > MAX_JSON_BYTES)
            return this.onUnreadJson(body + length);
        return wanted(body, length, json => this.onJson(json, body + length));
    }
    onJson(json, next) {
        const parsed = parseGltfJson(json);
        if (typeof parsed === 'string')
            return this.fail(`its JSON chunk ${parsed}`);
        this.sawJson = true;
        this.binBufferBytes = glbBufferBytes(parsed);
        return this.chunkAt(next);
    }
    onUnreadJson(next) {
        this.sawJson = true;
        this.binBufferBytes = 'unread';
        return this.chunkAt(next);
    }
    /**
     * The BIN chunk, which follows the JSON chunk, holds buffer 0. More padding than the 3 bytes
     * the specification allows is a warning to the glTF Validator, so it is not refused here.
     */
    binProblem(header, length) {
        if (header.readUInt32LE(4) !== BIN_CHUNK || this.sawBinChunk)
            return undefined;
        this.sawBinChunk = true;
        const declared = this.binBufferBytes;
        if (declared === 'unread')
            return undefined;
        if (declared === undefined)
            return this.fail('it has a BIN chunk that no buffer of its JSON uses');
        if (length < declared) {
            return this.fail(`its BIN chunk is ${length} bytes, and buffer 0 declares ${declared}`);
        }
        return undefined;
    }
}
/** A `.gltf` is JSON through and through: its bytes are kept until it can be parsed. */
class GltfText {
    kept = new KeptBytes(MAX_JSON_BYTES);
    length = 0;
    update(piece) {
        this.length += piece.length;
        if (this.length <= MAX_JSON_BYTES)
            this.kept?.add(piece);
        else
            this.kept = undefined;
    }
    finish() {
        if (!this.kept)
            return;
        const problem = parseGltfJson(this.kept.bytes());
        if (typeof problem === 'string')
            throw new errors/* ModelError */.me(`it is not a glTF JSON: ${problem}`);
    }
}
function wanted(at, length, then) {
    return { at, bytes: Buffer.alloc(length), filled: 0, then };
}
/** The glTF JSON as an object, or what is wrong with it: a glTF 2 asset says so in `asset.version`. */
function parseGltfJson(bytes) {
    let value;
    try {
        value = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return `is not valid JSON (${(0,quantities/* formatBytes */.z3)(bytes.length)})`;
    }
    if (!container_isObject(value))
        return 'is JSON, but not an object';
    const version = container_isObject(value.asset) ? value.asset.version : undefined;
    if (typeof version !== 'string' || !/^2\.\d+$/.test(version)) {
        return 'is JSON, but not of a glTF 2 asset (no `asset.version` of 2.x)';
    }
    return value;
}
function container_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The bytes of buffer 0 when it has no URI, which puts it in the GLB's BIN chunk. */
function glbBufferBytes(json) {
    const first = Array.isArray(json.buffers) ? json.buffers[0] : undefined;
    if (!container_isObject(first) || first.uri !== undefined)
        return undefined;
    return typeof first.byteLength === 'number' ? first.byteLength : 0;
}

;// CONCATENATED MODULE: ./src/engine/models/deadline.ts
// How long reading a model may take: what is left of its asset's `timeout`, on the run's clock. A
// hostile file decides how long the readers' loops run (nodes, images, zip entries), so each loop
// checks the deadline, and the asynchronous ones let the event loop turn now and then: a reader
// whose reads come from memory never would, and then neither the deadline's timer nor a cancelled
// job's signal, which removes the partial files, could run until it ended.


/** How long a reader works on before it lets the event loop turn. */
const TURN_EVERY_MS = 20;
class Deadline {
    at;
    timeoutMs;
    now;
    turnedAt = performance.now();
    /** `at` is on the `now` clock; `timeoutMs` is the input the message names. */
    constructor(at, timeoutMs, now = Date.now) {
        this.at = at;
        this.timeoutMs = timeoutMs;
        this.now = now;
    }
    /** A deadline `timeoutMs` from now. */
    static after(timeoutMs, now = Date.now) {
        return new Deadline(now() + timeoutMs, timeoutMs, now);
    }
    /** What is left of the time, in milliseconds; zero once it is up. */
    remainingMs() {
        return Math.max(0, this.at - this.now());
    }
    /** Throws a TimeoutError, never retried, once the time is up. */
    check() {
        if (this.now() <= this.at)
            return;
        throw new errors/* TimeoutError */.MU(`reading what the model holds took it past its \`timeout\` of ${(0,quantities/* formatDuration */.a3)(this.timeoutMs)}. Raise \`timeout\` if the model really is that large`, false);
    }
    /** Checks, and lets the event loop turn when the reader has held it for a while. */
    async pause() {
        this.check();
        if (performance.now() - this.turnedAt < TURN_EVERY_MS)
            return;
        await new Promise(resolve => setImmediate(resolve));
        this.turnedAt = performance.now();
        this.check();
    }
}

// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
// EXTERNAL MODULE: ./src/engine/models/gltf-stats.ts + 1 modules
var gltf_stats = __webpack_require__(1609);
;// CONCATENATED MODULE: ./src/engine/models/usdz.ts
// A USDZ is a zip archive (stored, 64-byte aligned) of USD layers and their textures. What a
// reviewer needs from it, without unpacking it: how many files it packs, and its textures. The
// archive is read through yauzl, from the file already opened inside the workspace. Its directory
// is the file's to choose, so every entry counts against a limit and the deadline.



/** More entries, folders included, than any model packs; a longer directory is not a model. */
const MAX_ENTRIES = 100_000;
const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|ktx2)$/i;
async function usdzStats(file, reading) {
    let packedFiles = 0;
    const images = [];
    await eachEntry(file, reading.deadline, async (entry, archive) => {
        if (entry.fileName.endsWith('/'))
            return;
        packedFiles++;
        if (!IMAGE_EXTENSIONS.test(entry.fileName))
            return;
        if (images.length === gltf_stats/* MAX_IMAGES */.mC) {
            throw new errors/* ModelError */.me(`it packs more than the ${gltf_stats/* MAX_IMAGES */.mC} images a model holds`);
        }
        const head = await readHead(archive, entry, reading.headBytes);
        images.push(reading.readImage(images.length, head, entry.uncompressedSize));
    });
    return { packedFiles, textures: images.length, ...(0,gltf_stats/* textureFacts */.Dc)(images) };
}
/** Throws a ModelError unless the zip's directory reads to its end, within the limits. */
function readZipDirectory(file, deadline) {
    return eachEntry(file, deadline, () => Promise.resolve());
}
/** Every entry of the zip's directory in turn, each counted against the limit and the deadline. */
async function eachEntry(file, deadline, visit) {
    // The descriptor is the caller's to close: yauzl's own close() would close it under it.
    const archive = await openArchive(file);
    let entries = 0;
    for (let entry = await nextEntry(archive); entry; entry = await nextEntry(archive)) {
        await deadline.pause();
        if (++entries > MAX_ENTRIES) {
            throw new errors/* ModelError */.me(`its zip directory lists more than ${MAX_ENTRIES} entries`);
        }
        await visit(entry, archive);
    }
}
function openArchive(file) {
    return new Promise((resolve, reject) => {
        (0,yauzl/* fromFd */.hD)(file.fd, { autoClose: false, lazyEntries: true, strictFileNames: false }, (error, archive) => {
            if (error)
                reject(unreadable(error));
            else
                resolve(archive);
        });
    });
}
function nextEntry(archive) {
    return new Promise((resolve, reject) => {
        const onEntry = (entry) => {
            archive.removeListener('end', onEnd);
            archive.removeListener('error', onError);
            resolve(entry);
        };
        const onEnd = () => {
            archive.removeListener('entry', onEntry);
            archive.removeListener('error', onError);
            resolve(undefined);
        };
        const onError = (error) => reject(unreadable(error));
        archive.once('entry', onEntry);
        archive.once('end', onEnd);
        archive.once('error', onError);
        archive.readEntry();
    });
}
/** The first bytes of a packed file, and no more. */
async function readHead(archive, entry, headBytes) {
    const stream = await new Promise((resolve, reject) => {
        archive.openReadStream(entry, (error, opened) => error ? reject(unreadable(error)) : resolve(opened));
    });
    const chunks = [];
    let length = 0;
    try {
        for await (const chunk of stream) {
            chunks.push(chunk);
            length += chunk.length;
            if (length >= headBytes)
                break;
        }
    }
    catch (error) {
        throw unreadable(error);
    }
    finally {
        stream.destroy();
    }
    return Buffer.concat(chunks).subarray(0, headBytes);
}
function unreadable(error) {
    return new errors/* ModelError */.me(`it is not a readable USDZ (zip) archive: ${(0,errors/* errorMessage */.gJ)(error)}`);
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/engine/models/byte-source.ts
// A model's bytes as its readers ask for them: ranges of the file on disk or of bytes in memory, or
// the whole file in a buffer of its own, for the validator's thread.
async function fileSource(file) {
    const { size } = await file.stat();
    return {
        size,
        async read(offset, length) {
            // Only the bytes read are handed on, so the buffer need not be zeroed first.
            const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
            const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
            return buffer.subarray(0, bytesRead);
        },
        async whole() {
            const owned = new Uint8Array(size);
            for (let offset = 0; offset < size;) {
                const { bytesRead } = await file.read(owned, offset, size - offset, offset);
                if (bytesRead === 0)
                    throw new Error('the file grew shorter while it was read');
                offset += bytesRead;
            }
            return owned;
        }
    };
}
/** Bytes already in memory: ranges are views of them, not copies. */
function memorySource(bytes) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
        size: buffer.length,
        read: (offset, length) => Promise.resolve(buffer.subarray(offset, offset + length)),
        whole: () => Promise.resolve(new Uint8Array(buffer))
    };
}

// EXTERNAL MODULE: ./node_modules/image-size/dist/esm/index.js + 25 modules
var dist_esm = __webpack_require__(2013);
;// CONCATENATED MODULE: ./src/model.ts
// The run's data, defined once. The engine produces it; the lockfile, the outputs, the job summary,
// check mode, prune and delivery consume it, or views of it made with Pick. Types only: no code.
/** How a texture format is named in the statistics, by the writer and the lockfile's reader alike. */
const TEXTURE_FORMAT_NAME = /^[a-z0-9]{1,8}$/;
/** What a budget can limit, per model. */
const BUDGET_LIMITS = [
    'file-size',
    'triangles',
    'vertices',
    'textures',
    'texture-size',
    'texture-bytes',
    'bounding-box'
];
/** `previews`: none, pictures where they can be made, or a failed step where one cannot. */
const PREVIEW_MODES = ['false', 'true', 'required'];
/** The values of each optimisation setting: the input's parser and the lockfile's reader agree. */
const OPTIMIZE_GEOMETRY = ['meshopt', 'draco', 'quantize', 'none'];
const OPTIMIZE_TEXTURES = ['webp', 'avif', 'keep'];
const MAX_TEXTURE_SIZE = 16_384;
/** The format of a stale item that is a missing Unity `.meta`, not a selected file. */
const MISSING_META_FORMAT = 'meta';

;// CONCATENATED MODULE: ./src/engine/models/mesh-counts.ts
// Triangles and vertices of the mesh formats without a scene: STL (binary: its header says; ASCII:
// one `endfacet` per triangle) and OBJ (its `v` and `f` lines). Read in chunks, never whole, each
// chunk checked against the deadline.
const CHUNK_BYTES = 1024 * 1024;
/** An OBJ line longer than this is not a vertex or a face; only its start is looked at. */
const MAX_LINE_BYTES = 4096;
async function stlStats(source, deadline) {
    const header = await source.read(0, 84);
    const declared = header.length === 84 ? header.readUInt32LE(80) : -1;
    // A binary STL is exactly its header, a count, and 50 bytes per triangle.
    const triangles = 84 + declared * 50 === source.size ? declared : await countAsciiFacets(source, deadline);
    return { triangles, vertices: triangles * 3 };
}
async function countAsciiFacets(source, deadline) {
    const token = 'endfacet';
    let count = 0;
    let carry = '';
    for await (const chunk of chunks(source, deadline)) {
        const text = carry + chunk.toString('latin1');
        for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) {
            count++;
        }
        carry = text.slice(-(token.length - 1));
    }
    return count;
}
async function objStats(source, deadline) {
    const counts = { vertices: 0, triangles: 0 };
    let line = '';
    for await (const chunk of chunks(source, deadline)) {
        const lines = (line + chunk.toString('latin1')).split('\n');
        line = lines.pop() ?? '';
        if (line.length > MAX_LINE_BYTES)
            line = line.slice(0, MAX_LINE_BYTES);
        for (const text of lines)
            countObjLine(text, counts);
    }
    countObjLine(line, counts);
    return { triangles: counts.triangles, vertices: counts.vertices };
}
/** `v x y z` is a vertex; `f a b c …` a polygon of n corners, drawn as n − 2 triangles. */
function countObjLine(line, counts) {
    const start = line.trimStart();
    if (start.startsWith('v ') || start.startsWith('v\t'))
        counts.vertices++;
    else if (start.startsWith('f ') || start.startsWith('f\t')) {
        const corners = start.slice(2, MAX_LINE_BYTES).trim().split(/\s+/).length;
        counts.triangles += Math.max(0, corners - 2);
    }
}
async function* chunks(source, deadline) {
    for (let position = 0; position < source.size;) {
        await deadline.pause();
        const chunk = await source.read(position, CHUNK_BYTES);
        if (chunk.length === 0)
            return;
        position += chunk.length;
        yield chunk;
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./src/engine/models/validate.ts
// The Khronos glTF Validator over a GLB or glTF file, on a thread of its own (validator-worker.ts),
// started by the first file to check. It reads the whole file into memory, so files above
// MAX_VALIDATED_BYTES are not validated, and say so. Its errors fail the asset; its warnings are
// reported. The thread validates one file at a time; a file that takes it past its memory or its
// time fails alone: the thread is stopped, the files sent after it are validated again on a new one.







const MAX_VALIDATED_BYTES = 32 * 1024 * 1024;
/** The thread's heap: the validator needs a few times the largest file it reads, and no more. */
const THREAD_HEAP_MB = 1024;
/** Far longer than the validator takes over the largest file it reads (a few seconds). */
const VALIDATION_TIMEOUT_MS = 120_000;
/**
 * Files in flight to the thread, by their bytes: many small ones, so that the thread always has
 * the next one while the main thread is busy with transfers, or one large one alone.
 */
const IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** The time during which at least one file was being validated: overlapping files count once. */
class BusyClock {
    running = 0;
    since = 0;
    start() {
        if (this.running++ === 0)
            this.since = performance.now();
    }
    /** The time since the clock started, when the last running file ends; zero before that. */
    stop() {
        return --this.running === 0 ? performance.now() - this.since : 0;
    }
}
const inFlight = new BytesInFlight(IN_FLIGHT_BYTES);
const busy = new BusyClock();
let sharedThread;
/** Whether the validator reads a file of this size; a larger one is not validated, and says so. */
function isValidated(bytes) {
    return bytes <= MAX_VALIDATED_BYTES;
}
const NOT_VALIDATED = {
    warnings: [],
    skipped: `not validated: larger than the ${(0,quantities/* formatBytes */.z3)(MAX_VALIDATED_BYTES)} the glTF Validator reads`
};
/**
 * Validates a file's bytes, which move to the validator's thread: the caller reads them no more.
 * Should the thread be lost for another file's sake, `reread` gives them again.
 */
async function validateGltf(bytes, format, reread, tally) {
    const size = bytes.byteLength;
    try {
        return await validateOnThread(() => Promise.resolve(bytes), format, size, tally);
    }
    catch (error) {
        if (!(error instanceof ThreadLost))
            throw error;
        // Claiming all the bytes in flight, the file is validated alone: if it was the one, it fails now.
        return validateOnThread(reread, format, IN_FLIGHT_BYTES, tally);
    }
}
function validateOnThread(bytes, format, claimedBytes, tally) {
    return inFlight.run(claimedBytes, async () => {
        sharedThread ??= new ValidatorThread();
        busy.start();
        try {
            const reply = await sharedThread.validate(format, await bytes());
            if (tally)
                tally.validated++;
            return validationOf(reply);
        }
        finally {
            const busyMs = busy.stop();
            if (tally)
                tally.validationMs += busyMs;
        }
    });
}
/**
 * The thread stopped before it started this file, for another file's sake: this file is not to
 * blame, and is validated again.
 */
class ThreadLost extends Error {
    name = 'ThreadLost';
}
function validationOf(reply) {
    if (reply.kind === 'failed') {
        throw new errors/* ModelError */.me(`the Khronos glTF Validator could not read it: ${reply.message}`);
    }
    if (reply.errorCount > 0) {
        throw new errors/* ModelError */.me(`the Khronos glTF Validator found ${reply.errorCount} error${reply.errorCount === 1 ? '' : 's'}: ${reply.errors.join('; ')}`);
    }
    return { warnings: reply.warnings };
}
class ValidatorThread {
    limits;
    worker;
    nextId = 1;
    pending = new Map();
    /** The file the thread said it started, and the clock on it. */
    current;
    script = validatorScript();
    constructor(limits = {
        timeoutMs: VALIDATION_TIMEOUT_MS,
        heapMb: THREAD_HEAP_MB
    }) {
        this.limits = limits;
    }
    validate(format, bytes) {
        const id = this.nextId++;
        const worker = this.started();
        return new Promise((resolve, reject) => {
            worker.postMessage({ id, format, bytes }, [bytes.buffer]);
            this.pending.set(id, { resolve, reject });
            worker.ref();
        });
    }
    receive(worker, reply) {
        if (reply.kind === 'started') {
            // Each file's time counts from when the thread starts it, not while it waits behind others.
            const timer = setTimeout(() => this.stop(worker, tookTooLong(this.limits.timeoutMs)), this.limits.timeoutMs);
            this.current = { id: reply.id, timer };
            return;
        }
        const pending = this.pending.get(reply.id);
        if (!pending)
            return;
        this.pending.delete(reply.id);
        this.clearCurrent();
        if (this.pending.size === 0)
            worker.unref();
        pending.resolve(reply);
    }
    started() {
        if (this.worker)
            return this.worker;
        const worker = new external_node_worker_threads_.Worker(this.script, {
            resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb }
        });
        worker.on('message', (reply) => this.receive(worker, reply));
        worker.on('error', (error) => this.stopped(worker, threadFailed(error, this.limits.heapMb)));
        worker.on('exit', code => this.stopped(worker, new errors/* ModelError */.me(`the glTF Validator's thread stopped (code ${code})`)));
        // After the listeners: adding a 'message' listener holds the process open again.
        worker.unref();
        this.worker = worker;
        return worker;
    }
    stop(worker, error) {
        this.stopped(worker, error);
        worker.unref();
        void worker.terminate();
    }
    /**
     * The files sent to a thread that is gone fail: the one it had started with the error, the
     * others as lost, to be tried again alone. The next file starts a new thread.
     */
    stopped(worker, error) {
        if (this.worker !== worker)
            return;
        this.worker = undefined;
        const culprit = this.current?.id;
        this.clearCurrent();
        for (const [id, pending] of this.pending) {
            pending.reject(id === culprit ? error : new ThreadLost(error.message));
        }
        this.pending.clear();
    }
    clearCurrent() {
        if (this.current)
            clearTimeout(this.current.timer);
        this.current = undefined;
    }
}
function tookTooLong(timeoutMs) {
    return new errors/* ModelError */.me(`the Khronos glTF Validator did not finish checking it within ${(0,quantities/* formatDuration */.a3)(timeoutMs)}`);
}
function threadFailed(error, heapMb) {
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return new errors/* ModelError */.me(`the Khronos glTF Validator ran out of its ${heapMb} MB of memory checking it`);
    }
    return new errors/* ModelError */.me(`the Khronos glTF Validator failed: ${error.message}`);
}
/**
 * Where the thread's script is. ncc cannot bundle a worker into the file that starts it, so the
 * thread is bundled on its own beside the action's bundle (dist/validator-worker/index.js), and
 * the command-line program's bundle (dist/cli/index.js) finds it beside its own folder; in a bundle
 * `import.meta.url` is the bundle's own. Run from src/ (the tests, @github/local-action), the
 * thread is the TypeScript source beside this module, which Node 24 runs as it is.
 */
function validatorScript() {
    const folder = external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url));
    const bundled = [folder, external_node_path_default().dirname(folder)].map(base => external_node_path_default().join(base, 'validator-worker', 'index.js'));
    return bundled.find(file => (0,external_node_fs_.existsSync)(file)) ?? external_node_path_default().join(folder, 'validator-worker.ts');
}

;// CONCATENATED MODULE: ./src/engine/models/inspect.ts
// What a pulled 3D model holds, read before the file is put in place: glTF and GLB from their JSON
// and image headers (and checked by the Khronos glTF Validator), STL and OBJ by counting, USDZ from
// its zip directory. Each is read from the verified temporary file, in bounded pieces, so memory
// stays flat whatever the file's size, and within what is left of the asset's `timeout`. A file
// that is not what its format says fails its asset with a ModelError.










/** Enough of an image for any header, JPEG's markers before its size included. */
const IMAGE_HEAD_BYTES = 128 * 1024;
const MAX_IMAGE_SIDE = 65_536;
/**
 * The statistics of a model file, by the kind its bytes were checked as, and for glTF and GLB what
 * the validator found; nothing for other kinds. Read from the file in bounded pieces, until
 * `deadline`.
 */
async function inspectModel(folders, filePath, kind, deadline, tally) {
    if (!isModelKind(kind))
        return {};
    const file = await folders.openFile(filePath);
    if (!file)
        throw new errors/* ModelError */.me('the file vanished before it could be read');
    try {
        if (kind === 'usdz') {
            const usdz = () => usdzStats(file, { readImage: imageInfo, headBytes: IMAGE_HEAD_BYTES, deadline });
            return { model: await timed(usdz, tally) };
        }
        return await inspectSource(await fileSource(file), kind, deadline, tally);
    }
    finally {
        await file.close();
    }
}
function isModelKind(kind) {
    return kind === 'glb' || kind === 'gltf' || kind === 'stl' || kind === 'obj' || kind === 'usdz';
}
async function inspectSource(source, kind, deadline, tally) {
    if (kind !== 'glb' && kind !== 'gltf')
        return { model: await timed(() => modelStats(source, kind, deadline), tally) };
    if (!isValidated(source.size)) {
        const model = await timed(() => modelStats(source, kind, deadline), tally);
        return { model, validation: NOT_VALIDATED };
    }
    // The validator reads the whole file: it is read once, its statistics taken from those bytes.
    const bytes = await source.whole();
    const model = await timed(() => modelStats(memorySource(bytes), kind, deadline), tally);
    return { model, validation: await validateGltf(bytes, kind, () => source.whole(), tally) };
}
/** Counts a model whose statistics were read, and the time reading them took. */
async function timed(read, tally) {
    const startedAt = performance.now();
    const model = await read();
    if (tally && model) {
        tally.models++;
        tally.statisticsMs += performance.now() - startedAt;
    }
    return model;
}
function modelStats(source, kind, deadline) {
    if (kind === 'stl')
        return stlStats(source, deadline);
    if (kind === 'obj')
        return objStats(source, deadline);
    return kind === 'glb' ? glbStats(source, deadline) : gltfTextStats(source, deadline);
}
async function glbStats(source, deadline) {
    const { size } = source;
    const header = await source.read(0, 20);
    if (header.length < 20 || header.readUInt32LE(0) !== GLB_MAGIC) {
        throw new errors/* ModelError */.me('it has no GLB header');
    }
    if (header.readUInt32LE(4) !== 2)
        throw new errors/* ModelError */.me('it is not a version 2 GLB');
    const jsonBytes = header.readUInt32LE(12);
    if (header.readUInt32LE(16) !== JSON_CHUNK || 20 + jsonBytes > size) {
        throw new errors/* ModelError */.me('its first chunk is not a JSON chunk that fits in the file');
    }
    if (jsonBytes > MAX_JSON_BYTES)
        return undefined;
    const document = inspect_parseJson(await source.read(20, jsonBytes), 'its JSON chunk');
    const bin = await binChunk(source, 20 + jsonBytes);
    return (0,gltf_stats/* gltfStats */.Nx)(document, embeddedImages(source, document, bin), deadline);
}
/** Where the GLB's binary chunk lies in the file, if it has one. */
async function binChunk(source, offset) {
    const { size } = source;
    if (offset + 8 > size)
        return undefined;
    const header = await source.read(offset, 8);
    const bytes = header.readUInt32LE(0);
    if (header.readUInt32LE(4) !== BIN_CHUNK)
        return undefined;
    if (offset + 8 + bytes > size)
        throw new errors/* ModelError */.me('its binary chunk is longer than the file');
    return { start: offset + 8, bytes };
}
async function gltfTextStats(source, deadline) {
    if (source.size > MAX_JSON_BYTES)
        return undefined;
    const document = inspect_parseJson(await source.read(0, source.size), 'its JSON');
    return (0,gltf_stats/* gltfStats */.Nx)(document, embeddedImages(source, document), deadline);
}
/** Images in the GLB's binary chunk or in data URIs; others (external files) have no size. */
function embeddedImages(source, document, bin) {
    const root = (0,gltf_stats/* isObject */.Gv)(document) ? document : {};
    return async (index, image) => {
        if (typeof image.uri === 'string')
            return dataUriImage(index, image.uri);
        if (image.bufferView === undefined)
            return { bytes: 0 };
        const view = listItem(root.bufferViews, image.bufferView, `image ${index}'s buffer view`);
        const buffer = listItem(root.buffers, view.buffer, `image ${index}'s buffer`);
        const viewBytes = view.byteLength;
        const viewOffset = view.byteOffset ?? 0;
        if (!isCount(viewBytes) || !isCount(viewOffset)) {
            throw new errors/* ModelError */.me(`image ${index}'s buffer view has no valid length or offset`);
        }
        if (typeof buffer.uri === 'string' || !bin)
            return { bytes: viewBytes };
        if (viewOffset + viewBytes > bin.bytes) {
            throw new errors/* ModelError */.me(`image ${index} lies outside the GLB's binary chunk`);
        }
        const head = await source.read(bin.start + viewOffset, Math.min(viewBytes, IMAGE_HEAD_BYTES));
        return imageInfo(index, head, viewBytes);
    };
}
function dataUriImage(index, uri) {
    const match = /^data:[^,]*;base64,/.exec(uri);
    if (!match)
        return { bytes: 0 };
    const base64Length = uri.length - match[0].length;
    const bytes = Math.floor((base64Length * 3) / 4);
    const headChars = Math.ceil(IMAGE_HEAD_BYTES / 3) * 4;
    const head = Buffer.from(uri.slice(match[0].length, match[0].length + headChars), 'base64');
    return imageInfo(index, head, bytes);
}
function imageInfo(index, head, bytes) {
    let dimensions;
    try {
        dimensions = (0,dist_esm/* imageSize */.R9)(head);
    }
    catch {
        throw new errors/* ModelError */.me(`image ${index} has no PNG, JPEG, WebP or KTX2 header that can be read`);
    }
    const { width, height } = dimensions;
    if (!(width > 0 && height > 0 && width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE)) {
        throw new errors/* ModelError */.me(`image ${index}'s header claims ${width} × ${height} pixels`);
    }
    return { width, height, bytes, ...formatOf(dimensions.type) };
}
/** The format's usual name (the reader says `jpg` for JPEG), when it is a plain word. */
function formatOf(type) {
    const format = type === 'jpg' ? 'jpeg' : type;
    return format && TEXTURE_FORMAT_NAME.test(format) ? { format } : {};
}
function listItem(list, index, what) {
    const item = Array.isArray(list) && Number.isSafeInteger(index)
        ? list[index]
        : undefined;
    if (!(0,gltf_stats/* isObject */.Gv)(item))
        throw new errors/* ModelError */.me(`${what} does not exist`);
    return item;
}
function inspect_parseJson(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* ModelError */.me(`${what} is not valid JSON (${(0,quantities/* formatBytes */.z3)(bytes.length)})`);
    }
}
function isCount(value) {
    return Number.isSafeInteger(value) && value >= 0;
}

;// CONCATENATED MODULE: ./src/engine/naming.ts
// File names come from echo3D metadata, which is untrusted: any text, path-like strings included.
// Everything here turns such text into one safe path segment, or a path proven to stay inside.


/** The device names Windows reserves, with any extension: `CON.glb` opens the console. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])$/i;
const MAX_SEGMENT_BYTES = 200;
/** A longer "extension" is part of the name, and is cut with it. */
const MAX_KEPT_EXTENSION_BYTES = 16;
/**
 * One path segment that is safe on Linux, macOS and Windows: no folder part, no hidden or
 * control character, none of the characters Windows forbids, no leading dot (so no `..` and no
 * `.git`), no trailing dot or space, no device name, at most 200 bytes. Applying it twice changes
 * nothing, which is how the lockfile tells the names the action could have written.
 */
function sanitizeSegment(raw, fallback) {
    const lastPart = raw.split(/[\\/]/).pop() ?? '';
    const cleaned = withoutEdges((0,src_escape/* withoutHidden */.P)(lastPart.normalize('NFC')).replace(/[<>:"|?*]/g, '_'));
    const short = withoutEdges(shortened(cleaned));
    // After the cut: it may leave a device's name before the extension (`CON    .glb`).
    const safe = isWindowsDevice(short) ? withoutEdges(shortened(`_${short}`)) : short;
    return safe || fallback;
}
/** A name the action could have written itself: sanitising leaves it as it is. */
function isPlainName(name) {
    return sanitizeSegment(name, '') === name;
}
/**
 * Windows takes the part of a name before its first dot, with trailing spaces and dots dropped,
 * for the device: `nul .x.glb` and `LPT1 . .b.glb` open devices as `NUL.glb` does.
 */
function isWindowsDevice(segment) {
    const stem = segment.split('.')[0].replace(/[\s.]+$/, '');
    return WINDOWS_RESERVED.test(stem);
}
/** No space or dot at either end: none leads a name (`..`, `.git`), none ends one on Windows. */
function withoutEdges(name) {
    return name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
}
/** Cut to MAX_SEGMENT_BYTES of UTF-8, keeping the extension: a model keeps the type it names. */
function shortened(segment) {
    if (Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES)
        return segment;
    const dot = segment.lastIndexOf('.');
    const extension = dot > 0 ? segment.slice(dot) : '';
    const kept = Buffer.byteLength(extension) <= MAX_KEPT_EXTENSION_BYTES ? extension : '';
    const name = segment.slice(0, segment.length - kept.length);
    return truncateUtf8(name, MAX_SEGMENT_BYTES - Buffer.byteLength(kept)) + kept;
}
function truncateUtf8(text, maxBytes) {
    if (Buffer.byteLength(text) <= maxBytes)
        return text;
    let result = '';
    for (const character of text) {
        if (Buffer.byteLength(result + character) > maxBytes)
            break;
        result += character;
    }
    return result;
}
/** The name of an uploaded file without its extension, safe for use as a segment. */
function baseNameOf(fileName, fallback) {
    const safe = sanitizeSegment(fileName, fallback);
    const dot = safe.lastIndexOf('.');
    return dot > 0 ? safe.slice(0, dot) : safe;
}
/** Fills the `file-name` template; each value is sanitised into a single segment first. */
function renderFileName(template, values) {
    return template.replace(/\{(name|entry|format|ext)\}/g, (_match, key) => sanitizeSegment(values[key], '_'));
}
/**
 * Whether `target` is `root` or lies below it, both resolved: the one test of every path that
 * must stay inside the workspace or the destination.
 */
function isInside(root, target) {
    const relative = external_node_path_default().relative(root, target);
    if (external_node_path_default().isAbsolute(relative))
        return false;
    return relative !== '..' && !relative.startsWith(`..${(external_node_path_default()).sep}`);
}
/** Whether `target` lies inside `root` and is not `root` itself: a place for a file. */
function isBelow(root, target) {
    return external_node_path_default().resolve(target) !== external_node_path_default().resolve(root) && isInside(root, target);
}
/**
 * Joins a relative name onto the destination and proves the result stays inside it.
 * Returns the path relative to the destination, with `/` separators.
 */
function resolveInside(destination, relativeName) {
    const segments = relativeName.split(/[\\/]/).map(segment => sanitizeSegment(segment, '_'));
    const absolute = external_node_path_default().resolve(destination, ...segments);
    if (!isBelow(destination, absolute)) {
        throw new Error(`refusing to write outside the destination: ${relativeName}`);
    }
    return external_node_path_default().relative(destination, absolute).split((external_node_path_default()).sep).join('/');
}
/**
 * A path as macOS and Windows compare names: in one Unicode form and without case, each letter by
 * its simple case mapping, as their file systems fold it. There `Σ`, `σ` and `ς` are one letter,
 * and `ſ` is `s`, which lower case alone does not tell. Two paths with one key are one file there.
 */
function naming_sameFileKey(filePath) {
    let key = '';
    for (const character of filePath.normalize('NFC')) {
        const upper = character.toUpperCase();
        key += ([...upper].length === 1 ? upper : character).toLowerCase();
    }
    return key;
}
/** An absolute path as the workspace sees it: relative, with `/` separators. */
function workspaceRelative(workspace, absolute) {
    return external_node_path_default().relative(workspace, absolute).split((external_node_path_default()).sep).join('/');
}

;// CONCATENATED MODULE: ./src/engine/workspace.ts
// The workspace is a boundary on disk, not only in text. Paths from the workspace, the lockfile
// and echo3D are checked as text when they are read; here they are checked again on disk at the
// moment of use: every folder between the workspace and the file must be a real folder, never a
// symbolic link or a junction, and a file that is read or deleted must be a regular file. So a
// link that a pull request adds cannot lead a write, a hash or a deletion outside the workspace.





/** Opening a file does not follow a link in its last step, where the system can promise that. */
const NO_FOLLOW = external_node_fs_.constants.O_NOFOLLOW ?? 0;
/** Opening a pipe for reading does not wait for a writer: it is refused after the open instead. */
const NO_BLOCK = external_node_fs_.constants.O_NONBLOCK ?? 0;
/**
 * The folders of the workspace that one run has checked or made: thousands of files share a few
 * folders, and each is looked at on disk once.
 */
class WorkspaceFolders {
    workspace;
    checked = new Set();
    made = new Set();
    constructor(workspace) {
        this.workspace = workspace;
    }
    /**
     * Every folder from the workspace down to `folder` that exists is a real folder; the ones that
     * do not exist yet are below the last one that does.
     */
    async check(folder) {
        if (this.checked.has(folder))
            return;
        await checkEachFolder(this.workspace, folder);
        this.checked.add(folder);
    }
    /** Makes `folder` and the folders above it, as real folders inside the workspace. */
    async make(folder) {
        if (this.made.has(folder))
            return;
        await checkEachFolder(this.workspace, folder);
        await (0,promises_.mkdir)(folder, { recursive: true });
        // A link put in place of a folder while mkdir ran would be followed by the next write.
        await checkEachFolder(this.workspace, folder);
        this.made.add(folder);
        this.checked.add(folder);
    }
    /**
     * Opens a regular file inside the workspace for reading, through real folders only; undefined
     * when there is no file. A link, a folder, a device or a pipe in its place is refused.
     */
    async openFile(filePath) {
        await this.check(external_node_path_default().dirname(filePath));
        if (NO_FOLLOW === 0 && !(await isRegularFile(this.workspace, filePath)))
            return undefined;
        const file = await openNoFollow(this.workspace, filePath);
        if (!file)
            return undefined;
        if (!(await file.stat()).isFile()) {
            await file.close();
            throw notARegularFile(this.workspace, filePath);
        }
        return file;
    }
}
async function checkEachFolder(workspace, folder) {
    if (!isInside(workspace, folder)) {
        throw new errors/* WorkspaceBoundaryError */.Q2(`${folder} is outside the workspace`);
    }
    const blocker = await firstNotAFolder(workspace, folder);
    if (blocker?.link)
        throw linkRefused(workspace, blocker.path);
    if (blocker)
        throw notAFolder(workspace, blocker.path);
}
/**
 * The first of the paths from below `root` down to `folder` that exists and is not a real folder
 * (a link, a file): what a write there would follow or fail on. Undefined when there is none; the
 * folders that do not exist yet are below the last one that does.
 */
async function firstNotAFolder(root, folder) {
    let current = root;
    for (const segment of external_node_path_default().relative(root, folder).split((external_node_path_default()).sep).filter(Boolean)) {
        current = external_node_path_default().join(current, segment);
        const stats = await (0,promises_.lstat)(current).catch(() => undefined);
        if (!stats)
            return undefined;
        if (!stats.isDirectory())
            return { path: current, link: stats.isSymbolicLink() };
    }
    return undefined;
}
/** Where the system cannot refuse a link at open (Windows), it is looked at first. */
async function isRegularFile(workspace, filePath) {
    const stats = await (0,promises_.lstat)(filePath).catch(() => undefined);
    if (!stats)
        return false;
    if (stats.isSymbolicLink())
        throw linkRefused(workspace, filePath);
    if (!stats.isFile())
        throw notARegularFile(workspace, filePath);
    return true;
}
async function openNoFollow(workspace, filePath) {
    try {
        return await (0,promises_.open)(filePath, external_node_fs_.constants.O_RDONLY | NO_FOLLOW | NO_BLOCK);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            return undefined;
        // What O_NOFOLLOW answers for a link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
        if (code === 'ELOOP' || code === 'EMLINK')
            throw linkRefused(workspace, filePath);
        throw error;
    }
}
/** Errors with which Windows refuses a rename while an antivirus or indexer holds the file. */
const BUSY_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_DELAYS_MS = [50, 100, 200, 400, 800];
/**
 * Moves a finished file into place, replacing what is there. On Windows a file that a scanner
 * holds open cannot be replaced for a moment: the rename is tried again, a few times, briefly.
 */
async function replaceFile(from, to, move = promises_.rename) {
    for (let attempt = 0;; attempt++) {
        try {
            await move(from, to);
            return;
        }
        catch (error) {
            if (attempt >= RENAME_DELAYS_MS.length || !isBusy(error))
                throw error;
            await new Promise(resolve => setTimeout(resolve, RENAME_DELAYS_MS[attempt]));
        }
    }
}
function isBusy(error) {
    const code = error.code;
    return typeof code === 'string' && BUSY_CODES.has(code);
}
function linkRefused(workspace, link) {
    return new errors/* WorkspaceBoundaryError */.Q2(`'${workspaceRelative(workspace, link)}' is a symbolic link or junction, and the action never follows one: it could lead outside the workspace. Replace it with a real folder (or file), or point \`path\` at a folder that is not reached through a link`);
}
function notAFolder(workspace, target) {
    return new errors/* WorkspaceBoundaryError */.Q2(`'${workspaceRelative(workspace, target)}' is in the way of a folder the action needs: move or remove it`);
}
function notARegularFile(workspace, target) {
    return new errors/* WorkspaceBoundaryError */.Q2(`'${workspaceRelative(workspace, target)}' is not a regular file (a folder, a device or a pipe): the action reads and deletes only regular files. Move or remove it`);
}
/**
 * The text of a regular file inside the workspace, read no further than `maxBytes`; undefined
 * when there is no file. A larger file throws `tooLarge`'s error.
 */
async function readWorkspaceText(workspace, filePath, maxBytes, tooLarge) {
    const file = await new WorkspaceFolders(workspace).openFile(filePath);
    if (!file)
        return undefined;
    try {
        const { size } = await file.stat();
        if (size > maxBytes)
            throw tooLarge();
        const buffer = Buffer.alloc(size);
        const { bytesRead } = await file.read(buffer, 0, size, 0);
        return buffer.toString('utf8', 0, bytesRead);
    }
    finally {
        await file.close();
    }
}

;// CONCATENATED MODULE: ./src/engine/transfer/partials.ts
// Temporary files being written. Each one lives beside its destination under a name that says
// what it is, so that a cancelled job's leftovers can be recognised and removed, and a cancel
// signal removes the ones in flight before the process ends.





const PARTIAL_NAME = /^\.[0-9a-f]{12}\.echo3d-partial$/;
const partials_inFlight = new Set();
function newPartialPath(folder) {
    const partialPath = external_node_path_default().join(folder, `.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.echo3d-partial`);
    trackPartial(partialPath);
    return partialPath;
}
/** A temporary file named elsewhere (a cache's copy), removed like ours if the run is cancelled. */
function trackPartial(partialPath) {
    partials_inFlight.add(partialPath);
}
/** The partial file was renamed into place or removed. */
function settled(partialPath) {
    partials_inFlight.delete(partialPath);
}
/** For signal handlers, which cannot wait: removes every partial file still being written. */
function removePartialsNow() {
    for (const partialPath of partials_inFlight) {
        try {
            (0,external_node_fs_.unlinkSync)(partialPath);
        }
        catch {
            // Already renamed or removed.
        }
    }
    partials_inFlight.clear();
}
/**
 * Removes partial files that a cancelled or killed run left in these folders. A folder reached
 * through a link is left alone: the pull itself reports the link.
 */
async function removeStalePartials(workspace, folders) {
    let removed = 0;
    const checked = new WorkspaceFolders(workspace);
    for (const folder of new Set(folders)) {
        const real = await checked.check(folder).then(() => true, () => false);
        if (!real)
            continue;
        const names = await (0,promises_.readdir)(folder).catch(() => []);
        for (const name of names.filter(candidate => PARTIAL_NAME.test(candidate))) {
            await (0,promises_.unlink)(external_node_path_default().join(folder, name)).catch(() => undefined);
            removed++;
        }
    }
    return removed;
}

;// CONCATENATED MODULE: ./src/engine/optimize/optimizer.ts
// The optimiser's thread, seen from the main thread: one model at a time goes to it, with what is
// left of its asset's `timeout`; the thread's heap is capped. A model that takes the thread past
// either, or fails, fails alone: the thread is stopped, and the next model starts a new one
// (docs/decisions/0016).






/** The thread's heap. Geometry and pixels live in typed arrays outside it, bounded by the limits below. */
const optimizer_THREAD_HEAP_MB = 1024;
/**
 * The largest model the optimiser reads: glTF-Transform holds a model whole, with its decoded
 * textures. A larger GLB fails with a message that says so.
 */
const MAX_OPTIMIZED_BYTES = 512 * 1024 * 1024;
/** Each request waits for the one before it: the thread works on one model at a time. */
let queue = Promise.resolve();
let optimizer_sharedThread;
/** Whether the optimiser reads a model of this size. */
function isOptimizable(bytes) {
    return bytes <= MAX_OPTIMIZED_BYTES;
}
function tooLargeToOptimize(bytes) {
    return new errors/* ModelError */.me(`it is ${(0,quantities/* formatBytes */.z3)(bytes)}, more than the ${(0,quantities/* formatBytes */.z3)(MAX_OPTIMIZED_BYTES)} the optimiser reads. Set \`optimize: false\` to pull it as it is`);
}
/**
 * The model optimised on the thread, within what is left of `deadline`. `read` is called only
 * when the thread is free, so that models waiting their turn hold no bytes; what it gives moves
 * to the thread, and the caller reads it no more. A failure names the step that failed.
 */
function optimizeOnThread(read, model, deadline) {
    const run = queue.then(async () => {
        if (deadline.remainingMs() <= 0)
            throw waitedTooLong(deadline.timeoutMs);
        const bytes = await read();
        optimizer_sharedThread ??= new OptimizerThread();
        return optimizer_sharedThread.optimize(bytes, model, deadline);
    });
    queue = run.catch(() => undefined);
    return run;
}
class OptimizerThread {
    worker;
    nextId = 1;
    pending;
    script = optimizerScript();
    optimize(bytes, { kind, settings }, deadline) {
        const remainingMs = deadline.remainingMs();
        if (remainingMs <= 0)
            return Promise.reject(optimizer_tookTooLong(deadline.timeoutMs));
        const worker = this.started();
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => this.stop(worker, optimizer_tookTooLong(deadline.timeoutMs)), remainingMs);
            this.pending = { id, resolve, reject, timer };
            worker.ref();
            worker.postMessage({ id, bytes, kind, settings }, [bytes.buffer]);
        });
    }
    receive(worker, answer) {
        const pending = this.pending;
        if (pending?.id !== answer.id)
            return;
        if (answer.kind === 'optimized') {
            this.settle(worker);
            pending.resolve(answer.bytes);
            return;
        }
        // The codecs' WebAssembly memory only grows: what a failed model made them take goes with the thread.
        this.stop(worker, new errors/* ModelError */.me(`${answer.step}: ${answer.message}`));
    }
    settle(worker) {
        const pending = this.pending;
        if (pending)
            clearTimeout(pending.timer);
        this.pending = undefined;
        worker.unref();
        return pending;
    }
    started() {
        if (this.worker)
            return this.worker;
        const worker = new external_node_worker_threads_.Worker(this.script, {
            resourceLimits: { maxOldGenerationSizeMb: optimizer_THREAD_HEAP_MB }
        });
        worker.on('message', (answer) => this.receive(worker, answer));
        worker.on('error', (error) => this.stopped(worker, optimizer_threadFailed(error)));
        worker.on('exit', code => this.stopped(worker, new errors/* ModelError */.me(`optimising the model: the optimiser's thread stopped (code ${code})`)));
        // After the listeners: adding a 'message' listener holds the process open again.
        worker.unref();
        this.worker = worker;
        return worker;
    }
    stop(worker, error) {
        this.stopped(worker, error);
        void worker.terminate();
    }
    /** The model the thread had fails with the error; the next model starts a new thread. */
    stopped(worker, error) {
        if (this.worker !== worker)
            return;
        this.worker = undefined;
        this.settle(worker)?.reject(error);
    }
}
/** Its time ran out while other models had the thread. */
function waitedTooLong(timeoutMs) {
    return new errors/* TimeoutError */.MU(`its \`timeout\` of ${(0,quantities/* formatDuration */.a3)(timeoutMs)} ran out while it waited for the optimiser, busy with other models. Raise \`timeout\`, or lower \`concurrency\``, false);
}
/** Final, not retried: the retry loop keeps a final timeout's own words. */
function optimizer_tookTooLong(timeoutMs) {
    return new errors/* TimeoutError */.MU(`optimising the model took it past its \`timeout\` of ${(0,quantities/* formatDuration */.a3)(timeoutMs)}. Raise \`timeout\`, or set \`optimize: false\` to pull it as it is`, false);
}
function optimizer_threadFailed(error) {
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return new errors/* ModelError */.me(`optimising the model: the optimiser ran out of its ${optimizer_THREAD_HEAP_MB} MB of memory on it. Set \`optimize: false\` to pull it as it is`);
    }
    return new errors/* ModelError */.me(`optimising the model: the optimiser failed: ${error.message}`);
}
/**
 * Where the thread's script is: bundled on its own beside the action's bundle
 * (dist/optimizer-worker/index.js), as the validator's thread is (see models/validate.ts), or the
 * TypeScript source beside this module when run from src/.
 */
function optimizerScript() {
    const folder = external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url));
    const bundled = [folder, external_node_path_default().dirname(folder)].map(base => external_node_path_default().join(base, 'optimizer-worker', 'index.js'));
    return bundled.find(file => (0,external_node_fs_.existsSync)(file)) ?? external_node_path_default().join(folder, 'optimizer-worker.ts');
}

;// CONCATENATED MODULE: ./src/engine/optimize/optimize-model.ts
// A downloaded GLB, optimised before it is put in place: the verified source is validated, offered
// to the cache (which keeps echo3D's bytes), optimised on the optimiser's thread into a temporary
// file of its own beside it, and that file validated and measured. Only then does the download put
// it in place; on any failure both temporary files are removed, and the message names the step.








function optimizationFor(asset, run) {
    const settings = optimizationAskedFor(asset, run);
    if (!settings || !isOptimizableKind(asset.expect))
        return undefined;
    return { kind: asset.expect, settings };
}
function isOptimizableKind(kind) {
    return kind === 'glb' || kind === 'gltf';
}
/** What the run, or the entry's own setting, asks for the file, whatever its format. */
function optimizationAskedFor(asset, run) {
    if (asset.optimize === false)
        return undefined;
    return asset.optimize ?? run;
}
/** Whether two settings make the same bytes from the same source. */
function sameSettings(a, b) {
    if (a === undefined || b === undefined)
        return a === b;
    return (a.geometry === b.geometry &&
        a.textures === b.textures &&
        a.textureSize === b.textureSize &&
        a.textureQuality === b.textureQuality &&
        a.simplify === b.simplify);
}
/** What makes the optimised file from a verified download (see StreamTarget's `derive`). */
function optimizedFile(job) {
    return async (sourcePath, source) => {
        const { folders, deadline, tally, settings, kind } = job;
        const before = await inStep('validating the source', () => inspectModel(folders, sourcePath, kind, deadline));
        await job.keepSource?.(sourcePath, source);
        const served = { ...source, ...(before.model ? { model: before.model } : {}) };
        const derivedPath = newPartialPath(external_node_path_default().dirname(sourcePath));
        try {
            const content = await writeOptimized(sourcePath, derivedPath, job);
            const inspection = await inStep('validating the optimised file', () => inspectModel(folders, derivedPath, kind, deadline, tally));
            // What is written optimised must have passed the validator, whatever the source could not.
            const skipped = inspection.validation?.skipped;
            if (skipped)
                throw new errors/* ModelError */.me(`validating the optimised file: ${skipped}`);
            return {
                path: derivedPath,
                ...content,
                ...inspection,
                optimized: { source: served, settings }
            };
        }
        catch (error) {
            await (0,promises_.unlink)(derivedPath).catch(() => undefined);
            settled(derivedPath);
            throw error;
        }
    };
}
/** The source optimised (read whole when the optimiser is free for it), written exclusively. */
async function writeOptimized(sourcePath, derivedPath, job) {
    const read = () => readWhole(sourcePath, job.folders);
    const optimized = await optimizeOnThread(read, job, job.deadline);
    await (0,promises_.writeFile)(derivedPath, optimized, { flag: 'wx' });
    return {
        bytes: optimized.byteLength,
        sha256: (0,external_node_crypto_.createHash)('sha256').update(optimized).digest('hex')
    };
}
/** In a buffer of its own, which moves to the thread without a copy. */
async function readWhole(sourcePath, folders) {
    const file = await folders.openFile(sourcePath);
    if (!file)
        throw new errors/* ModelError */.me('the downloaded file vanished before it could be optimised');
    try {
        const source = await fileSource(file);
        if (!isOptimizable(source.size))
            throw tooLargeToOptimize(source.size);
        return await source.whole();
    }
    finally {
        await file.close();
    }
}
/** A step's failure says which step it was; the validator's words follow. */
async function inStep(step, work) {
    try {
        return await work();
    }
    catch (error) {
        if (!(error instanceof errors/* ExplainedError */.hM))
            throw error;
        throw new errors/* ModelError */.me(`${step}: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/engine/transfer/signature.ts
// Checks, while the bytes stream, that they are the format asked for. echo3D can serve an error
// text with status 200, so the status alone is never trusted. Memory stays bounded: only a copy
// of the first HEAD_BYTES is kept.


/** How much of a file's start the checks read. */
const HEAD_BYTES = 64 * 1024;
/** How much of a text served in place of a file a message quotes. */
const QUOTED_CHARACTERS = 200;
const FBX_BINARY_MAGIC = Buffer.from('Kaydara FBX Binary  \0', 'latin1');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const KTX2_MAGIC = Buffer.from([
    0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a
]);
const GLTF_ASSET_KEY = '"asset"';
const OBJ_KEYWORDS = new Set('v vt vn vp f l p o g s mtllib usemtl cstype deg curv curv2 surf parm trim hole scrv sp end bmat step mg lod call csh ctech stech bevel c_interp d_interp shadow_obj trace_obj'.split(' '));
const MTL_KEYWORDS = new Set('newmtl Ka Kd Ks Ke Ns Ni Nr d Tr Tf illum sharpness map_Ka map_Kd map_Ks map_Ke map_Ns map_d map_Bump map_bump bump disp decal refl norm Pr Pm Ps Pc Pcr aniso anisor map_Pr map_Pm map_Ps map_Pc'.split(' '));
const ERROR_TEXT = /not found|invalid request|error|unauthori[sz]ed|forbidden|denied|exceeded/i;
class SignatureCheck {
    expect;
    redactor;
    /** The file's first HEAD_BYTES, or fewer while fewer have come. */
    kept = new KeptBytes(HEAD_BYTES);
    bytes = 0;
    /** A GLB's length as its header declares it, once the header is in; null for no GLB header. */
    declaredLength;
    sawGltfAssetKey = false;
    carry = '';
    /** `redactor` keeps the credentials out of the text a server sent, when a message quotes it. */
    constructor(expect, redactor) {
        this.expect = expect;
        this.redactor = redactor;
    }
    /**
     * Throws a VerificationError as soon as the bytes cannot be the format: a GLB past its length.
     * The chunk is not kept: a file on disk is read into one buffer, piece after piece.
     */
    update(chunk) {
        this.bytes += chunk.length;
        this.kept.add(chunk);
        if (this.expect === 'gltf' && !this.sawGltfAssetKey)
            this.scanForAssetKey(chunk);
        if (this.expect === 'glb')
            this.stopPastDeclaredLength();
    }
    /** A GLB's length as its header declares it, from its 12th byte on; undefined before, or for no GLB. */
    get declaredGlbLength() {
        return this.declaredLength ?? undefined;
    }
    /** The file's first HEAD_BYTES (fewer for a shorter file). */
    get head() {
        return this.kept.bytes();
    }
    /** A GLB says how long it is: a body that runs past that is not the file, however long it goes. */
    stopPastDeclaredLength() {
        if (this.declaredLength === undefined && this.kept.length >= 12) {
            const { head } = this;
            this.declaredLength = head.toString('latin1', 0, 4) === 'glTF' ? head.readUInt32LE(8) : null;
        }
        const declared = this.declaredLength;
        if (typeof declared === 'number' && this.bytes > declared) {
            throw new errors/* VerificationError */.mk(`the body ran past the ${declared} bytes its GLB header declares`);
        }
    }
    /** Throws a VerificationError when the bytes are not the expected format. */
    finish() {
        const problem = this.problem();
        if (problem)
            throw new errors/* VerificationError */.mk(problem);
    }
    scanForAssetKey(chunk) {
        const text = this.carry + chunk.toString('latin1');
        this.sawGltfAssetKey = text.includes(GLTF_ASSET_KEY);
        this.carry = text.slice(-(GLTF_ASSET_KEY.length - 1));
    }
    problem() {
        if (this.bytes === 0)
            return 'the server sent an empty body';
        if (looksLikeHtml(this.head))
            return `the server sent an HTML page instead of ${this.wanted()}: ${this.quote()}`;
        const formatProblem = this.expect ? this.formatProblem(this.expect) : this.genericProblem();
        return formatProblem && `the server sent ${formatProblem} instead of ${this.wanted()}`;
    }
    wanted() {
        return this.expect ? `a ${this.expect.toUpperCase()} file` : 'the file';
    }
    formatProblem(format) {
        switch (format) {
            case 'png':
                return startsWith(this.head, PNG_MAGIC) ? undefined : this.describeHead();
            case 'jpeg':
                return startsWith(this.head, JPEG_MAGIC) ? undefined : this.describeHead();
            case 'webp':
                return this.isWebp() ? undefined : this.describeHead();
            case 'ktx2':
                return startsWith(this.head, KTX2_MAGIC) ? undefined : this.describeHead();
            case 'mtl':
                return this.isTextOf(MTL_KEYWORDS) ? undefined : this.describeHead();
            case 'glb':
                return this.glbProblem();
            case 'usdz':
                return startsWith(this.head, ZIP_MAGIC) ? undefined : this.describeHead();
            case 'fbx':
                return this.isFbx() ? undefined : this.describeHead();
            case 'gltf':
                return firstNonSpace(this.head) === '{' && this.sawGltfAssetKey
                    ? undefined
                    : this.describeHead();
            case 'obj':
                return this.isTextOf(OBJ_KEYWORDS) ? undefined : this.describeHead();
            case 'stl':
                return this.isStl() ? undefined : this.describeHead();
        }
    }
    glbProblem() {
        if (this.head.length < 12 || this.head.toString('latin1', 0, 4) !== 'glTF')
            return this.describeHead();
        const declared = this.head.readUInt32LE(8);
        if (declared !== this.bytes) {
            return `${this.bytes} bytes of a GLB whose header declares ${declared} (a cut or padded file)`;
        }
        return undefined;
    }
    isWebp() {
        return (this.head.toString('latin1', 0, 4) === 'RIFF' &&
            this.head.toString('latin1', 8, 12) === 'WEBP');
    }
    isFbx() {
        if (startsWith(this.head, FBX_BINARY_MAGIC))
            return true;
        const text = this.head.toString('utf8');
        return (!text.includes('\0') &&
            (text.trimStart().startsWith('; FBX') || text.includes('FBXHeaderExtension')));
    }
    /** Text whose every statement starts with one of the format's keywords. */
    isTextOf(keywords) {
        const text = this.head.toString('utf8');
        if (text.includes('\0'))
            return false;
        const lines = text.split(/\r?\n/);
        if (this.head.length < this.bytes) {
            // The last line goes on past the head; a head without one whole line holds no statement.
            if (lines.length === 1)
                return false;
            lines.pop();
        }
        const statements = lines.map(line => line.trim()).filter(line => line && !line.startsWith('#'));
        return statements.every(line => keywords.has(line.split(/\s+/)[0]));
    }
    isStl() {
        const text = this.head.toString('latin1');
        if (text.startsWith('solid') && /facet|endsolid/.test(text))
            return !text.includes('\0');
        if (this.bytes < 84 || this.head.length < 84)
            return false;
        return this.bytes === 84 + 50 * this.head.readUInt32LE(80);
    }
    genericProblem() {
        const isShortText = this.bytes < 1024 && !this.head.includes(0);
        return isShortText && ERROR_TEXT.test(this.head.toString('utf8'))
            ? `an error text: ${this.quote()}`
            : undefined;
    }
    quote() {
        return `'${this.redactor.excerpt(this.head.toString('utf8'), QUOTED_CHARACTERS)}'`;
    }
    describeHead() {
        return this.head.includes(0) || !isPrintable(this.head)
            ? `${this.bytes} bytes without the expected signature`
            : `a text: ${this.quote()}`;
    }
}
function startsWith(buffer, prefix) {
    return buffer.length >= prefix.length && buffer.subarray(0, prefix.length).equals(prefix);
}
function firstNonSpace(buffer) {
    return buffer
        .toString('utf8', 0, 256)
        .replace(/^\uFEFF/, '')
        .trimStart()
        .charAt(0);
}
function looksLikeHtml(head) {
    return /^\s*(<!doctype html|<html)/i.test(head.toString('utf8', 0, 256));
}
/** Text allows tabs, line breaks and form feeds; other control bytes mean binary data. */
function isPrintable(head) {
    return head.subarray(0, 256).every(byte => byte >= 0x20 || (byte >= 0x09 && byte <= 0x0d));
}

;// CONCATENATED MODULE: ./src/engine/freshness.ts
// Whether a planned file is already up to date on disk, by the lockfile's record of it. Check mode
// reports what is not (`findStaleAssets`; with `verify: content`, also what echo3D serves); a pull
// skips what is. "Up to date" is earned: the lockfile comes from the repository, and so from
// whoever can push to it, so the file must also be a regular file inside the destination whose
// bytes have the format's signature and whose container holds together (a GLB's chunks, a glTF's
// JSON, a USDZ's zip directory), checked on the same read as its hash (see
// docs/lockfile-and-trust.md).









/**
 * Up to date only when the lockfile, the file on disk (size, hash and format) and the storage ID
 * agree.
 */
async function compareWithLockfile(asset, view) {
    if (asset.method.kind === 'convert') {
        return { stale: `echo3D has no ${asset.format} file yet: it needs a conversion`, onDisk: false };
    }
    const locked = view.locked.get(asset.path);
    if (!locked)
        return { stale: 'not pulled yet: the lockfile does not list it', onDisk: false };
    if (locked.storageId !== asset.method.storageId) {
        return { stale: 'echo3D has a newer version (its storage ID changed)', onDisk: false };
    }
    const settings = optimizationFor(asset, view.optimize)?.settings;
    if (!sameSettings(locked.optimized?.settings, settings)) {
        const stale = settings ? 'the `optimize` settings changed' : '`optimize` is off now';
        return { stale, onDisk: true };
    }
    return compareOnDisk(asset, locked, view);
}
async function compareOnDisk(asset, locked, view) {
    const filePath = external_node_path_default().join(view.destination, asset.relativePath);
    let read;
    try {
        read = await readAgainstRecord(filePath, locked, asset.expect, view);
    }
    catch (error) {
        if (!(error instanceof errors/* ExplainedError */.hM))
            throw error;
        return { stale: `the file on disk cannot be checked: ${error.message}`, onDisk: true };
    }
    if (read === 'missing')
        return { stale: 'missing on disk', onDisk: false };
    if (read === 'differs')
        return { stale: 'the file on disk differs from the lockfile', onDisk: true };
    return read.problem ? { stale: read.problem, onDisk: true } : { upToDate: read.onDisk };
}
/**
 * The file's size and hash, read no further than its record allows, and, when they are the
 * record's, whether its bytes are the format `kind`, from signature to container. The one reading
 * of a file that a lockfile vouches for, to keep it or to delete it.
 */
async function readAgainstRecord(filePath, record, kind, view) {
    const checks = new FormatChecks(kind, record, view);
    const onDisk = await hashFile(view.folders, filePath, {
        maxBytes: record.bytes,
        timeoutMs: view.timeoutMs,
        onChunk: chunk => checks.update(chunk),
        whenRead: (file, content) => checks.whenRead(file, content)
    });
    if (!onDisk)
        return 'missing';
    if (!isRecorded(onDisk, record))
        return 'differs';
    return { onDisk, problem: checks.problem() };
}
function isRecorded(onDisk, locked) {
    return onDisk.bytes === locked.bytes && onDisk.sha256 === locked.sha256;
}
/**
 * The lockfile may have been written to match a forged file: its bytes must still be the format,
 * from its signature to its container, which a few forged bytes in front of anything are not.
 */
class FormatChecks {
    expect;
    locked;
    signature;
    container;
    deadline;
    zipProblem;
    constructor(expect, locked, view) {
        this.expect = expect;
        this.locked = locked;
        this.signature = new SignatureCheck(expect, view.redactor);
        this.container = containerCheck(expect);
        this.deadline = Deadline.after(view.timeoutMs);
    }
    update(chunk) {
        this.signature.update(chunk);
        this.container.update(chunk);
    }
    /** A USDZ's zip directory, read only when the rest matches the record. */
    async whenRead(file, content) {
        if (this.expect !== 'usdz' || !isRecorded(content, this.locked))
            return;
        try {
            await readZipDirectory(file, this.deadline);
        }
        catch (error) {
            if (!(error instanceof errors/* ExplainedError */.hM))
                throw error;
            this.zipProblem = error;
        }
    }
    /** Why the bytes are not the format; undefined when they are. */
    problem() {
        try {
            this.signature.finish();
        }
        catch (error) {
            return `the file on disk fails its format check: ${(0,errors/* errorMessage */.gJ)(error)}`;
        }
        const structure = this.zipProblem ?? explainedFailure(() => this.container.finish());
        return structure && `the file on disk fails its structure check: ${structure.message}`;
    }
}
function explainedFailure(check) {
    try {
        check();
        return undefined;
    }
    catch (error) {
        if (error instanceof errors/* ExplainedError */.hM)
            return error;
        throw error;
    }
}
function byPath(records) {
    return new Map(records.map(record => [record.path, record]));
}
/**
 * The size and hash the lockfile records for each storage ID (an optimised file's source). Records that disagree about one
 * storage ID vouch for none of its bytes: it maps to undefined.
 */
function contentByStorageId(records) {
    const recorded = new Map();
    for (const record of records) {
        const { storageId } = record;
        if (storageId === null)
            continue;
        // An optimised file was made from echo3D's bytes: those are what the storage ID holds.
        const { bytes, sha256 } = record.optimized?.source ?? record;
        const earlier = recorded.get(storageId);
        const agrees = !recorded.has(storageId) || (earlier?.bytes === bytes && earlier.sha256 === sha256);
        recorded.set(storageId, agrees ? { bytes, sha256 } : undefined);
    }
    return recorded;
}
async function findStaleAssets(assets, view, concurrency, compareServed) {
    const verdicts = await mapWithConcurrency(assets, concurrency, async (asset) => {
        const freshness = await compareWithLockfile(asset, view);
        const reason = 'stale' in freshness ? freshness.stale : await compareServed?.(asset, freshness.upToDate);
        if (reason === undefined)
            return undefined;
        return { path: asset.path, entry: asset.entryId, format: asset.format, reason };
    });
    return verdicts.filter(verdict => verdict !== undefined);
}

;// CONCATENATED MODULE: ./src/engine/limits.ts
// The limits derived from the `timeout` a user gives each asset: short runs detect trouble fast,
// long ones are not cut by a limit that was meant for a small file. The floors are for the seconds
// of a test's `timeout`; no workflow sets one that short.
/** A body must not go silent for longer than this. */
function stallTimeoutFor(timeoutMs) {
    return clamp(Math.round(timeoutMs / 5), 250, 60_000);
}
/** How often a pending conversion says it is still waiting: every 20 s at most. */
function heartbeatIntervalFor(timeoutMs) {
    return clamp(Math.round(timeoutMs / 20), 250, 20_000);
}
/** How long a cache lookup may take before the cache is given up on. */
function cacheLookupTimeoutFor(timeoutMs) {
    return clamp(Math.round(timeoutMs / 10), 2_000, 20_000);
}
/**
 * The longest a cache's copy, written beside a download, may hold it back in all before it is
 * dropped: a slow cache disk costs a download a tenth of its `timeout` at most.
 */
function copyWaitFor(timeoutMs) {
    return clamp(Math.round(timeoutMs / 10), 250, 10_000);
}
function clamp(value, min, max) {
    return Math.min(max, Math.max(min, value));
}

;// CONCATENATED MODULE: ./src/engine/plan.ts
// Planning turns what the user asked for and what echo3D has into a list of files to fetch, each
// with the cheapest correct way to get it. Pure: no I/O.



/** An OBJ's material and textures: more than a model has, fewer than a hostile listing could. */
const MAX_COMPANIONS = 256;
function planAssets(request) {
    const assets = [];
    const failures = [];
    const named = new Set(request.entries.map(selection => selection.id));
    const selections = [
        ...request.entries,
        ...request.taggedEntries
            .filter(entry => !named.has(entry.id))
            .map(entry => ({ id: entry.id, formats: [] }))
    ];
    for (const selection of selections) {
        const entry = request.known.get(selection.id);
        if (!entry) {
            failures.push({
                label: `entry ${selection.id}`,
                message: 'not found in the collection. Check the ID, and that the API key (`api-key`; ECHO3D_API_KEY for the command-line program) is the key of the collection that holds it'
            });
            continue;
        }
        const formats = selection.formats.length > 0 ? selection.formats : request.defaultFormats;
        for (const format of formats) {
            const planned = planEntryFormat(entry, format, request, selection);
            if ('message' in planned)
                failures.push(planned);
            else
                assets.push(...planned);
        }
    }
    for (const storageId of request.files)
        assets.push(planStorageFile(storageId, request));
    const placed = withoutCollisions(assets, request.reserved);
    return { assets: placed.assets, failures: [...failures, ...placed.failures] };
}
function planEntryFormat(entry, requested, request, selection) {
    const fileNameTemplate = selection.fileName ?? request.fileNameTemplate;
    const format = requested === 'original' ? entry.originalFormat : requested;
    const label = `entry ${entry.id} (${requested})`;
    const stored = requested === 'original' ? entry.original : format && entry.derived[format];
    const ext = format ?? extensionOf(entry.original.fileName);
    const name = baseNameOf(entry.original.fileName, entry.id);
    const fileName = renderFileName(fileNameTemplate, {
        name,
        entry: entry.id,
        format: requested === 'original' ? 'original' : ext,
        ext
    });
    const relativePath = resolveInside(request.destination, fileName);
    const base = {
        label,
        entryId: entry.id,
        format: ext || 'original',
        expect: format,
        ...placed(relativePath, request),
        approximateBytes: entry.uploadBytes,
        ...(selection.optimize === undefined ? {} : { optimize: selection.optimize })
    };
    if (stored) {
        const asset = {
            ...base,
            method: { kind: 'storage', storageId: stored.storageId }
        };
        const isOriginal = stored.storageId === entry.original.storageId;
        if (!isOriginal)
            return [asset];
        if (entry.companions.length > MAX_COMPANIONS) {
            return {
                label,
                message: `echo3D lists ${entry.companions.length} material and texture files for it, more than the ${MAX_COMPANIONS} the action takes for one model`
            };
        }
        return [asset, ...planCompanions(entry, relativePath, request)];
    }
    if (!format) {
        return { label, message: 'echo3D lists no original file for this entry' };
    }
    if (!request.convertMissing) {
        return {
            label,
            message: `echo3D has no ${format} file for this entry yet. Set \`convert-missing: true\` (--convert-missing) to have echo3D convert it (conversions count against the account's storage and bandwidth)`
        };
    }
    return [{ ...base, method: { kind: 'convert', entryId: entry.id, format } }];
}
/** An OBJ needs its material and textures beside it, under the names it refers to them by. */
function planCompanions(entry, assetPath, request) {
    const folder = external_node_path_default().posix.dirname(assetPath);
    return entry.companions.map((companion) => {
        const fileName = sanitizeSegment(companion.fileName, companion.storageId);
        const relativeName = folder === '.' ? fileName : `${folder}/${fileName}`;
        return {
            label: `entry ${entry.id} (companion '${fileName}')`,
            entryId: entry.id,
            format: extensionOf(fileName) || 'file',
            expect: kindOfFileName(fileName),
            method: { kind: 'storage', storageId: companion.storageId },
            ...placed(resolveInside(request.destination, relativeName), request)
        };
    });
}
function planStorageFile(storageId, request) {
    return {
        label: `file ${storageId}`,
        entryId: null,
        format: extensionOf(storageId) || 'file',
        expect: kindOfFileName(storageId),
        method: { kind: 'storage', storageId },
        ...placed(resolveInside(request.destination, storageId), request)
    };
}
/** Where an asset goes, relative to the destination and as the workspace names it. */
function placed(relativePath, request) {
    return {
        relativePath,
        path: workspaceRelative(request.workspace, external_node_path_default().join(request.destination, relativePath))
    };
}
/**
 * The order to start transfers in: conversions first, as echo3D may take minutes over them, then
 * the largest files, so that a large model does not start last, behind many small ones. Ties
 * keep the plan's order.
 */
function transferOrder(assets) {
    return [...assets].sort(startsEarlier);
}
function startsEarlier(a, b) {
    const conversionFirst = Number(isConversion(b)) - Number(isConversion(a));
    if (conversionFirst !== 0)
        return conversionFirst;
    return (b.approximateBytes ?? 0) - (a.approximateBytes ?? 0);
}
function isConversion(asset) {
    return asset.method.kind === 'convert';
}
function sourceKey(asset) {
    return asset.method.kind === 'storage'
        ? `storage:${asset.method.storageId}`
        : `convert:${asset.method.entryId}:${asset.method.format}`;
}
/**
 * The same file at the same path is planned once. Two different files at one path would overwrite
 * each other: the later one fails, with the fix, and the rest go on, so that one name in the
 * collection cannot stop the whole refresh. Paths are compared without case, as macOS and Windows
 * do; the lockfile's path is taken.
 */
function withoutCollisions(assets, reserved) {
    const byPath = new Map();
    const failures = [];
    for (const asset of assets) {
        const key = naming_sameFileKey(asset.relativePath);
        const existing = byPath.get(key);
        if (reserved !== undefined && key === naming_sameFileKey(reserved)) {
            failures.push({
                label: asset.label,
                message: `its path, '${asset.relativePath}', is the lockfile's. ${UNIQUE_NAMES}`
            });
        }
        else if (!existing) {
            byPath.set(key, asset);
        }
        else if (sourceKey(existing) !== sourceKey(asset)) {
            failures.push({
                label: asset.label,
                message: `it would be written to '${asset.relativePath}', where ${existing.label} goes. ${UNIQUE_NAMES}`
            });
        }
    }
    return { assets: [...byPath.values()], failures };
}
const UNIQUE_NAMES = 'Make the names unique with a placeholder in `file-name`, such as {entry}/{name}.{ext} or {name}-{entry}.{ext}';

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/engine/transfer/download.ts
// A body reaches the disk through one pipeline: undici's response, a tap that counts, hashes and
// checks every chunk, and a temporary file opened exclusively beside the destination, renamed into
// place only when every check passed. On any failure the temporary file is removed, so no partial
// file is ever left where a user could take it for an asset.












async function streamToFile(body, target) {
    const folder = external_node_path_default().dirname(target.finalPath);
    const temporaryPath = newPartialPath(folder);
    const copy = target.copyTo && new SideCopy(target.copyTo);
    const tap = new BodyTap(target, copy);
    try {
        await target.folders.make(folder);
        checkDeclaredSize(target);
        await writeNewFile(temporaryPath, body, tap);
        await copy?.end();
        const sha256 = tap.sha256();
        if (target.expectedSha256 && sha256 !== target.expectedSha256) {
            throw new errors/* VerificationError */.mk(`the bytes hash to ${sha256}, not the recorded ${target.expectedSha256}`);
        }
        const received = { bytes: tap.bytes, sha256 };
        if (target.derive)
            return await placeDerived(target.derive, temporaryPath, received, target);
        const inspected = (await target.inspect?.(temporaryPath)) ?? {};
        await replaceFile(temporaryPath, target.finalPath);
        return { ...received, ...inspected };
    }
    catch (error) {
        abandon(body);
        copy?.abandon();
        await (0,promises_.unlink)(temporaryPath).catch(() => undefined);
        throw error;
    }
    finally {
        settled(temporaryPath);
    }
}
/** The derived file in place of the download, which is then removed. */
async function placeDerived(derive, downloadPath, received, target) {
    const { path: derivedPath, ...placed } = await derive(downloadPath, received);
    try {
        await replaceFile(derivedPath, target.finalPath);
    }
    catch (error) {
        await (0,promises_.unlink)(derivedPath).catch(() => undefined);
        throw error;
    }
    finally {
        settled(derivedPath);
    }
    // A leftover is a partial file, which the next run removes.
    await (0,promises_.unlink)(downloadPath).catch(() => undefined);
    return placed;
}
/**
 * How much of a body may wait for the disk. With the stream's default (64 KiB, one socket read)
 * every chunk stops the socket until its write is done; with room for many, reading goes on while
 * the disk writes, and the chunks waiting go down in one `writev`. Design record 0012 has figures.
 */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Chunks smaller than this are gathered into blocks of at least this size before they are written. */
const SMALL_CHUNK_BYTES = 16 * 1024;
/**
 * `wx` refuses a path that exists, a link included. The pipeline settles only once the file is
 * closed, so the caller may rename or remove it at once, on Windows too.
 */
function writeNewFile(filePath, body, tap) {
    const file = (0,external_node_fs_.createWriteStream)(filePath, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES });
    return (0,external_node_stream_promises_.pipeline)(body, tap, file);
}
/** The size and hash of a body that passes the same checks as a download, kept nowhere. */
async function digestBody(body, limits) {
    const tap = new BodyTap(limits);
    try {
        checkDeclaredSize(limits);
        await (0,external_node_stream_promises_.pipeline)(body, tap, discardAll());
    }
    catch (error) {
        abandon(body);
        throw error;
    }
    return { bytes: tap.bytes, sha256: tap.sha256() };
}
/**
 * Gives a body up, and the connection it came on. A body the pipeline never took has no listener
 * yet for the error its destruction raises, which would otherwise end the process.
 */
function abandon(body) {
    body.on('error', () => undefined);
    body.destroy();
}
function discardAll() {
    return new external_node_stream_.Writable({ write: (_chunk, _encoding, done) => done() });
}
function checkDeclaredSize(limits) {
    if ((limits.expectedBytes ?? 0) > limits.maxFileBytes)
        throw tooLarge(limits.maxFileBytes);
}
/**
 * Counts, hashes and checks each chunk on its way: the size limit, the format's signature, the
 * progress; then hands it to the second file, if any. At the end, the length the server promised
 * and the whole signature.
 */
class BodyTap extends external_node_stream_.Transform {
    limits;
    copy;
    bytes = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    signature;
    container;
    small = new SmallChunks();
    constructor(limits, copy) {
        super();
        this.limits = limits;
        this.copy = copy;
        this.signature = new SignatureCheck(limits.expect, limits.redactor);
        this.container = containerCheck(limits.expect);
    }
    _transform(chunk, _encoding, done) {
        try {
            this.checkChunk(chunk);
        }
        catch (error) {
            done(error);
            return;
        }
        this.passOn(this.small.take(chunk), done);
    }
    _flush(done) {
        try {
            this.checkEnd();
        }
        catch (error) {
            done(error);
            return;
        }
        this.passOn(this.small.rest(), done);
    }
    /** To the second file, if any, then to the first. */
    passOn(block, done) {
        if (!block)
            done();
        else if (this.copy)
            this.copy.write(block, () => done(null, block));
        else
            done(null, block);
    }
    sha256() {
        return this.hash.digest('hex');
    }
    checkChunk(chunk) {
        this.bytes += chunk.length;
        if (this.bytes > this.limits.maxFileBytes)
            throw tooLarge(this.limits.maxFileBytes);
        this.signature.update(chunk);
        // A GLB says how long it is: one longer than the limit is refused now, not after its bytes.
        const declared = this.signature.declaredGlbLength;
        if (declared !== undefined && declared > this.limits.maxFileBytes) {
            throw declaredTooLarge(declared, this.limits.maxFileBytes);
        }
        this.container.update(chunk);
        this.hash.update(chunk);
        this.limits.onProgress?.(this.bytes);
    }
    /** Throws when the body was cut short of its Content-Length or is not the format. */
    checkEnd() {
        const expected = this.limits.expectedBytes;
        if (expected !== undefined && this.bytes !== expected) {
            throw new errors/* VerificationError */.mk(`the body ended after ${this.bytes} of ${expected} bytes`);
        }
        this.signature.finish();
        this.container.finish();
    }
}
/**
 * Gathers a body's small chunks into blocks. A server that sends its body a byte to a chunk would
 * otherwise fill a file's buffer with millions of tiny buffers, each one holding on to a socket
 * read: hundreds of megabytes for a 4 MiB buffer.
 */
class SmallChunks {
    held = [];
    heldBytes = 0;
    /** What to pass on now: a chunk of a block's size as it is, small ones once they make a block. */
    take(chunk) {
        if (this.heldBytes === 0 && chunk.length >= SMALL_CHUNK_BYTES)
            return chunk;
        this.held.push(chunk);
        this.heldBytes += chunk.length;
        return this.heldBytes >= SMALL_CHUNK_BYTES ? this.rest() : undefined;
    }
    /** What is held, as one block. */
    rest() {
        if (this.heldBytes === 0)
            return undefined;
        const block = Buffer.concat(this.held, this.heldBytes);
        this.held = [];
        this.heldBytes = 0;
        return block;
    }
}
/**
 * The second file a body is written to. The body waits for it as for its own file, so that
 * neither holds more than its buffer; but a copy that has kept the body waiting longer than its
 * share (a slow or stalled disk), or that fails, is dropped, and the body goes on without it. Its
 * owner then finds it not finished.
 */
class SideCopy {
    side;
    dropped = false;
    waitedMs = 0;
    constructor(side) {
        this.side = side;
        side.file.on('error', () => {
            this.dropped = true;
        });
    }
    /** Writes the chunk, and calls `next` once the copy has room for more, or was dropped. */
    write(chunk, next) {
        const { file } = this.side;
        if (this.dropped || file.write(chunk)) {
            next();
            return;
        }
        const remainingMs = this.side.maxWaitMs - this.waitedMs;
        if (remainingMs <= 0) {
            this.abandon();
            next();
            return;
        }
        const started = Date.now();
        const resume = () => {
            clearTimeout(timer);
            file.off('drain', resume);
            file.off('close', resume);
            this.waitedMs += Date.now() - started;
            next();
        };
        const timer = setTimeout(() => {
            this.abandon();
            resume();
        }, remainingMs);
        file.on('drain', resume);
        file.on('close', resume);
    }
    /** Ends the copy, and waits for what it holds to be written, within the rest of its time. */
    async end() {
        if (this.dropped)
            return;
        this.side.file.end();
        const rest = Math.max(0, this.side.maxWaitMs - this.waitedMs);
        if (!(await closedWithin(this.side.file, rest)))
            this.abandon();
    }
    abandon() {
        this.dropped = true;
        this.side.file.destroy();
    }
}
/** Whether the stream closes, with or without an error, within this time. */
async function closedWithin(stream, timeoutMs) {
    let timer;
    const late = new Promise(resolve => {
        timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const closed = (0,external_node_stream_promises_.finished)(stream).then(() => true, () => true);
    try {
        return await Promise.race([closed, late]);
    }
    finally {
        clearTimeout(timer);
    }
}
function declaredTooLarge(declared, maxFileBytes) {
    return new errors/* TooLargeError */.qB(`its GLB header declares ${(0,quantities/* formatBytes */.z3)(declared)}, more than \`max-file-size\` (${(0,quantities/* formatBytes */.z3)(maxFileBytes)}): refused as soon as its 12-byte header arrived. Raise \`max-file-size\` if the model really is that large`);
}
function tooLarge(maxFileBytes) {
    return new errors/* TooLargeError */.qB(`the file is larger than \`max-file-size\` (${(0,quantities/* formatBytes */.z3)(maxFileBytes)}). Raise \`max-file-size\` if the model really is that large`);
}

;// CONCATENATED MODULE: ./src/engine/pull.ts
// Pulling the planned files: each from the cheapest source that has it (the file already on disk,
// the cache, then echo3D), verified, and put in place.















/** How much later than the asset's deadline its headers timeout is set. */
const DEADLINE_GRACE_MS = 1_000;
/** Large files report progress at each quarter. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;
/**
 * Pulls every planned asset, in transfer order; one failure does not stop the rest. Conversions
 * are echo3D's work, which the action only waits for: they run beside the transfers, under a
 * bound of their own, so that a slow conversion never holds a transfer's place. The results keep
 * the plan's order.
 */
async function pullPlanned(assets, context, concurrency) {
    const results = new Map();
    const pullOne = async (asset) => {
        const result = await pullAsset(asset, context);
        results.set(asset, result);
        const { emit } = context.ports;
        emit('file' in result ? { kind: 'pulled', ...result } : { kind: 'failed', ...result });
    };
    const ordered = transferOrder(assets);
    const conversions = ordered.filter(asset => asset.method.kind === 'convert');
    const transfers = ordered.filter(asset => asset.method.kind === 'storage');
    await Promise.all([
        mapWithConcurrency(conversions, context.transfer.conversions.initial, pullOne),
        mapWithConcurrency(transfers, concurrency, pullOne)
    ]);
    return assets.map(asset => results.get(asset)).filter(result => result !== undefined);
}
async function pullAsset(asset, context) {
    const { clock } = context.ports;
    const startedAt = clock.now();
    try {
        const { source, content } = await obtain(asset, context, startedAt);
        return { asset, file: pulledFile(asset, source, content, clock.now() - startedAt) };
    }
    catch (error) {
        const message = explainFailure(error, { kind: asset.method.kind, format: asset.format });
        return { asset, failure: { label: asset.label, message } };
    }
}
function pulledFile(asset, source, content, durationMs) {
    return {
        path: asset.path,
        entry: asset.entryId,
        format: asset.format,
        storageId: asset.method.kind === 'storage' ? asset.method.storageId : null,
        bytes: content.bytes,
        sha256: content.sha256,
        ...(content.model ? { model: content.model } : {}),
        ...(content.optimized ? { optimized: content.optimized } : {}),
        source,
        durationMs,
        ...(content.validation ? { validation: content.validation } : {})
    };
}
function finalPathOf(asset, disk) {
    return external_node_path_default().join(disk.destination, asset.relativePath);
}
/** The cheapest source first: the file already on disk, then the cache, then echo3D. */
async function obtain(asset, context, startedAt) {
    const { timeoutMs } = context.transfer;
    const deadline = new Deadline(startedAt + timeoutMs, timeoutMs, () => context.ports.clock.now());
    if (context.disk.verify === 'lockfile') {
        const unchanged = await keepUnchanged(asset, context, deadline);
        if (unchanged)
            return { source: 'unchanged', content: unchanged };
        const cached = await restoreFromCache(asset, context, deadline);
        if (cached)
            return { source: 'cache', content: cached };
    }
    const receives = context.ports.cache.receive !== undefined;
    const copyWait = copyWaitFor(timeoutMs);
    const toDisk = (body, limits) => withCacheCopy(asset, context, copy => streamToFile(body, {
        ...limits,
        folders: context.disk.folders,
        finalPath: finalPathOf(asset, context.disk),
        ...placement(asset, context, deadline, { keepSource: !receives }),
        ...(copy ? { copyTo: { file: copy.file, maxWaitMs: copyWait } } : {})
    }));
    const content = await fetchFromEcho3d(asset, context, startedAt, toDisk);
    if (asset.method.kind === 'convert')
        return { source: 'conversion', content };
    // The cache received the bytes as they came, or an optimised file's source went to it before
    // it was optimised.
    if (!receives && !content.optimized) {
        const finalPath = finalPathOf(asset, context.disk);
        await storeInCache(asset.method.storageId, finalPath, content, context.ports);
    }
    return { source: 'download', content };
}
/**
 * A download of a stored file, written into the cache as it arrives where the cache takes it that
 * way: the copy is kept once the file is in place, and removed if the download fails. A copy that
 * was dropped (its disk was too slow, or failed) is made from the placed file, as a cache without
 * `receive` gets it.
 */
async function withCacheCopy(asset, context, download) {
    if (asset.method.kind !== 'storage')
        return download();
    const { storageId } = asset.method;
    const { ports } = context;
    const copy = await openCacheCopy(storageId, ports);
    if (!copy)
        return download();
    trackPartial(copy.path);
    try {
        const placed = await download(copy).catch(async (error) => {
            await copy.discard().catch(() => undefined);
            throw error;
        });
        await fileCacheCopy(copy, storageId, placed, { ...context, asset });
        return placed;
    }
    finally {
        settled(copy.path);
    }
}
/** The copy kept under the hash of echo3D's bytes: an optimised file's source, not the file. */
async function fileCacheCopy(copy, storageId, placed, { asset, disk, ports }) {
    const received = placed.optimized?.source ?? placed;
    const content = { bytes: received.bytes, sha256: received.sha256 };
    if (!copy.file.writableFinished) {
        await copy.discard().catch(() => undefined);
        const finalPath = finalPathOf(asset, disk);
        if (!placed.optimized)
            await storeInCache(storageId, finalPath, content, ports);
        return;
    }
    await copy.keep(content).catch((error) => {
        ports.emit({ kind: 'cache-store-failed', storageId, reason: (0,errors/* errorMessage */.gJ)(error) });
    });
}
/** A cache that cannot take a copy never fails the download. */
async function openCacheCopy(storageId, ports) {
    try {
        return await ports.cache.receive?.();
    }
    catch (error) {
        ports.emit({ kind: 'cache-store-failed', storageId, reason: (0,errors/* errorMessage */.gJ)(error) });
        return undefined;
    }
}
/**
 * How the verified bytes become the file in place: inspected as they are, or, for a model to
 * optimise, optimised first (the source offered to the cache when it came from echo3D).
 */
function placement(asset, context, deadline, { keepSource }) {
    const { disk, ports } = context;
    const optimization = optimizationFor(asset, disk.optimize);
    if (!optimization)
        return { inspect: inspectionOf(asset, disk, deadline) };
    const { method } = asset;
    const derive = optimizedFile({
        ...optimization,
        folders: disk.folders,
        deadline,
        tally: disk.inspections,
        ...(keepSource && method.kind === 'storage'
            ? {
                keepSource: (sourcePath, source) => storeInCache(method.storageId, sourcePath, source, ports)
            }
            : {})
    });
    return { derive };
}
/**
 * What a model holds, read from its verified temporary file within the asset's `timeout`, and
 * counted in the run's tally.
 */
function inspectionOf(asset, disk, deadline) {
    return temporaryPath => inspectModel(disk.folders, temporaryPath, asset.expect, deadline, disk.inspections);
}
/**
 * A file that the lockfile and the disk show to be current is left as it is, with the statistics
 * its record holds. One recorded before statistics were is read now; it was accepted then, so what
 * cannot be read now only goes unrecorded.
 */
async function keepUnchanged(asset, context, deadline) {
    if (asset.method.kind !== 'storage')
        return undefined;
    const freshness = await compareWithLockfile(asset, context.disk);
    if ('stale' in freshness) {
        if (freshness.onDisk) {
            context.ports.emit({ kind: 'stale-on-disk', asset, reason: freshness.stale });
        }
        return undefined;
    }
    const record = context.disk.locked.get(asset.path);
    const optimized = record?.optimized ? { optimized: record.optimized } : {};
    if (record?.model)
        return { ...freshness.upToDate, model: record.model, ...optimized };
    const { folders } = context.disk;
    const finalPath = finalPathOf(asset, context.disk);
    const inspection = await inspectModel(folders, finalPath, asset.expect, deadline)
        .then(({ model }) => ({ model }))
        .catch(() => ({}));
    return { ...freshness.upToDate, ...inspection, ...optimized };
}
/**
 * A cache hit is earned like a download: the cache may supply only the bytes that the lockfile
 * records for the storage ID, or, where it has no record, that a cache GitHub scopes to the
 * repository vouches for. The copy is hashed as it is written, and used only if it matches.
 */
async function restoreFromCache(asset, context, deadline) {
    if (asset.method.kind !== 'storage')
        return undefined;
    const expected = await expectedContent(asset.method.storageId, context);
    if (!expected)
        return undefined;
    const cached = await context.ports.cache.find(expected).catch(() => undefined);
    if (!cached)
        return undefined;
    try {
        const copy = await openCachedCopy(cached);
        if (!copy)
            return undefined;
        return await streamToFile(copy, {
            folders: context.disk.folders,
            finalPath: finalPathOf(asset, context.disk),
            expect: asset.expect,
            maxFileBytes: context.transfer.maxFileBytes,
            redactor: context.ports.redactor,
            expectedBytes: expected.bytes,
            expectedSha256: expected.sha256,
            ...placement(asset, context, deadline, { keepSource: false })
        });
    }
    catch (error) {
        context.ports.emit({ kind: 'cache-copy-rejected', asset, reason: (0,errors/* errorMessage */.gJ)(error) });
        return undefined;
    }
}
/** The size and hash a cached copy of the storage ID must have; undefined when nothing says. */
async function expectedContent(storageId, context) {
    const { recorded } = context.disk;
    if (recorded.has(storageId))
        return recorded.get(storageId);
    return context.ports.cache.vouchFor?.(storageId).catch(() => undefined);
}
/**
 * The cached file, read only through real folders and only if it is a regular file: a link that
 * another job put in the cache could otherwise make a run copy any file it can read.
 */
async function openCachedCopy(cached) {
    try {
        const file = await new WorkspaceFolders(cached.store).openFile(cached.path);
        return file?.createReadStream();
    }
    catch (error) {
        if (!(error instanceof errors/* WorkspaceBoundaryError */.Q2))
            throw error;
        throw new errors/* WorkspaceBoundaryError */.Q2('the cache holds a link, or no regular file, in its place');
    }
}
/** A cache that cannot take a file never fails the run. */
async function storeInCache(storageId, filePath, content, ports) {
    try {
        await ports.cache.store(storageId, filePath, content);
    }
    catch (error) {
        ports.emit({ kind: 'cache-store-failed', storageId, reason: (0,errors/* errorMessage */.gJ)(error) });
    }
}
/** The size and hash of the file echo3D serves for a stored asset, downloaded but kept nowhere. */
function fetchServedContent(asset, context) {
    return fetchFromEcho3d(asset, context, context.ports.clock.now(), digestBody);
}
function fetchFromEcho3d(asset, context, startedAt, receive) {
    const { transfer, ports } = context;
    const { method } = asset;
    const route = new DownloadRoute(method.kind === 'storage'
        ? transfer.client.fileRequest(method.storageId)
        : transfer.client.conversionRequest(method.entryId, method.format));
    const deadline = startedAt + transfer.timeoutMs;
    let generation = 0;
    const tryOnce = (signal) => route.attempt(start => attemptTransfer(asset, start, route.chain, requestOptions(asset, context, deadline, signal), context, receive));
    // A conversion holds its place among the conversions only while echo3D works on it: one
    // refused with 429 waits out its Retry-After without a place, then queues under the new bound.
    const attempt = (signal) => method.kind === 'convert'
        ? transfer.conversions.run(startedUnder => {
            generation = startedUnder;
            return tryOnce(signal);
        })
        : tryOnce(signal);
    return withRetries(attempt, {
        clock: ports.clock,
        retries: transfer.retries,
        deadline,
        timeoutMs: transfer.timeoutMs,
        placeOfFailure: () => route.placeOfFailure(),
        onRetry: (attemptNumber, delayMs, error) => {
            if (method.kind === 'convert')
                slowDownConversions(error, generation, context);
            const reason = (0,errors/* errorMessage */.gJ)(error);
            const retries = transfer.retries;
            ports.emit({ kind: 'retrying', asset, attempt: attemptNumber, retries, delayMs, reason });
        }
    });
}
/**
 * The asset's deadline is the signal's to enforce; a headers timeout set to the same moment could
 * fire a moment before it and read as a slow answer to be retried. A conversion may take until the
 * deadline to answer; a storage download must start within two stalls.
 */
function requestOptions(asset, context, deadline, signal) {
    const stallTimeoutMs = stallTimeoutFor(context.transfer.timeoutMs);
    const untilDeadline = Math.max(1, deadline - context.ports.clock.now()) + DEADLINE_GRACE_MS;
    const headersTimeoutMs = asset.method.kind === 'convert' ? untilDeadline : Math.min(untilDeadline, stallTimeoutMs * 2);
    return { headersTimeoutMs, stallTimeoutMs, signal, redactor: context.ports.redactor };
}
/** echo3D's 429 to a conversion says it has too many in hand: the run asks for fewer from then on. */
function slowDownConversions(error, startedUnder, context) {
    if (!(error instanceof errors/* HttpStatusError */.F9) || error.status !== 429)
        return;
    const { conversions } = context.transfer;
    const from = conversions.current;
    if (conversions.lower(startedUnder)) {
        context.ports.emit({ kind: 'conversions-lowered', from, to: conversions.current });
    }
}
/**
 * A download is a chain: echo3D's API answers with a redirect to its storage host. A try that
 * failed at the storage host starts there again, while its URL still works, rather than from the
 * API; and each host has its retries of its own.
 */
class DownloadRoute {
    first;
    chain;
    resumeAt;
    constructor(first) {
        this.first = first;
        this.chain = { current: first };
    }
    /** One try, from where the last one failed; a storage URL that no longer works sends it back to the API. */
    async attempt(transfer) {
        const start = this.resumeAt ?? this.first;
        try {
            return await transfer(start);
        }
        catch (error) {
            this.resumeAt = this.afterRedirect() && !isFinalStatus(error) ? this.chain.current : undefined;
            if (start === this.first || !isFinalStatus(error))
                throw error;
            return this.attempt(transfer);
        }
    }
    placeOfFailure() {
        return this.chain.current.url.origin;
    }
    afterRedirect() {
        return this.chain.current !== this.first;
    }
}
function isFinalStatus(error) {
    return error instanceof errors/* HttpStatusError */.F9 && !decideRetry(error).retry;
}
/** One try: send, then take the body. A stall in the body reads as a stall, not as undici's words. */
async function attemptTransfer(asset, request, chain, options, context, receive) {
    const stopHeartbeat = asset.method.kind === 'convert' ? startHeartbeat(asset, context) : () => undefined;
    const { connections, maxFileBytes } = context.transfer;
    const response = await send(connections, request, options, chain).finally(stopHeartbeat);
    const lengthHeader = headerValue(response.headers['content-length']) ?? '';
    const expectedBytes = /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    return receive(response.body, {
        expect: asset.expect,
        maxFileBytes,
        redactor: options.redactor,
        expectedBytes,
        onProgress: progressReporter(asset, expectedBytes, context.ports)
    }).catch((error) => {
        throw describeTimeout(error, options);
    });
}
/** While echo3D converts, a line every so often says the run is still waiting, and for how long. */
function startHeartbeat(asset, context) {
    const { emit, clock } = context.ports;
    const { timeoutMs } = context.transfer;
    const startedAt = clock.now();
    emit({ kind: 'conversion-started', asset, timeoutMs });
    const timer = setInterval(() => {
        emit({ kind: 'conversion-waiting', asset, waitedMs: clock.now() - startedAt });
    }, heartbeatIntervalFor(timeoutMs));
    return () => clearInterval(timer);
}
function progressReporter(asset, totalBytes, ports) {
    const quarters = quarterReporter(asset, totalBytes, ports.emit);
    const { onBytes } = ports;
    if (!onBytes)
        return quarters;
    return bytesSoFar => {
        onBytes(asset, bytesSoFar, totalBytes);
        quarters?.(bytesSoFar);
    };
}
function quarterReporter(asset, totalBytes, emit) {
    if (!totalBytes || totalBytes < PROGRESS_MIN_BYTES)
        return undefined;
    let reportedQuarter = 0;
    return bytesSoFar => {
        const quarter = Math.floor((bytesSoFar / totalBytes) * 4);
        if (quarter <= reportedQuarter || quarter >= 4)
            return;
        reportedQuarter = quarter;
        emit({ kind: 'download-progress', asset, percent: quarter * 25, totalBytes });
    };
}

;// CONCATENATED MODULE: ./src/engine/conversions.ts
// A conversion's answer carries bytes but no storage ID. One more metadata query learns the IDs
// echo3D gave the new files, so that outputs and the lockfile name them and the next run finds
// them in the cache.




/** The files with the storage IDs of conversions filled in, where echo3D tells them. */
async function recordConversions(pulled, context) {
    const { ports } = context;
    const converted = pulled.filter(({ asset }) => asset.method.kind === 'convert');
    if (converted.length === 0)
        return pulled.map(({ file }) => file);
    let entries;
    try {
        const ids = new Set(converted.map(({ asset }) => asset.entryId ?? ''));
        entries = await queryEntries(context.transfer, ports, [...ids]);
    }
    catch (error) {
        ports.emit({ kind: 'conversion-ids-unknown', reason: (0,errors/* errorMessage */.gJ)(error) });
        return pulled.map(({ file }) => file);
    }
    const byId = new Map(entries.map(entry => [entry.id, entry]));
    const files = [];
    for (const { asset, file } of pulled) {
        const storageId = convertedStorageId(asset, byId);
        if (!storageId) {
            files.push(file);
            continue;
        }
        const filePath = external_node_path_default().join(context.disk.destination, asset.relativePath);
        // An optimised file is not what echo3D holds under the storage ID: the cache keeps only that.
        if (!file.optimized)
            await storeInCache(storageId, filePath, file, ports);
        files.push({ ...file, storageId });
    }
    return files;
}
function convertedStorageId(asset, entries) {
    if (asset.method.kind !== 'convert')
        return undefined;
    return entries.get(asset.method.entryId)?.derived[asset.method.format]?.storageId;
}

;// CONCATENATED MODULE: ./src/engine/text-file.ts
// Small files the tools write into the workspace (the lockfile, a starter configuration, a preview):
// through real folders only, by renaming a new file into place, so a link planted where the file
// or a folder goes is replaced or refused, never followed.




async function writeWorkspaceText(workspace, absolutePath, text) {
    await new WorkspaceFolders(workspace).make(external_node_path_default().dirname(absolutePath));
    const temporary = newPartialPath(external_node_path_default().dirname(absolutePath));
    try {
        await (0,promises_.writeFile)(temporary, text, { flag: 'wx' });
        await replaceFile(temporary, absolutePath);
    }
    catch (error) {
        await (0,promises_.unlink)(temporary).catch(() => undefined);
        throw error;
    }
    finally {
        settled(temporary);
    }
}

;// CONCATENATED MODULE: ./src/engine/lockfile.ts
// The lockfile records which server version of each file the repository holds. It is written
// deterministically (sorted, fixed key order, no timestamps), so an unchanged collection rewrites
// it byte for byte and it never causes a commit by itself.









const LOCKFILE_VERSION = 1;
/** Folders below the destination that a record may name: more than any file-name template makes. */
const MAX_DEPTH = 16;
/** About 60,000 files' records: a larger lockfile was not written by this action. */
const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;
/** Reads and checks every field; a lockfile that fails any check is not trusted at all. */
function parseLockfile(text, destination) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        throw new errors/* LockfileError */.g('it is not valid JSON');
    }
    const document = data;
    if (typeof document !== 'object' || document === null || document.version !== LOCKFILE_VERSION) {
        throw new errors/* LockfileError */.g(`it is not a version ${LOCKFILE_VERSION} echo3D lockfile`);
    }
    if (!Array.isArray(document.files))
        throw new errors/* LockfileError */.g('it has no `files` list');
    const seen = new Set();
    return document.files.map((raw, index) => {
        const file = checkRecord(raw, index, destination);
        if (seen.has(file.path))
            throw new errors/* LockfileError */.g(`it lists ${quoted(file.path)} twice`);
        seen.add(file.path);
        return file;
    });
}
/** A lockfile from a pull request may hold a path of megabytes: its message quotes the start. */
const MAX_QUOTED_PATH_CHARACTERS = 200;
function quoted(filePath) {
    return (0,src_escape/* clipped */.cz)(filePath, MAX_QUOTED_PATH_CHARACTERS);
}
function checkRecord(raw, index, destination) {
    if (!isRecord(raw))
        throw new errors/* LockfileError */.g(`entry ${index + 1} is incomplete or malformed`);
    if (!couldHaveWritten(destination, raw.path)) {
        throw new errors/* LockfileError */.g(`entry ${index + 1} points outside the destination folder: ${quoted(raw.path)}`);
    }
    if (raw.model !== undefined && !isModelStats(raw.model)) {
        throw new errors/* LockfileError */.g(`entry ${index + 1} has model statistics that are not numbers`);
    }
    if (raw.optimized !== undefined && !isOptimization(raw.optimized)) {
        throw new errors/* LockfileError */.g(`entry ${index + 1} has an \`optimized\` record that is not a source's size and hash with settings`);
    }
    return inRecordOrder(raw);
}
/** Settings this version of the action writes; any other was not written by it. */
function isOptimization(raw) {
    const { source, settings } = (raw ?? {});
    const content = source;
    const given = (settings ?? {});
    const isWhole = (value, min, max) => Number.isSafeInteger(value) && value >= min && value <= max;
    return (typeof content === 'object' &&
        content !== null &&
        isWhole(content.bytes, 0, Number.MAX_SAFE_INTEGER) &&
        typeof content.sha256 === 'string' &&
        SHA256.test(content.sha256) &&
        (content.model === undefined || isModelStats(content.model)) &&
        OPTIMIZE_GEOMETRY.includes(given.geometry) &&
        OPTIMIZE_TEXTURES.includes(given.textures) &&
        isWhole(given.textureSize, 1, MAX_TEXTURE_SIZE) &&
        isWhole(given.textureQuality, 0, 100) &&
        (given.simplify === undefined || isShare(given.simplify)));
}
function isShare(value) {
    return typeof value === 'number' && value > 0 && value < 1;
}
/** The record in a fixed key order, so that the same settings write the same bytes. */
function optimizationInOrder({ source, settings }) {
    return {
        source: {
            bytes: source.bytes,
            sha256: source.sha256,
            ...(source.model ? { model: modelInOrder(source.model) } : {})
        },
        settings: {
            geometry: settings.geometry,
            textures: settings.textures,
            textureSize: settings.textureSize,
            textureQuality: settings.textureQuality,
            ...(settings.simplify === undefined ? {} : { simplify: settings.simplify })
        }
    };
}
const COUNT_KEYS = [
    'triangles',
    'vertices',
    'meshes',
    'materials',
    'textures',
    'textureBytes',
    'animations',
    'packedFiles'
];
function isModelStats(raw) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return false;
    const stats = raw;
    const isCount = (value) => value === undefined || (Number.isSafeInteger(value) && value >= 0);
    const isTuple = (value, length) => value === undefined ||
        (Array.isArray(value) &&
            value.length === length &&
            value.every(item => Number.isFinite(item) && item >= 0));
    return (COUNT_KEYS.every(key => isCount(stats[key])) &&
        isTuple(stats.largestTexture, 2) &&
        isTuple(stats.size, 3) &&
        isNameList(stats.extensions, /^[A-Za-z0-9_]{1,64}$/) &&
        isNameList(stats.textureFormats, TEXTURE_FORMAT_NAME));
}
/** A short list of names that are safe to show as they are. */
function isNameList(value, name) {
    return (value === undefined ||
        (Array.isArray(value) &&
            value.length <= 32 &&
            value.every(item => typeof item === 'string' && name.test(item))));
}
/** The order the lockfile writes statistics in, so that the same model writes the same bytes. */
const MODEL_KEY_ORDER = [
    'triangles',
    'vertices',
    'meshes',
    'materials',
    'textures',
    'largestTexture',
    'textureBytes',
    'textureFormats',
    'animations',
    'size',
    'extensions',
    'packedFiles'
];
/** The statistics in a fixed key order, without keys the action does not write. */
function modelInOrder(stats) {
    const entries = MODEL_KEY_ORDER.filter(key => stats[key] !== undefined).map(key => [
        key,
        stats[key]
    ]);
    return Object.fromEntries(entries);
}
function isRecord(raw) {
    const file = raw;
    return (typeof file === 'object' &&
        file !== null &&
        typeof file.path === 'string' &&
        (file.entry === null || typeof file.entry === 'string') &&
        typeof file.format === 'string' &&
        (file.storageId === null || typeof file.storageId === 'string') &&
        Number.isSafeInteger(file.bytes) &&
        file.bytes >= 0 &&
        typeof file.sha256 === 'string' &&
        SHA256.test(file.sha256));
}
/**
 * `destination` is workspace-relative too. A recorded path must lie below it, and each of its
 * names below it must be one the action could have written: a name that sanitising would change
 * (`..`, a backslash, a drive letter, a Windows device name, a leading dot as in `.git`) was not.
 */
function couldHaveWritten(destination, filePath) {
    const prefix = destination === '' ? '' : `${destination}/`;
    if (!filePath.startsWith(prefix))
        return false;
    const names = filePath.slice(prefix.length).split('/');
    if (names.length > MAX_DEPTH)
        return false;
    return names.every(name => name !== '' && isPlainName(name));
}
/**
 * Just the recorded fields, in the file's order: whatever else a record carries (a pulled file's
 * source, say) is left out. The return type makes a field added to FileRecord fail to compile here.
 */
function inRecordOrder(file) {
    return {
        path: file.path,
        entry: file.entry,
        format: file.format,
        storageId: file.storageId,
        bytes: file.bytes,
        sha256: file.sha256,
        ...(file.model ? { model: modelInOrder(file.model) } : {}),
        ...(file.optimized ? { optimized: optimizationInOrder(file.optimized) } : {})
    };
}
function serializeLockfile(files) {
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const document = { version: LOCKFILE_VERSION, files: sorted.map(inRecordOrder) };
    return `${JSON.stringify(document, null, 2)}\n`;
}
/**
 * The lockfile after this run: what was written now, plus what earlier runs recorded and this run
 * left alone, minus what was pruned. Pure.
 */
function mergeLockfile(previous, written, pruned) {
    const byPath = new Map(previous.filter(file => !pruned.has(file.path)).map(file => [file.path, file]));
    for (const file of written)
        byPath.set(file.path, file);
    return [...byPath.values()];
}
/**
 * A missing lockfile is an empty one; a corrupt or oversized one is ignored, so the run pulls in
 * full. One reached through a link is refused (WorkspaceBoundaryError).
 */
async function readLockfile(workspace, absolutePath, destination) {
    try {
        const text = await readText(workspace, absolutePath);
        return { records: text === undefined ? [] : parseLockfile(text, destination) };
    }
    catch (error) {
        if (!(error instanceof errors/* LockfileError */.g))
            throw error;
        return { records: [], ignored: error.message };
    }
}
/** The file's text, read no further than the lockfile's size limit; undefined when missing. */
function readText(workspace, absolutePath) {
    return readWorkspaceText(workspace, absolutePath, MAX_LOCKFILE_BYTES, () => new errors/* LockfileError */.g(`it is larger than ${(0,quantities/* formatBytes */.z3)(MAX_LOCKFILE_BYTES)}`));
}
/** Far longer than reading any lockfile takes: a disk that stalls is not waited on for ever. */
const COMPARE_TIMEOUT_MS = 60_000;
/**
 * Written beside itself and renamed into place, like every asset; left untouched when its content
 * would not change, and not created for a run that wrote nothing. The file on disk is compared by
 * its size and hash, read in pieces: a lockfile of thousands of records is not held in memory a
 * second time.
 */
async function writeLockfile(workspace, absolutePath, files) {
    const text = serializeLockfile(files);
    const onDisk = await hashFile(new WorkspaceFolders(workspace), absolutePath, {
        maxBytes: Buffer.byteLength(text),
        timeoutMs: COMPARE_TIMEOUT_MS
    }).catch(() => undefined);
    if (onDisk === undefined && files.length === 0)
        return;
    if (onDisk && holds(onDisk, text))
        return;
    await writeWorkspaceText(workspace, absolutePath, text);
}
function holds(onDisk, text) {
    return (onDisk.bytes === Buffer.byteLength(text) &&
        onDisk.sha256 === (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex'));
}

;// CONCATENATED MODULE: ./src/engine/ports.ts
// What the engine asks of the program that runs it: where its events go, a cache, what keeps the
// credentials out of a server's quoted words, and the time. The action and the command-line
// program each pass their own; the engine's tests pass a clock whose waits cost no real time.
const SYSTEM_CLOCK = {
    now: () => Date.now(),
    sleep: milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds))
};
const NO_CACHE = {
    find: () => Promise.resolve(undefined),
    store: () => Promise.resolve(),
    finish: () => Promise.resolve()
};

;// CONCATENATED MODULE: ./src/engine/prune.ts
// Deleting what earlier runs wrote and the current selection no longer includes. Only files the
// lockfile records are candidates, and only regular files reached through real folders inside the
// workspace are deleted; nothing else in the folder is ever touched.






/**
 * What earlier runs wrote and the current selection no longer includes. Paths are compared as
 * macOS and Windows compare them, without case and in one Unicode form: there `Robot.glb` and
 * `robot.glb` are one file, and pruning the old name would delete the file just pulled. Pure.
 */
function pruneCandidates(previous, selectedPaths) {
    const selected = new Set([...selectedPaths].map(naming_sameFileKey));
    return previous.filter(file => !selected.has(naming_sameFileKey(file.path)));
}
/**
 * A candidate may be deleted only when it is still, byte for byte, the file the lockfile records,
 * and its bytes are the recorded format, from signature to container: a lockfile from a pull
 * request may name any file beside the models, with its hash, and must not be able to delete it.
 * A file whose format the action cannot check from its bytes is never deleted; once it is gone,
 * its record goes.
 */
async function judgeCandidate(file, scope) {
    const kind = recordedKind(file);
    try {
        const read = await readAgainstRecord(candidatePath(file, scope), file, kind, scope);
        if (read === 'missing')
            return { kind: 'already-gone' };
        if (!kind)
            return { kind: 'kept', reason: UNCHECKABLE };
        if (read === 'differs')
            return { kind: 'kept', reason: 'it changed since the action wrote it' };
        return read.problem ? notTheRecordedFormat(kind) : { kind: 'deletable' };
    }
    catch (error) {
        if (error instanceof errors/* VerificationError */.mk && kind)
            return notTheRecordedFormat(kind);
        if (!(error instanceof errors/* ExplainedError */.hM))
            throw error;
        return { kind: 'kept', reason: error.message };
    }
}
/** The candidate deleted when judgeCandidate allows it. */
async function pruneFile(file, scope) {
    const verdict = await judgeCandidate(file, scope);
    if (verdict.kind !== 'deletable')
        return verdict;
    await (0,promises_.unlink)(candidatePath(file, scope));
    return { kind: 'deleted' };
}
function candidatePath(file, scope) {
    return external_node_path_default().join(scope.folders.workspace, file.path);
}
const UNCHECKABLE = 'the action cannot tell from its bytes that it wrote it (not a format it checks); delete it by hand if it is no longer needed';
/** The format the record names, as an extension, or else the one the file's name says. */
function recordedKind(file) {
    const format = parseRequestedFormat(file.format);
    if (format && format !== 'original')
        return format;
    return kindOfFileName(`file.${file.format}`) ?? kindOfFileName(file.path);
}
function notTheRecordedFormat(kind) {
    return { kind: 'kept', reason: `it is not a ${kind.toUpperCase()} file, as the lockfile records` };
}

;// CONCATENATED MODULE: ./src/engine/shard.ts
// Sharding: each job of a matrix takes a stable, balanced part of the selection. An entry's shard
// comes from a hash of its ID, not from its place in a list, so an entry stays in its shard as the
// catalogue grows; every file of an entry (each format, an OBJ's material and textures) goes with
// it. A file fetched by storage ID goes by that ID.


/** The shard, from 1 to `count`, that the key belongs to. */
function shardOf(key, count) {
    const digest = (0,external_node_crypto_.createHash)('sha256').update(key).digest();
    return (digest.readUInt32BE(0) % count) + 1;
}
function isInShard(key, shard) {
    return shard === undefined || shardOf(key, shard.count) === shard.index;
}
/** The key of a lockfile's record: its entry, or for a file fetched as it is, its storage ID. */
function recordKey(record) {
    return record.entry ?? record.storageId ?? record.path;
}
/** The selection's entries and files that belong to the shard; tags are resolved first. */
function selectionInShard(selection, shard) {
    if (!shard)
        return selection;
    return {
        ...selection,
        entries: selection.entries.filter(entry => isInShard(entry.id, shard)),
        files: selection.files.filter(storageId => isInShard(storageId, shard))
    };
}
/** The records that belong to the shard. */
function recordsInShard(records, shard) {
    return records.filter(record => isInShard(recordKey(record), shard));
}
/**
 * A lockfile for a branch that other shards write to as well: their records as the branch has
 * them, and this shard's as this run wrote them. A path that both hold (compared without case, as
 * macOS and Windows do) is a conflict: one file cannot be two entries. Pure.
 */
function mergeShardRecords(onBranch, fromThisRun, shard) {
    const ours = recordsInShard(fromThisRun, shard);
    const oursByPath = new Map(ours.map(record => [sameFileKey(record.path), record]));
    const others = [];
    const conflicts = [];
    for (const record of onBranch) {
        if (isInShard(recordKey(record), shard))
            continue;
        const mine = oursByPath.get(sameFileKey(record.path));
        if (mine)
            conflicts.push({ path: mine.path, ours: recordKey(mine), theirs: recordKey(record) });
        else
            others.push(record);
    }
    return { records: [...others, ...ours], conflicts };
}

;// CONCATENATED MODULE: ./src/engine/resolve.ts
// Asks echo3D for the selected entries' metadata (one query per batch), then plans every file.





async function resolvePlan(request, session, ports) {
    const { emit } = ports;
    const selection = selectionInShard(request.selection, request.shard);
    const { known, taggedEntries, unmatchedTags } = await queryMetadata(selection, session, ports);
    const plan = planAssets({
        entries: selection.entries,
        taggedEntries: taggedEntries.filter(entry => isInShard(entry.id, request.shard)),
        known,
        files: selection.files,
        defaultFormats: selection.defaultFormats,
        convertMissing: request.convertMissing,
        fileNameTemplate: request.fileNameTemplate,
        destination: request.destination,
        workspace: request.workspace,
        reserved: request.lockfile &&
            external_node_path_default().relative(request.destination, request.lockfile).split((external_node_path_default()).sep).join('/')
    });
    if (request.shard) {
        const entries = new Set(plan.assets.map(asset => asset.entryId ?? asset.path)).size;
        emit({ kind: 'shard-selected', shard: request.shard, entries });
    }
    for (const asset of plan.assets)
        emit({ kind: 'planned', asset });
    const conversions = plan.assets.filter(asset => asset.method.kind === 'convert').length;
    emit({ kind: 'plan-ready', files: plan.assets.length, conversions });
    return unmatchedTags.length > 0 ? { ...plan, unmatchedTags } : plan;
}
async function queryMetadata(selection, session, ports) {
    const known = new Map();
    let taggedEntries = [];
    let unmatchedTags = [];
    try {
        if (selection.entries.length > 0) {
            const ids = selection.entries.map(entry => entry.id);
            for (const entry of await queryEntries(session, ports, ids))
                known.set(entry.id, entry);
        }
        if (selection.tags.length > 0) {
            taggedEntries = await queryTags(session, ports, selection.tags);
            for (const entry of taggedEntries)
                known.set(entry.id, entry);
            unmatchedTags = tagsNoEntryHas(selection.tags, taggedEntries);
            const entries = taggedEntries.length;
            ports.emit({ kind: 'tags-selected', tags: selection.tags, entries, unmatched: unmatchedTags });
        }
    }
    catch (error) {
        throw metadataQueryFailed(error);
    }
    return { known, taggedEntries, unmatchedTags };
}
/**
 * The tags that none of the entries echo3D returned has. Compared without case, so that a tag is
 * called unmatched only when echo3D cannot have matched it, whatever its own rule for case.
 */
function tagsNoEntryHas(tags, entries) {
    const held = new Set(entries.flatMap(entry => entry.tags.map(tag => tag.toLowerCase())));
    return tags.filter(tag => !held.has(tag.toLowerCase()));
}

;// CONCATENATED MODULE: ./src/engine/unity/meta-text.ts
// The text of the `.meta` files the action writes, and the GUID read from one. Pure.
//
// A GUID is 128 bits of the SHA-256 of the project-relative path: every runner, shard and laptop
// gives a file the same GUID, and a model that changes in echo3D keeps its path, so its GUID, so
// the scenes and prefabs that refer to it. Unity writes its GUIDs as 32 lower-case hex digits.

/** Keeps the action's GUIDs apart from any other scheme that hashes paths. */
const GUID_NAMESPACE = 'echo3d-assets/unity-meta/v1\0';
/** The GUID of the file or folder at this path, relative to the project, with `/` separators. */
function guidFor(projectPath) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(GUID_NAMESPACE + projectPath.normalize('NFC'))
        .digest('hex')
        .slice(0, 32);
}
/**
 * A file's `.meta`: the version and the GUID, and nothing for an importer, since which importer
 * reads a GLB depends on the project's packages. Unity adds its importer's settings on import.
 */
function fileMetaText(guid) {
    return `fileFormatVersion: 2\nguid: ${guid}\n`;
}
/** A folder's `.meta`, as Unity writes it: with it, Unity has nothing to add. */
function folderMetaText(guid) {
    return [
        'fileFormatVersion: 2',
        `guid: ${guid}`,
        'folderAsset: yes',
        'DefaultImporter:',
        '  externalObjects: {}',
        '  userData: ',
        '  assetBundleName: ',
        '  assetBundleVariant: ',
        ''
    ].join('\n');
}
/** The GUID a `.meta` holds, as Unity reads it; undefined when it holds none. */
function guidOf(metaText) {
    return /^guid: ?([0-9a-fA-F]{32})[ \t\r]*$/m.exec(metaText)?.[1]?.toLowerCase();
}

;// CONCATENATED MODULE: ./src/engine/unity/metas.ts
// The `.meta` files of a Unity project: one beside every file the action is responsible for under
// Assets/ and every folder between, written where there is none; kept, byte for byte, where there
// is one (Unity's importer settings, tuned by a person, live there); moved along with a model that
// moved; deleted with a pruned model, and with a folder of the action's that prune emptied (in a
// shard too: a folder another shard fills meanwhile gets its `.meta` again on the next run). Every
// write goes through real folders, into a new file that never replaces one: the rules of the asset
// writer. A `.meta` beside a record that prune found already gone is touched only when it is
// exactly what the action wrote: a lockfile from a pull request may record any path.







/** Unity's `.meta` files are a few KB; a model's importer settings stay well under this. */
const MAX_META_BYTES = 1024 * 1024;
/** Other GUIDs tried for a path whose own is taken (by a `.meta` that moved away from it). */
const MAX_GUID_TRIES = 16;
async function syncMetas(scope, run) {
    const metas = new MetaWriter(scope);
    const changes = { written: [], kept: [], removed: [] };
    // The GUIDs the recorded files' `.meta` held before the run, every shard's, are taken: whatever
    // this run or another shard prunes, every shard sees the same ones. Prune moves and deletes
    // `.meta` files, so they are read before it; otherwise only when a new one is to be written.
    const before = run.pruned.length > 0 ? await metas.readBeside(run.previous) : undefined;
    await metas.followPruned(run, changes);
    const moved = new Set(changes.written.map(meta => meta.path));
    const items = (await itemsNeedingMetas(scope, run.files)).filter(item => !moved.has(workspaceRelative(scope.workspace, item.metaPath)));
    const missing = [];
    for (const item of items) {
        const existing = await metas.read(item.metaPath);
        if (existing)
            changes.kept.push(existing.meta);
        else
            missing.push(item);
    }
    if (missing.length === 0)
        return changes;
    const read = new Set(changes.kept.map(meta => meta.path));
    const unread = run.previous.filter(file => !read.has(`${file.path}.meta`));
    const recorded = before ?? (await metas.readBeside(unread));
    const guids = new GuidRegister([...changes.kept, ...changes.written, ...recorded]);
    for (const item of missing) {
        const written = await metas.create(item, guids);
        (written.created ? changes.written : changes.kept).push(written.meta);
    }
    return changes;
}
/** `mode: check`: the `.meta` files that are not there, where a pull would write them. */
async function findMissingMetas(scope, files) {
    const metas = new MetaWriter(scope);
    const byTarget = new Map(files.map(file => [external_node_path_default().join(scope.workspace, file.path), file]));
    const missing = [];
    for (const item of await itemsNeedingMetas(scope, files)) {
        if (await metas.read(item.metaPath))
            continue;
        const file = item.folder ? undefined : byTarget.get(item.target);
        missing.push({ path: workspaceRelative(scope.workspace, item.metaPath), file });
    }
    return missing;
}
/** `prune --dry-run`: the `.meta` files that prune would take along with these files. */
function metasPruneWouldTake(scope, files) {
    return new MetaWriter(scope).wouldTake(files);
}
/**
 * The files under Assets/ that are on disk, and every folder between Assets and them, sorted by
 * path. Unity ignores what ends in `~`, and gives it no `.meta`.
 */
async function itemsNeedingMetas(scope, files) {
    const { assets } = scope.project;
    const items = new Map();
    const add = (target, folder) => items.set(target, { target, metaPath: `${target}.meta`, folder });
    const folders = new WorkspaceFolders(scope.workspace);
    for (const file of files) {
        const target = external_node_path_default().join(scope.workspace, file.path);
        if (!isBelow(assets, target) || isIgnoredByUnity(assets, target))
            continue;
        if (!(await isFileInRealFolders(folders, target)))
            continue;
        add(target, false);
        for (let folder = external_node_path_default().dirname(target); isBelow(assets, folder); folder = external_node_path_default().dirname(folder))
            add(folder, true);
    }
    return [...items.values()].sort((a, b) => (a.target < b.target ? -1 : 1));
}
/**
 * A regular file reached through real folders only. The folders are looked at first: a look
 * through a link would tell a pull request's log whether a file outside the workspace exists.
 */
async function isFileInRealFolders(folders, target) {
    try {
        await folders.check(external_node_path_default().dirname(target));
    }
    catch (error) {
        if (error instanceof errors/* WorkspaceBoundaryError */.Q2)
            return false;
        throw error;
    }
    return (await (0,promises_.lstat)(target).catch(() => undefined))?.isFile() === true;
}
/** The same text, whatever its line endings: a checkout on Windows may turn them into CRLF. */
function sameText(text, expected) {
    return text?.replace(/\r\n/g, '\n') === expected;
}
function isIgnoredByUnity(assets, target) {
    return external_node_path_default().relative(assets, target)
        .split((external_node_path_default()).sep)
        .some(name => name.endsWith('~'));
}
/** The GUIDs seen in the run, and which `.meta` holds each: a new one must match none. */
class GuidRegister {
    owners = new Map();
    constructor(metas) {
        for (const meta of metas)
            this.hold(meta);
    }
    hold(meta) {
        if (meta.guid && !this.owners.has(meta.guid))
            this.owners.set(meta.guid, meta.path);
    }
    /**
     * The path's own GUID; where another `.meta` holds it (one that moved away from this path with
     * its model), the next of the path's others, the same on every runner for the same project.
     */
    claim(projectPath, metaPath) {
        for (let attempt = 0; attempt < MAX_GUID_TRIES; attempt++) {
            const guid = guidFor(attempt === 0 ? projectPath : `${projectPath}\0${attempt}`);
            const owner = this.owners.get(guid);
            if (owner !== undefined && owner !== metaPath)
                continue;
            this.owners.set(guid, metaPath);
            return guid;
        }
        throw new errors/* UnityMetaError */.r2(`Every GUID the action would give ${metaPath} is held by another .meta in the project: nothing was written for it`);
    }
}
class MetaWriter {
    scope;
    folders;
    constructor(scope) {
        this.scope = scope;
        this.folders = new WorkspaceFolders(scope.workspace);
    }
    relative(absolute) {
        return workspaceRelative(this.scope.workspace, absolute);
    }
    projectPath(absolute) {
        return external_node_path_default().relative(this.scope.project.root, absolute).split((external_node_path_default()).sep).join('/');
    }
    /** A `.meta` already in place, with its text and GUID where it is a regular file that holds one. */
    async read(metaPath) {
        await this.folders.check(external_node_path_default().dirname(metaPath));
        const stats = await (0,promises_.lstat)(metaPath).catch(() => undefined);
        if (!stats)
            return undefined;
        const meta = { path: this.relative(metaPath) };
        if (!stats.isFile() || stats.size > MAX_META_BYTES)
            return { meta };
        // Unreadable (it grew, or became a link, since the look): kept all the same, GUID unknown.
        const text = await readWorkspaceText(this.scope.workspace, metaPath, MAX_META_BYTES, () => new errors/* UnityMetaError */.r2(`${meta.path} is larger than a .meta file`)).catch(() => undefined);
        const guid = text === undefined ? undefined : guidOf(text);
        return { meta: guid ? { ...meta, guid } : meta, text };
    }
    /** The `.meta` files beside recorded files, where there are some under Assets. */
    async readBeside(files) {
        const metas = [];
        for (const file of files) {
            const metaPath = `${external_node_path_default().join(this.scope.workspace, file.path)}.meta`;
            if (!isBelow(this.scope.project.assets, metaPath))
                continue;
            const existing = await this.read(metaPath).catch(() => undefined);
            if (existing)
                metas.push(existing.meta);
        }
        return metas;
    }
    /**
     * Prune's rule, without its proof: a `.meta` it can read, beside a file on disk (prune deletes
     * the file, and its `.meta`, when the file is the recorded one) or, where the file is already
     * gone, exactly what the action wrote.
     */
    async wouldTake(files) {
        const taken = [];
        for (const file of files) {
            const target = external_node_path_default().join(this.scope.workspace, file.path);
            if (!isBelow(this.scope.project.assets, target))
                continue;
            const existing = await this.read(`${target}.meta`).catch(() => undefined);
            if (existing?.text === undefined)
                continue;
            const onDisk = (await (0,promises_.lstat)(target).catch(() => undefined))?.isFile() === true;
            if (onDisk || sameText(existing.text, this.ownFileMeta(target)))
                taken.push(existing.meta.path);
        }
        return taken;
    }
    /** The text the action writes for the file's `.meta`, with the path's own GUID. */
    ownFileMeta(target) {
        return fileMetaText(guidFor(this.projectPath(target)));
    }
    /** A new `.meta`, unless one appeared meanwhile: that one is kept. */
    async create(item, guids) {
        const metaPath = this.relative(item.metaPath);
        const guid = guids.claim(this.projectPath(item.target), metaPath);
        const meta = { path: metaPath, guid };
        const text = item.folder ? folderMetaText(guid) : fileMetaText(guid);
        if (await this.placeNew(item.metaPath, text))
            return { created: true, meta };
        return { created: false, meta: (await this.read(item.metaPath))?.meta ?? meta };
    }
    /** Writes a new file and puts it in place only where nothing is: never replaces, never follows. */
    async placeNew(target, text) {
        await this.folders.check(external_node_path_default().dirname(target));
        const temporary = newPartialPath(external_node_path_default().dirname(target));
        try {
            await (0,promises_.writeFile)(temporary, text, { flag: 'wx' });
            return await this.linkInPlace(temporary, target);
        }
        finally {
            await (0,promises_.unlink)(temporary).catch(() => undefined);
            settled(temporary);
        }
    }
    /**
     * A hard link fails where anything is in the way, a link included; where the file system has
     * no hard links, the file is renamed into a place that was free a moment before.
     */
    async linkInPlace(from, to) {
        try {
            await (0,promises_.link)(from, to);
            return true;
        }
        catch (error) {
            if (error.code === 'EEXIST')
                return false;
            if (await (0,promises_.lstat)(to).catch(() => undefined))
                return false;
            await replaceFile(from, to);
            return true;
        }
    }
    /**
     * A pruned model's `.meta` moves to the model of the same entry and format now at another path,
     * when that one has none, so that it keeps its GUID; otherwise it is deleted. Folders of the
     * action's that prune emptied below the destination go too, with their `.meta`.
     */
    async followPruned(run, changes) {
        const proven = new Set(run.deleted.map(file => file.path));
        const claimed = new Set();
        for (const gone of run.pruned) {
            const metaPath = `${external_node_path_default().join(this.scope.workspace, gone.path)}.meta`;
            if (!isBelow(this.scope.project.assets, metaPath))
                continue;
            const existing = await this.read(metaPath);
            if (existing?.text === undefined)
                continue;
            const action = this.ownFileMeta(metaPath.slice(0, -'.meta'.length));
            // A deleted model proved to be its record; a record already gone proves nothing.
            const ours = proven.has(gone.path) || sameText(existing.text, action);
            if (!ours)
                continue;
            const heir = await this.heirOf(gone, run.files, claimed);
            if (heir && (await this.move(metaPath, heir))) {
                claimed.add(heir);
                const movedFrom = existing.meta.path;
                changes.written.push({ ...existing.meta, path: this.relative(heir), movedFrom });
                continue;
            }
            await (0,promises_.unlink)(metaPath);
            changes.removed.push(existing.meta.path);
        }
        for (const gone of run.pruned)
            await this.removeEmptied(gone, changes);
    }
    /** The `.meta` path of the file that took a pruned one's place: same entry and format. */
    async heirOf(gone, files, claimed) {
        if (gone.entry === null)
            return undefined;
        for (const file of files) {
            if (file.entry !== gone.entry || file.format !== gone.format)
                continue;
            const metaPath = `${external_node_path_default().join(this.scope.workspace, file.path)}.meta`;
            if (!isBelow(this.scope.project.assets, metaPath) || claimed.has(metaPath))
                continue;
            if (!(await (0,promises_.lstat)(metaPath).catch(() => undefined)))
                return metaPath;
        }
        return undefined;
    }
    async move(from, to) {
        await this.folders.check(external_node_path_default().dirname(to));
        if (!(await this.linkInPlace(from, to)))
            return false;
        // Renamed rather than linked, where the file system has no hard links: nothing left to remove.
        await (0,promises_.unlink)(from).catch((error) => {
            if (error.code !== 'ENOENT')
                throw error;
        });
        return true;
    }
    /**
     * The folders of a pruned file, up to the destination, while prune left them empty and their
     * `.meta` is the one the action gave them (a folder a person made keeps its place).
     */
    async removeEmptied(gone, changes) {
        let folder = external_node_path_default().dirname(external_node_path_default().join(this.scope.workspace, gone.path));
        while (isBelow(this.scope.destination, folder)) {
            await this.folders.check(folder);
            const entries = await (0,promises_.readdir)(folder).catch(() => undefined);
            if (entries === undefined || entries.length > 0)
                return;
            const metaPath = `${folder}.meta`;
            const meta = isInside(this.scope.project.assets, metaPath)
                ? await this.read(metaPath)
                : undefined;
            if (meta && !sameText(meta.text, folderMetaText(guidFor(this.projectPath(folder)))))
                return;
            await (0,promises_.rmdir)(folder);
            if (meta) {
                await (0,promises_.unlink)(metaPath);
                changes.removed.push(meta.meta.path);
            }
            folder = external_node_path_default().dirname(folder);
        }
    }
}

;// CONCATENATED MODULE: ./src/engine/unity/packages.ts
// What a Unity project needs to import the files that arrive, read from Packages/manifest.json:
// a glTF importer for GLB and glTF, the decoders for the compression `optimize` chose, and the
// word that Unity does not import USDZ. Warnings, never failures: the files are right either way.




/** A manifest lists a few dozen packages; a larger file is not one to read. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MANIFEST = 'Packages/manifest.json';
/** glTFast (its old name too) and Khronos' UnityGLTF import GLB and glTF. */
const GLTF_IMPORTERS = ['com.unity.cloud.gltfast', 'com.atteneder.gltfast', 'org.khronos.unitygltf'];
/** The packages both importers use to decode an extension, by the glTF extension. */
const DECODERS = [
    {
        extension: 'EXT_meshopt_compression',
        what: 'meshopt-compressed geometry',
        packages: ['com.unity.meshopt.decompress']
    },
    {
        extension: 'KHR_draco_mesh_compression',
        what: 'Draco-compressed geometry',
        packages: ['com.unity.cloud.draco', 'com.atteneder.draco']
    },
    {
        extension: 'KHR_texture_basisu',
        what: 'KTX textures',
        packages: ['com.unity.cloud.ktx', 'com.atteneder.ktx']
    }
];
/**
 * The project's packages, by name: the manifest's, and those embedded as folders of Packages/,
 * which the manifest does not list. Undefined when it has no manifest the action can read, which
 * the warnings then say.
 */
async function projectPackages(workspace, project) {
    const file = external_node_path_default().join(project.root, ...MANIFEST.split('/'));
    const tooLarge = () => new Error('too large');
    try {
        const text = await readWorkspaceText(workspace, file, MAX_MANIFEST_BYTES, tooLarge);
        const listed = text === undefined ? undefined : packagesOf(text);
        return listed && new Set([...listed, ...(await embeddedPackages(external_node_path_default().dirname(file)))]);
    }
    catch {
        return undefined;
    }
}
/** The folders of Packages/, by name; the links among them are not looked into. */
async function embeddedPackages(folder) {
    const entries = await (0,promises_.readdir)(folder, { withFileTypes: true });
    return entries.filter(entry => entry.isDirectory()).map(entry => entry.name);
}
/** The names under `dependencies`; undefined for text that is not a manifest. Pure. */
function packagesOf(manifestText) {
    try {
        const manifest = JSON.parse(manifestText);
        const dependencies = manifest?.dependencies;
        if (typeof dependencies !== 'object' || dependencies === null)
            return undefined;
        return new Set(Object.keys(dependencies));
    }
    catch {
        return undefined;
    }
}
/** What the packages lack for these files, a sentence each. Pure. */
function importWarnings(packages, files) {
    const has = (names) => names.some(name => packages?.has(name));
    const lacking = packages
        ? `${MANIFEST} names none of`
        : `the project has no readable ${MANIFEST}, so none of`;
    const warnings = [];
    const gltf = files.filter(file => file.format === 'glb' || file.format === 'gltf');
    if (gltf.length > 0 && !has(GLTF_IMPORTERS)) {
        warnings.push(`Unity needs a glTF importer for ${(0,quantities/* plural */.LS)(gltf.length, 'GLB or glTF file')}, and ${lacking} ${GLTF_IMPORTERS.join(', ')}: add com.unity.cloud.gltfast (glTFast) or org.khronos.unitygltf (UnityGLTF) to the project's packages`);
    }
    for (const decoder of DECODERS) {
        const using = files.filter(file => file.model?.extensions?.includes(decoder.extension));
        if (using.length === 0 || has(decoder.packages))
            continue;
        warnings.push(`${(0,quantities/* plural */.LS)(using.length, 'model')} ${using.length === 1 ? 'uses' : 'use'} ${decoder.what} (${decoder.extension}), and ${lacking} ${decoder.packages.join(', ')}: add ${decoder.packages[0]} to the project's packages for Unity to decode it`);
    }
    const usdz = files.filter(file => file.format === 'usdz').length;
    if (usdz > 0) {
        warnings.push(`Unity does not import USDZ files (${(0,quantities/* plural */.LS)(usdz, 'file')}): they serve iOS AR Quick Look. Leave usdz out of \`formats\`, or pull them outside Assets`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/engine/unity/project.ts
// Which Unity project, if any, the run writes into: the folder that holds
// ProjectSettings/ProjectVersion.txt (the workspace itself unless `unity-project` names another),
// when the destination lies in its Assets folder.




const VERSION_FILE = external_node_path_default().join('ProjectSettings', 'ProjectVersion.txt');
async function findUnityProject(workspace, destination, setting) {
    if (setting.kind === 'off')
        return { kind: 'none' };
    const root = setting.kind === 'at' ? setting.folder : workspace;
    if (!(await holdsVersionFile(workspace, root))) {
        if (setting.kind === 'auto')
            return { kind: 'none' };
        throw new errors/* InputError */.dz('unity-project', `'${workspaceRelative(workspace, root) || '.'}' holds no ${VERSION_FILE.split((external_node_path_default()).sep).join('/')}`, "Name the Unity project's folder (the one with Assets and ProjectSettings), relative to the workspace");
    }
    const project = { root, assets: external_node_path_default().join(root, 'Assets') };
    if (isInside(project.assets, destination))
        return { kind: 'found', project };
    const assets = workspaceRelative(workspace, project.assets);
    const where = workspaceRelative(workspace, destination) || '.';
    // On macOS and Windows `assets/echo3d` is Assets/echo3d: the models would land there, unseen.
    const otherCase = isInside(project.assets.toLowerCase(), destination.toLowerCase())
        ? `; it names Assets in another case, which on macOS and Windows puts the models in Assets without their .meta files`
        : '';
    const outside = `\`path\` (${where}) is outside the Unity project's Assets folder${otherCase}`;
    const fix = `Set \`path\` under ${assets}/, such as ${assets}/Models/echo3D`;
    if (setting.kind === 'at')
        throw new errors/* InputError */.dz('unity-project', outside, fix);
    const reason = `${outside}, so no .meta files are written. ${fix}`;
    return { kind: 'outside-assets', project, reason };
}
async function holdsVersionFile(workspace, root) {
    const file = await new WorkspaceFolders(workspace).openFile(external_node_path_default().join(root, VERSION_FILE));
    await file?.close();
    return file !== undefined;
}

;// CONCATENATED MODULE: ./src/engine/unity/index.ts
// Unity projects: found before anything is pulled, so that a wrong `unity-project` fails first;
// after the run, the `.meta` files and what the project needs to import the files.






function lookUpUnityProject(place) {
    return findUnityProject(place.workspace, place.destination, place.unityProject ?? { kind: 'auto' });
}
/**
 * The `.meta` files for the run's files and the lockfile, and for what prune removed; the import
 * warnings for the files that arrived. Undefined outside a Unity project.
 */
async function finishUnityProject(lookup, place, run, emit) {
    if (lookup.kind === 'none')
        return undefined;
    if (lookup.kind === 'outside-assets') {
        emit({ kind: 'unity-outside-assets', reason: lookup.reason });
        return undefined;
    }
    const { project } = lookup;
    const { workspace } = place;
    const scope = scopeOf(project, place);
    const files = [...run.files, ...(await lockfileRecord(place))];
    const changes = await syncMetas(scope, { ...run, files });
    const packages = await projectPackages(workspace, project);
    const report = {
        project: workspaceRelative(workspace, project.root),
        ...changes,
        importWarnings: importWarnings(packages, run.arrived)
    };
    emit({ kind: 'unity-metas', report });
    for (const text of report.importWarnings)
        emit({ kind: 'unity-import-warning', text });
    return report;
}
/**
 * `mode: check`: each `.meta` a pull would write beside the selected files and the lockfile, as a
 * stale item. None outside a Unity project.
 */
async function checkUnityMetas(lookup, place, selected) {
    if (lookup.kind !== 'found')
        return [];
    const scope = scopeOf(lookup.project, place);
    const files = [...selected, ...(await lockfileRecord(place))];
    const missing = await findMissingMetas(scope, files);
    return missing.map(meta => ({
        path: meta.path,
        entry: meta.file?.entry ?? null,
        format: MISSING_META_FORMAT,
        reason: `missing: without it Unity gives the ${meta.file ? 'file' : 'folder'} a new GUID on every machine, and references to it break. A pull writes it`
    }));
}
/**
 * `prune --dry-run`: the `.meta` files prune would remove with the files; undefined outside a Unity
 * project.
 */
async function candidateMetas(lookup, place, candidates) {
    if (lookup.kind !== 'found')
        return undefined;
    return metasPruneWouldTake(scopeOf(lookup.project, place), candidates);
}
function scopeOf(project, place) {
    return { workspace: place.workspace, project, destination: place.destination };
}
/** The lockfile, when the run has one on disk: it lies in Assets too, and gets its `.meta`. */
async function lockfileRecord(place) {
    if (!place.lockfile || !(await (0,promises_.lstat)(place.lockfile).catch(() => undefined)))
        return [];
    return [
        { path: workspaceRelative(place.workspace, place.lockfile), entry: null, format: 'lockfile' }
    ];
}

;// CONCATENATED MODULE: ./src/engine/index.ts
// The engine: resolve, plan, pull, verify, the lockfile, check and prune. It knows nothing of where
// it runs: it takes its options and its ports (events, a cache, the redactor, the clock) and
// returns a report. The action in src/action/ and the command-line program in src/cli/ are the
// adapters around it.



































/** Pulls the selection into the destination, prunes if asked, and writes the lockfile. */
async function pullAssets(options, ports) {
    const previous = await readPreviousLockfile(options, ports.emit);
    const unityLookup = await lookUpUnityProject(options);
    const { plan, files, failures, notes } = await withEcho3d(options, session => pullSelection(options, session, previous, ports));
    const { gone, deleted } = await pruneUnselected(options, previous, plan, failures, ports);
    await updateLockfile(options, previous, files, gone);
    const unity = await finishUnityProject(unityLookup, options, {
        arrived: files.filter(file => file.source !== 'unchanged'),
        files,
        pruned: gone,
        deleted,
        previous
    }, ports.emit);
    await finishCache(files, ports);
    const overBudget = findBudgetBreaches(files, options.budgets);
    return {
        files: withVersionsReplaced(files, previous),
        failures,
        // A record whose file was already gone is only forgotten: a commit must not delete that path
        // on a branch, where nothing proved the file there to be the action's.
        pruned: deleted,
        notes,
        overBudget,
        ...(unity ? { unity } : {})
    };
}
/** The cache keeps what this pull holds; one that cannot save itself never fails the run. */
async function finishCache(files, ports) {
    // The cache holds echo3D's bytes: an optimised file's source.
    const held = files.flatMap(file => {
        const { bytes, sha256 } = file.optimized?.source ?? file;
        return file.storageId === null ? [] : [{ storageId: file.storageId, bytes, sha256 }];
    });
    try {
        await ports.cache.finish(held);
    }
    catch (error) {
        ports.emit({ kind: 'cache-save-failed', reason: (0,errors/* errorMessage */.gJ)(error) });
    }
}
/** Each file that replaced a recorded version carries that version, for the review of changes. */
function withVersionsReplaced(files, previous) {
    const recorded = byPath(previous);
    return files.map(file => {
        const before = recorded.get(file.path);
        if (!before || before.sha256 === file.sha256)
            return file;
        return {
            ...file,
            before: { bytes: before.bytes, ...(before.model ? { model: before.model } : {}) }
        };
    });
}
async function pullSelection(options, session, previous, ports) {
    const plan = await resolveSelection(options, session, ports);
    await removeLeftovers(options, plan, ports.emit);
    const context = pullContext(options, session, previous, ports);
    const pulled = await pullStage(plan, context, options.concurrency);
    const successes = pulled.flatMap(result => ('file' in result ? [result] : []));
    const failures = pulled.flatMap(result => ('failure' in result ? [result.failure] : []));
    const files = await recordConversions(successes, context);
    const notes = [...conversionNotes(context), ...passThroughNotes(plan, options.optimize)];
    return { plan, files, failures: [...plan.failures, ...failures], notes };
}
function conversionNotes(context) {
    const { initial, current } = context.transfer.conversions;
    if (current === initial)
        return [];
    return [
        `echo3D answered conversions with 429 Too Many Requests, so this run lowered the conversions it waits on at once from ${initial} to ${current}. Lower \`conversion-concurrency\` to ${current} to ask for no more than echo3D takes.`
    ];
}
/** With `optimize`, the models of other formats than GLB and glTF are written as echo3D serves them. */
function passThroughNotes(plan, optimize) {
    const formats = plan.assets.flatMap(asset => asset.expect &&
        isAssetFormat(asset.expect) &&
        optimizationAskedFor(asset, optimize) &&
        !isOptimizableKind(asset.expect)
        ? [asset.expect.toUpperCase()]
        : []);
    if (formats.length === 0)
        return [];
    return [
        `\`optimize\` applies to GLB and glTF files; written as echo3D serves them: ${(0,quantities/* plural */.LS)(formats.length, 'model')} (${[...new Set(formats)].join(', ')}).`
    ];
}
/** Which selected files are missing or stale: one metadata query, no transfer, nothing written. */
async function checkAssets(options, ports) {
    const previous = await readPreviousLockfile(options, ports.emit);
    const unityLookup = await lookUpUnityProject(options);
    const { plan, stale } = await withEcho3d(options, async (session) => {
        const plan = await resolveSelection(options, session, ports);
        const context = pullContext(options, session, previous, { ...ports, cache: NO_CACHE });
        const compareServed = options.verify === 'content' ? servedComparison(context) : undefined;
        const stale = await findStaleAssets(plan.assets, context.disk, options.concurrency, compareServed);
        return { plan, stale };
    });
    const selected = plan.assets.map(asset => ({ ...asset, entry: asset.entryId }));
    stale.push(...(await checkUnityMetas(unityLookup, options, selected)));
    for (const asset of stale)
        ports.emit({ kind: 'stale', stale: asset });
    if (stale.length === 0 && plan.failures.length === 0) {
        ports.emit({ kind: 'up-to-date', files: plan.assets.length });
    }
    const selectedPaths = new Set(plan.assets.map(asset => asset.path));
    const recorded = previous.filter(record => selectedPaths.has(record.path));
    const overBudget = findBudgetBreaches(recorded, options.budgets);
    return { selected: plan.assets.length, stale, failures: plan.failures, overBudget };
}
async function readPreviousLockfile(options, emit) {
    if (!options.lockfile)
        return [];
    const destination = workspaceRelative(options.workspace, options.destination);
    const previous = await readLockfile(options.workspace, options.lockfile, destination);
    if (previous.ignored !== undefined) {
        const lockfilePath = workspaceRelative(options.workspace, options.lockfile);
        emit({ kind: 'lockfile-ignored', path: lockfilePath, reason: previous.ignored });
    }
    return previous.records;
}
/**
 * Prunes without pulling: deletes the files the lockfile records that the selection no longer
 * holds, or with `dryRun` only lists them. One metadata query; nothing is transferred.
 */
async function pruneAssets(options, ports, dryRun) {
    const previous = await readPreviousLockfile(options, ports.emit);
    const unityLookup = await lookUpUnityProject(options);
    const plan = await withEcho3d(options, session => resolveSelection(options, session, ports));
    const skipped = pruneSkipped(plan, plan.failures);
    if (skipped) {
        ports.emit(skipped);
        const unmatched = plan.unmatchedTags ? { unmatchedTags: plan.unmatchedTags } : {};
        const none = { candidates: [], pruned: [], kept: [], alreadyGone: [] };
        return { ...none, failures: plan.failures, ...unmatched };
    }
    const candidates = unselectedRecords(options, previous, plan);
    if (dryRun) {
        const { gone, kept, alreadyGone } = await judgeUnselected(candidates, options, ports.redactor);
        const metas = await candidateMetas(unityLookup, options, gone);
        const listed = metas ? { candidateMetas: metas } : {};
        return { candidates, pruned: [], kept, alreadyGone, failures: [], ...listed };
    }
    const { gone, kept, deleted, alreadyGone } = await deleteUnselected(candidates, options, ports);
    await updateLockfile(options, previous, [], gone);
    // The files that stay are the lockfile's others: a pruned model's `.meta` may move to one.
    const stay = previous.filter(record => !gone.includes(record));
    const unity = await finishUnityProject(unityLookup, options, { arrived: [], files: stay, pruned: gone, deleted, previous }, ports.emit);
    const report = { candidates, pruned: deleted, kept, alreadyGone, failures: [] };
    return { ...report, ...(unity ? { unity } : {}) };
}
/** The collection's entries, or those with any of the tags, for choosing what to select. */
async function listCatalog(options, tags, ports) {
    return withEcho3d(options, async (session) => {
        try {
            return catalogEntries(await queryCollection(session, ports, tags));
        }
        catch (error) {
            throw metadataQueryFailed(error);
        }
    });
}
/** One keep-alive connection pool for everything said to echo3D in this run. */
async function withEcho3d(options, work) {
    const connections = new Connections(options.concurrency + options.conversionConcurrency, options.proxy);
    const session = {
        client: new Echo3dClient(options.apiUrl, options.credentials),
        connections,
        retries: options.retries,
        timeoutMs: options.timeoutMs
    };
    try {
        return await work(session);
    }
    finally {
        await connections.close();
    }
}
async function resolveSelection(options, session, ports) {
    ports.emit({ kind: 'stage-started', stage: 'resolving' });
    try {
        return await resolvePlan(options, session, ports);
    }
    finally {
        ports.emit({ kind: 'stage-ended' });
    }
}
/** Partial files that a cancelled or killed run left where this run writes. */
async function removeLeftovers(options, plan, emit) {
    const folders = plan.assets.map(asset => external_node_path_default().dirname(external_node_path_default().join(options.destination, asset.relativePath)));
    const count = await removeStalePartials(options.workspace, [options.destination, ...folders]);
    if (count > 0)
        emit({ kind: 'partials-removed', count });
}
function pullContext(options, session, previous, ports) {
    return {
        transfer: {
            ...session,
            maxFileBytes: options.maxFileBytes,
            conversions: new AdjustableLimit(options.conversionConcurrency)
        },
        disk: {
            folders: new WorkspaceFolders(options.workspace),
            destination: options.destination,
            locked: byPath(previous),
            recorded: contentByStorageId(previous),
            timeoutMs: options.timeoutMs,
            redactor: ports.redactor,
            verify: options.verify,
            ...(options.optimize ? { optimize: options.optimize } : {}),
            inspections: { models: 0, statisticsMs: 0, validated: 0, validationMs: 0 }
        },
        ports
    };
}
async function pullStage(plan, context, concurrency) {
    const { emit } = context.ports;
    emit({ kind: 'stage-started', stage: 'pulling', files: plan.assets.length });
    try {
        const results = await pullPlanned(plan.assets, context, concurrency);
        const unchanged = results.filter(result => 'file' in result && result.file.source === 'unchanged');
        if (unchanged.length > 0)
            emit({ kind: 'unchanged-total', files: unchanged.length });
        reportInspections(context);
        return results;
    }
    finally {
        emit({ kind: 'stage-ended' });
    }
}
/** One line for what reading the models took, apart from the transfers. */
function reportInspections(context) {
    const { models, statisticsMs, validated, validationMs } = context.disk.inspections;
    if (models === 0)
        return;
    context.ports.emit({
        kind: 'models-inspected',
        models,
        statisticsMs: Math.round(statisticsMs),
        validated,
        validationMs: Math.round(validationMs)
    });
}
/**
 * Prunes only when the selection is known for sure (see pruneSkipped): a failed entry's files stay
 * where they are until a run can tell that they are no longer wanted. Returns the records of the
 * files now gone.
 */
async function pruneUnselected(options, previous, plan, failures, ports) {
    const none = { gone: [], deleted: [], kept: [], alreadyGone: [] };
    if (!options.prune)
        return none;
    const skipped = pruneSkipped(plan, failures);
    if (skipped) {
        ports.emit(skipped);
        return none;
    }
    const candidates = unselectedRecords(options, previous, plan);
    return deleteUnselected(candidates, options, ports);
}
/**
 * Why nothing may be pruned, when the selection is not known for sure: a failed entry, or a tag
 * that selected nothing (mistyped, say), would make every file it stands for look unselected.
 */
function pruneSkipped(plan, failures) {
    if (failures.length > 0)
        return { kind: 'prune-skipped' };
    if (plan.unmatchedTags)
        return { kind: 'prune-skipped', unmatchedTags: plan.unmatchedTags };
    return undefined;
}
/** What the lockfile records of this shard and the plan no longer holds, sorted by path. */
function unselectedRecords(options, previous, plan) {
    const selected = new Set(plan.assets.map(asset => asset.path));
    // Another shard's files are that shard's to prune.
    const ours = recordsInShard(previous, options.shard);
    return pruneCandidates(ours, selected).sort((a, b) => (a.path < b.path ? -1 : 1));
}
async function deleteUnselected(candidates, options, { emit, redactor }) {
    const deletion = { gone: [], deleted: [], kept: [], alreadyGone: [] };
    const scope = pruneScope(options, redactor);
    for (const file of candidates) {
        const verdict = await pruneFile(file, scope);
        if (verdict.kind === 'kept') {
            emit({ kind: 'prune-kept', path: file.path, reason: verdict.reason });
            deletion.kept.push({ path: file.path, reason: verdict.reason });
            continue;
        }
        if (verdict.kind === 'deleted') {
            emit({ kind: 'pruned', path: file.path });
            deletion.deleted.push(file);
        }
        else {
            deletion.alreadyGone.push(file.path);
        }
        deletion.gone.push(file);
    }
    return deletion;
}
/** A dry run: which candidates prune would delete (or forget, as already gone), and which keep. */
async function judgeUnselected(candidates, options, redactor) {
    const judged = { gone: [], kept: [], alreadyGone: [] };
    const scope = pruneScope(options, redactor);
    for (const file of candidates) {
        const verdict = await judgeCandidate(file, scope);
        if (verdict.kind === 'kept')
            judged.kept.push({ path: file.path, reason: verdict.reason });
        else
            judged.gone.push(file);
        if (verdict.kind === 'already-gone')
            judged.alreadyGone.push(file.path);
    }
    return judged;
}
function pruneScope(options, redactor) {
    return {
        folders: new WorkspaceFolders(options.workspace),
        timeoutMs: options.timeoutMs,
        redactor
    };
}
async function updateLockfile(options, previous, files, pruned) {
    if (!options.lockfile)
        return;
    const prunedPaths = new Set(pruned.map(file => file.path));
    await writeLockfile(options.workspace, options.lockfile, mergeLockfile(previous, files, prunedPaths));
}
/** Check mode with `verify: content`: a file is up to date only if echo3D serves the same bytes. */
function servedComparison(context) {
    return async (asset, onDisk) => {
        // An optimised file is compared by the source it was made from.
        const expected = context.disk.locked.get(asset.path)?.optimized?.source ?? onDisk;
        try {
            const served = await fetchServedContent(asset, context);
            if (served.bytes === expected.bytes && served.sha256 === expected.sha256)
                return undefined;
            return 'the file on disk is not what echo3D serves for its storage ID';
        }
        catch (error) {
            const message = explainFailure(error, { kind: 'storage', format: asset.format });
            return `echo3D's copy could not be fetched to compare with: ${message}`;
        }
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/spellings.ts
// The ways a server, a framework or a proxy may write a credential back: each character as it
// is or in another case, percent-encoded (once or twice, in either case, strict or lenient), as
// an HTML entity, as a JSON or JavaScript escape, in full width, with zero-width characters
// between, and with its whitespace collapsed. A mix of these within one echo is as likely as any
// one of them, so a credential is matched character by character rather than as a list of whole
// forms. Base64 is the exception: its characters depend on their neighbours, so its forms are
// listed whole, at each of the three alignments a credential may have inside a longer text.
/** Characters a renderer does not show, which an echo may carry between a credential's own. */
const INVISIBLE = '(?:\\u00AD|[\\u200B-\\u200D]|\\u2060|\\uFEFF)*';
/**
 * JavaScript's `\\s` without U+FEFF, which INVISIBLE matches: no character may match two parts
 * of a pattern that repeat next to each other, or a near miss would cost exponential time.
 */
const WHITESPACE = '[\\t\\n\\v\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const NAMED_ENTITIES = {
    '&': ['&amp;'],
    '<': ['&lt;'],
    '>': ['&gt;'],
    '"': ['&quot;'],
    "'": ['&apos;']
};
const BACKSLASH_ESCAPES = {
    '\t': '\\t',
    '\n': '\\n',
    '\r': '\\r',
    '"': '\\"',
    '\\': '\\\\',
    '/': '\\/'
};
/**
 * A pattern that matches `secret` in any mix of the spellings above; `ignoreCase` for
 * credentials long enough that another word in another case will not match them by chance.
 */
function spellingPattern(secret, ignoreCase) {
    const units = secret.match(/\s+|[^\s]/gu) ?? [];
    const patterns = units.map((unit, index) => {
        if (!/^\s+$/.test(unit))
            return `(?:${characterSpellings(unit, ignoreCase).join('|')})`;
        const atEnd = index === 0 || index === units.length - 1;
        // Collapsed or trimmed by the echo: a run of any length, or none at either end.
        return `(?:${whitespaceSpellings(unit[0]).join('|')})${atEnd ? '*' : '+'}`;
    });
    return new RegExp(patterns.join(INVISIBLE), ignoreCase ? 'gi' : 'g');
}
/**
 * The ways one character is written, no two of which match the same text: where two did, a near
 * miss would cost time exponential in the credential's length. The pattern's own flag matches the
 * character and its full width in either case; the escapes of each case are spelt out, since an
 * echo may change the case and then encode.
 */
function characterSpellings(character, ignoreCase) {
    const cases = ignoreCase ? caseVariants(character) : [character];
    const escapes = new Set(cases.flatMap(escapedSpellings));
    return [escapeForPattern(character), ...fullWidth(character), ...escapes];
}
function caseVariants(character) {
    const variants = [character, character.toLowerCase(), character.toUpperCase()];
    return [...new Set(variants)].filter(variant => [...variant].length === 1);
}
/** Any whitespace, or an escape of a space or of the credential's own whitespace character. */
function whitespaceSpellings(character) {
    return [WHITESPACE, ...new Set([...escapedSpellings(' '), ...escapedSpellings(character)])];
}
function escapedSpellings(character) {
    const spellings = [percentEncoded(character), ...entities(character)];
    spellings.push(...codeUnitEscapes(character));
    if (character === ' ')
        spellings.push('\\+');
    const backslashed = BACKSLASH_ESCAPES[character];
    if (backslashed)
        spellings.push(escapeForPattern(backslashed));
    return spellings;
}
function escapeForPattern(text) {
    return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
function hexDigits(value, width) {
    return value
        .toString(16)
        .padStart(width, '0')
        .replace(/[a-f]/g, digit => `[${digit}${digit.toUpperCase()}]`);
}
/** Each UTF-8 byte as `%XX`, or `%25XX` where the echo encoded the text twice. */
function percentEncoded(character) {
    return [...Buffer.from(character, 'utf8')].map(byte => `%(?:25)?${hexDigits(byte, 2)}`).join('');
}
/** What NFKC folds to ASCII: the full-width forms of the printable characters. */
function fullWidth(character) {
    const code = character.charCodeAt(0);
    if (character.length !== 1 || code < 0x21 || code > 0x7e)
        return [];
    return [String.fromCharCode(code - 0x21 + 0xff01)];
}
function entities(character) {
    const codePoint = character.codePointAt(0) ?? 0;
    return [
        `&#0*${codePoint};`,
        `&#[xX]0*${hexDigits(codePoint, 1)};`,
        ...(NAMED_ENTITIES[character] ?? [])
    ];
}
/** JSON's and JavaScript's `\uXXXX` (per UTF-16 unit), and `\xXX` for one byte. */
function codeUnitEscapes(character) {
    const units = [...Array(character.length).keys()].map(index => character.charCodeAt(index));
    const escapes = [units.map(unit => `\\\\u${hexDigits(unit, 4)}`).join('')];
    if (units.length === 1 && units[0] < 0x100)
        escapes.push(`\\\\x${hexDigits(units[0], 2)}`);
    return escapes;
}
/**
 * The whole forms a credential takes that the runner should mask as it masks the credential:
 * the runner matches exact text only, so these are the spellings most likely to be written.
 */
function literalForms(secret, ignoreCase) {
    const percentForms = [
        encodeURIComponent(secret),
        new URLSearchParams({ s: secret }).toString().slice(2),
        encodeURI(secret),
        strictPercentEncoded(secret)
    ].flatMap(form => [form, lowerCaseEscapes(form), form.replace(/%20/g, '+')]);
    return [
        secret,
        secret.replace(/\s+/g, ' ').trim(),
        ...(ignoreCase ? [secret.toUpperCase(), secret.toLowerCase()] : []),
        ...percentForms,
        JSON.stringify(secret).slice(1, -1),
        ...base64Forms(secret)
    ];
}
/** RFC 3986's unreserved characters kept, every other byte escaped (Python's quote(safe='')). */
function strictPercentEncoded(secret) {
    return encodeURIComponent(secret).replace(/[!'()*]/g, character => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
function lowerCaseEscapes(form) {
    return form.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase());
}
/** Part of a longer base64 text shorter than this could be any text's. */
const MIN_BASE64_CHARACTERS = 8;
/**
 * The credential's base64 on its own, and the characters that depend on its bytes alone inside a
 * longer encoded text, where it may start at any of a three-byte group's bytes.
 */
function base64Forms(secret) {
    const bytes = Buffer.from(secret, 'utf8');
    const parts = [];
    for (const offset of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
        parts.push(encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6)));
    }
    const stable = parts.filter(part => part.length >= MIN_BASE64_CHARACTERS);
    return [bytes.toString('base64'), ...stable].flatMap(form => [form, inUrlAlphabet(form)]);
}
function inUrlAlphabet(base64) {
    return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
/** What a word in an echo may be once its escapes are undone, for the look-alike check. */
function unescaped(word) {
    let text = word;
    // Text encoded three times over needs three rounds; more is not worth the cost of every word.
    for (let round = 0; round < 3; round++)
        text = percentDecoded(text);
    return decodedEscapes(text).normalize('NFKC');
}
function percentDecoded(text) {
    if (!/%[0-9a-f]{2}/i.test(text))
        return text;
    const bytes = text.replace(/%([0-9a-f]{2})/gi, (_escape, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
}
/** Entities, and the escapes of JSON, JavaScript, CSS, C (octal) and quoted-printable mail. */
function decodedEscapes(text) {
    const byHex = (_escape, hex) => fromCodePoint(parseInt(hex, 16));
    return text
        .replace(/&#x([0-9a-f]{1,6});?/gi, byHex)
        .replace(/&#(\d{1,7});?/g, (_entity, digits) => fromCodePoint(Number(digits)))
        .replace(/\\u\{([0-9a-f]{1,6})\}/gi, byHex)
        .replace(/(?:\\|%)u([0-9a-f]{4})/gi, byHex)
        .replace(/\\x([0-9a-f]{2})/gi, byHex)
        .replace(/\\([0-7]{3})/g, (_escape, octal) => fromCodePoint(parseInt(octal, 8)))
        .replace(/\\([0-9a-f]{1,6}) ?/gi, byHex)
        .replace(/=([0-9A-F]{2})/g, byHex);
}
function fromCodePoint(codePoint) {
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '';
}

;// CONCATENATED MODULE: ./src/secrets.ts
// Credentials must never reach a log line in any form. The runner masks a value registered with
// setSecret and its base64, but not what encodeURIComponent or URLSearchParams make of it, nor
// what a server makes of it when it echoes a request back (see spellings.ts). So every text the
// action writes is redacted here first, and a server's words are quoted only through `excerpt`,
// which never cuts a credential in two.

const REDACTED = '***';
/** A shorter start of a credential, left where a quote is cut, says too little to matter. */
const MIN_REVEALING_PREFIX = 4;
/** In a quote, a word that holds this many characters of a credential, in any form, is one. */
const LOOKALIKE_CHARACTERS = 6;
/** From this length, a credential in another case is still the credential, not another word. */
const MIN_CASE_BLIND_LENGTH = 8;
class Redactor {
    forms;
    patterns;
    /** Each credential's letters and digits, lower-cased: what survives any re-encoding of it. */
    cores;
    constructor(secrets) {
        const credentials = secrets.filter(secret => secret.length > 0);
        this.cores = credentials
            .map(lettersAndDigits)
            .filter(core => core.length >= MIN_REVEALING_PREFIX);
        const all = credentials
            .flatMap(secret => literalForms(secret, isCaseBlind(secret)))
            .filter(form => form.length > 0);
        // Longest first, so that a form that contains another is replaced whole.
        this.forms = [...new Set(all)].sort((a, b) => b.length - a.length);
        this.patterns = credentials.map(secret => spellingPattern(secret, isCaseBlind(secret)));
    }
    /** Every form to hand to core.setSecret. */
    get maskedForms() {
        return this.forms;
    }
    redact(text) {
        let result = text;
        for (const form of this.forms) {
            // Most texts hold no credential: a look first spares the split and join that a summary of
            // thousands of rows would otherwise pay for every form of every cell.
            if (result.includes(form))
                result = result.split(form).join(REDACTED);
        }
        for (const pattern of this.patterns)
            result = result.replace(pattern, REDACTED);
        return result;
    }
    /**
     * A server's text, fit to quote in a message: redacted, whitespace collapsed, and cut to
     * `maxCharacters`. `text` may itself be cut (a body read only so far): a credential's start left
     * at its end is redacted too.
     */
    excerpt(text, maxCharacters) {
        // Base64 and hex words first: a spelling redacted inside one would break its decoding.
        const redacted = this.redact(this.withoutLookalikes(text, decodings));
        const collapsed = this.redact(redacted.replace(/\s+/g, ' ').trim());
        const whole = this.withoutLookalikes(this.withoutCredentialStart(collapsed));
        const characters = [...whole];
        if (characters.length <= maxCharacters)
            return whole;
        return `${characters.slice(0, maxCharacters).join('')}…`;
    }
    /**
     * A server may echo a credential in forms no list foresees: upper-cased, entity-escaped in hex,
     * cut, wrapped, or a whole form body in base64 or hex. In a quote, any word that holds part of a
     * credential's letters and digits, as it stands or decoded, is redacted whole.
     */
    withoutLookalikes(text, readings = everyReading) {
        return text
            .split(/(\s+)/)
            .map(part => (this.resembles(readings(part)) ? REDACTED : part))
            .join('');
    }
    resembles(readings) {
        return readings.some(candidate => {
            const letters = lettersAndDigits(candidate);
            return this.cores.some(core => sharesRun(letters, core));
        });
    }
    withoutCredentialStart(text) {
        for (const form of this.forms) {
            for (let length = form.length - 1; length >= MIN_REVEALING_PREFIX; length--) {
                if (text.endsWith(form.slice(0, length)))
                    return text.slice(0, -length) + REDACTED;
            }
        }
        return text;
    }
}
function isCaseBlind(secret) {
    return [...secret].length >= MIN_CASE_BLIND_LENGTH;
}
function lettersAndDigits(text) {
    return text.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
}
/** Whether `text` holds a run of LOOKALIKE_CHARACTERS (or all) of `core`'s characters. */
function sharesRun(text, core) {
    const length = Math.min(LOOKALIKE_CHARACTERS, core.length);
    for (let start = 0; start + length <= core.length; start++) {
        if (text.includes(core.slice(start, start + length)))
            return true;
    }
    return false;
}
/** A word as it stands, with its escapes undone, and what it may be an encoding of. */
function everyReading(word) {
    return [word, unescaped(word), ...decodings(word)];
}
/** What a word may be an encoding of: base64 (either alphabet) or hex, once or twice over. */
function decodings(word) {
    const once = decodedOnce(word);
    return [...once, ...once.flatMap(decoded => decodedOnce(decoded.trim()))];
}
function decodedOnce(word) {
    const decoded = [];
    if (/^[0-9a-f]{12,}$/i.test(word) && word.length % 2 === 0) {
        decoded.push(Buffer.from(word, 'hex').toString('latin1'));
    }
    if (/^[A-Za-z0-9+/_-]{12,}={0,2}$/.test(word)) {
        decoded.push(Buffer.from(word, 'base64').toString('latin1'));
    }
    return decoded;
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/cli/environment.ts
// Where the program finds the repository it works in, and the echo3D credentials: from the
// environment or a .env file, never from a flag (a flag lands in the shell's history and in `ps`).





const CREDENTIAL_VARIABLES = {
    apiKey: 'ECHO3D_API_KEY',
    email: 'ECHO3D_EMAIL',
    userKey: 'ECHO3D_USER_KEY',
    secretKey: 'ECHO3D_SECRET_KEY'
};
const API_URL_VARIABLE = 'ECHO3D_API_URL';
/** A .env file holds a few lines; a larger one is not the file meant. */
const MAX_DOT_ENV_BYTES = 64 * 1024;
/**
 * The root of the git repository that holds `start`, where the workflow's checkout would be, so
 * that paths mean the same locally and in CI; `start` itself outside a repository.
 */
function findWorkspace(start) {
    let folder = external_node_path_default().resolve(start);
    for (;;) {
        if ((0,external_node_fs_.existsSync)(external_node_path_default().join(folder, '.git')))
            return folder;
        const parent = external_node_path_default().dirname(folder);
        if (parent === folder)
            return external_node_path_default().resolve(start);
        folder = parent;
    }
}
/**
 * Only the credentials come from .env. A repository's .env could otherwise name its own server as
 * ECHO3D_API_URL and receive the credentials of whoever runs the program in it.
 */
async function readVariables(workspace, env) {
    const dotEnv = await readDotEnv(workspace);
    const fromDotEnv = new Set(Object.values(CREDENTIAL_VARIABLES));
    return {
        variables: name => (env[name] || (fromDotEnv.has(name) ? dotEnv[name] : '') || '').trim(),
        ignoredInDotEnv: API_URL_VARIABLE in dotEnv ? [API_URL_VARIABLE] : []
    };
}
/** Why a variable in .env was passed over, and where to set it instead. */
function ignoredInDotEnvWarning(name) {
    return `${name} in .env is ignored: only the credentials are read from .env, so that a repository's .env cannot send them to a server of its choosing. Set ${name} in your shell (export ${name}=…) or pass --api-url`;
}
async function readDotEnv(workspace) {
    const file = external_node_path_default().join(workspace, '.env');
    const text = await readWorkspaceText(workspace, file, MAX_DOT_ENV_BYTES, () => {
        return new errors/* ConfigurationError */.j1(`${file} is larger than 64 KiB, which no .env file of credentials needs. Check that it is the right file`);
    });
    if (text === undefined)
        return {};
    return (0,external_node_util_.parseEnv)(text);
}
/** The credentials, or an error that names every one missing and where to set it. */
function credentialsFrom(variables, workspace) {
    const missing = ['apiKey', 'email', 'userKey']
        .map(key => CREDENTIAL_VARIABLES[key])
        .filter(name => !variables(name));
    if (missing.length > 0) {
        throw new errors/* ConfigurationError */.j1(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
            `Set ${missing.length === 1 ? 'it' : 'them'} in the environment (export ${missing[0]}=…) ` +
            `or in ${external_node_path_default().join(workspace, '.env')} (one NAME=value per line; keep .env in .gitignore). ` +
            'The echo3D console shows them: the API key on the collection, the user key under your account, the secret key on the Security page');
    }
    return {
        apiKey: variables(CREDENTIAL_VARIABLES.apiKey),
        email: variables(CREDENTIAL_VARIABLES.email),
        userKey: variables(CREDENTIAL_VARIABLES.userKey),
        secretKey: variables(CREDENTIAL_VARIABLES.secretKey)
    };
}

// EXTERNAL MODULE: ./node_modules/picocolors/picocolors.js
var picocolors = __webpack_require__(7336);
var picocolors_default = /*#__PURE__*/__webpack_require__.n(picocolors);
;// CONCATENATED MODULE: ./src/cli/terminal.ts
// Everything the program writes goes through here: credentials are redacted in every encoding, and
// text from echo3D or the workspace is escaped, so that no name can move the cursor, clear the
// screen or forge a line.


class Terminal {
    redactor;
    options;
    stdout;
    stderr;
    colors;
    constructor(redactor, options, stdout = process.stdout, stderr = process.stderr) {
        this.redactor = redactor;
        this.options = options;
        this.stdout = stdout;
        this.stderr = stderr;
        const wanted = Boolean(stdout.isTTY) || 'FORCE_COLOR' in process.env;
        this.colors = picocolors_default().createColors(options.color && (picocolors_default()).isColorSupported && wanted);
    }
    /** A terminal someone watches: transfers are shown live, and the run ends with a table. */
    get live() {
        return Boolean(this.stdout.isTTY) && !this.options.json && !this.options.quiet;
    }
    /** Redacted and escaped as one line: a line break from outside shows as \u{a}. */
    safe(text) {
        return (0,src_escape/* forLog */.Ig)(this.redactor.redact(text));
    }
    /** One line; `paint` colours the escaped text. */
    print(text, paint = plain) {
        this.stdout.write(`${paint(this.safe(text))}\n`);
    }
    /** The program's own text of several lines, each escaped like a line of its own. */
    printLines(text) {
        for (const line of text.split('\n'))
            this.print(line);
    }
    /** A line already made safe with `safe`, such as a table row with coloured cells. */
    printSafe(line) {
        this.stdout.write(`${line}\n`);
    }
    warn(text) {
        this.stderr.write(`${this.colors.yellow('warning:')} ${this.safe(text)}\n`);
    }
    /**
     * An error's message: the program's own lines, in which what came from outside was escaped
     * where it was quoted (see src/errors.ts); each line is escaped once more.
     */
    error(text) {
        const lines = text.split('\n').map(line => this.safe(line));
        this.stderr.write(`${this.colors.red('error:')} ${lines.join('\n')}\n`);
    }
    printJson(value) {
        this.stdout.write(`${(0,src_escape/* forJson */.Cx)(this.redactor.redact(JSON.stringify(value, null, 2)))}\n`);
    }
}
function plain(text) {
    return text;
}

;// CONCATENATED MODULE: ./src/cli/run-context.ts
// What every verb works with: the workspace, the credentials and proxy, and the terminal.







function outputOptions(flags) {
    return {
        json: flags.json ?? false,
        quiet: flags.quiet ?? false,
        verbose: flags.verbose ?? false,
        color: flags.color ?? true
    };
}
function workspaceOf(flags) {
    if (flags.workspace !== undefined &&
        !(0,external_node_fs_.statSync)(flags.workspace, { throwIfNoEntry: false })?.isDirectory()) {
        throw new errors/* ConfigurationError */.j1(`-C: '${flags.workspace}' is not a folder. Name the repository to work in`);
    }
    return findWorkspace(flags.workspace ?? process.cwd());
}
/** The place and a terminal that redacts every credential, for a verb that talks to echo3D. */
async function echo3dContext(flags) {
    const workspace = workspaceOf(flags);
    const { variables, ignoredInDotEnv } = await readVariables(workspace, process.env);
    const credentials = credentialsFrom(variables, workspace);
    const proxy = proxySettingsFrom(process.env);
    const { apiKey, email, userKey, secretKey } = credentials;
    const redactor = new Redactor([apiKey, email, userKey, secretKey, ...proxyCredentials(proxy)]);
    const place = {
        workspace,
        credentials,
        proxy,
        apiUrl: variables(API_URL_VARIABLE) || undefined
    };
    const terminal = new Terminal(redactor, outputOptions(flags));
    for (const name of ignoredInDotEnv)
        terminal.warn(ignoredInDotEnvWarning(name));
    return { place, redactor, terminal };
}
/** What the engine reports to for a verb: the display, the verb's redactor, the system's time. */
function requestPorts(context, display) {
    return { emit: display.emit, redactor: context.redactor, clock: SYSTEM_CLOCK };
}
/** Ctrl+C, a closed terminal, a kill; the exit code is 128 + the signal's number, as shells report. */
const SIGNALS = ['SIGINT', 'SIGHUP', 'SIGTERM'];
/**
 * Ctrl+C (or a kill) while files are written: the partial files go, the live rows go, and the
 * program ends as shells expect (130 for Ctrl+C). Returns the function that stops listening.
 */
function removePartialsOnInterrupt(display, terminal) {
    const onSignal = (signal) => {
        display.stop();
        removePartialsNow();
        terminal.error(`Interrupted (${signal}); the files being written were removed`);
        process.exit(128 + (external_node_os_default()).constants.signals[signal]);
    };
    for (const signal of SIGNALS)
        process.once(signal, onSignal);
    return () => {
        for (const signal of SIGNALS)
            process.removeListener(signal, onSignal);
    };
}

;// CONCATENATED MODULE: ./src/settings/config-values.ts
// What a configuration file holds once read, apart from the YAML reader that reads it, which is
// loaded only when a run names a configuration file.
/** The keys a configuration file may hold, named as the inputs they stand for. */
const CONFIG_KEYS = [
    'entries',
    'tags',
    'files',
    'formats',
    'convert-missing',
    'path',
    'file-name',
    'budgets',
    'optimize',
    'unity-project'
];
function isConfigKey(name) {
    return CONFIG_KEYS.includes(name);
}
/** Keys whose values add to the inputs' rather than stand in for them. */
const SELECTION_KEYS = ['entries', 'tags', 'files'];

;// CONCATENATED MODULE: ./src/settings/values.ts
// Parsers for the kinds of value inputs take, and the collector of their errors. Pure; each error
// names its input.

/** Collects the errors of several parsers, so that every bad input is reported at once. */
class InputCheck {
    errors = [];
    /** The parsed value, or `fallback` when the input is bad. */
    attempt(parse, fallback) {
        try {
            return parse();
        }
        catch (error) {
            if (!(error instanceof errors/* InputError */.dz))
                throw error;
            this.errors.push(error);
            return fallback;
        }
    }
    /** Whether the input was found bad. */
    refused(input) {
        return this.errors.some(error => error.input === input);
    }
    throwIfAny() {
        if (this.errors.length > 0)
            throw new errors/* InputErrors */.G(this.errors);
    }
}
/** Splits on commas, whitespace and new lines; drops `# comments` and empty items. */
function splitList(raw) {
    return listItems(raw, /[\s,]+/);
}
/**
 * Splits on commas and new lines only: echo3D keeps an entry's tags as one comma-separated text,
 * so a tag may hold spaces ("living room").
 */
function splitTags(raw) {
    return listItems(raw, ',');
}
function listItems(raw, separator) {
    return raw
        .split(/\r?\n/)
        .map(line => line.replace(/#.*$/, ''))
        .flatMap(line => line.split(separator))
        .map(item => item.trim())
        .filter(item => item.length > 0);
}
function parseBoolean(input, raw) {
    const value = raw.trim();
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE', ''].includes(value))
        return false;
    throw new errors/* InputError */.dz(input, `'${value}' is not a boolean`, 'Use true or false');
}
function parseInteger(input, raw, min, max) {
    const value = raw.trim();
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new errors/* InputError */.dz(input, `'${value}' is not a whole number from ${min} to ${max}`, `Set it between ${min} and ${max}`);
    }
    return Number(value);
}
const SIZE_UNITS = {
    '': 1,
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1000 ** 2,
    mib: 1024 ** 2,
    gb: 1000 ** 3,
    gib: 1024 ** 3,
    tb: 1000 ** 4,
    tib: 1024 ** 4
};
const MIN_SIZE_BYTES = 1024;
/** A size such as 500MB, 2GiB or a plain number of bytes, at least 1 KiB. */
function parseSize(input, raw) {
    const match = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i.exec(raw.trim());
    const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()] : NaN;
    if (bytes < MIN_SIZE_BYTES) {
        throw new errors/* InputError */.dz(input, `'${raw.trim()}' is less than 1 KiB, the smallest size it takes`, 'Write a size of at least 1 KiB (1024 bytes), such as 500KB or 20MB');
    }
    if (Number.isNaN(bytes) || !Number.isSafeInteger(Math.round(bytes))) {
        throw new errors/* InputError */.dz(input, `'${raw.trim()}' is not a size`, 'Write it as 500MB, 2GiB or a plain number of bytes');
    }
    return Math.round(bytes);
}
const MIN_DURATION_MS = 1000;
const MAX_DURATION_MS = 6 * 60 * 60 * 1000;
const DURATION_UNITS = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 };
function parseDuration(input, raw) {
    const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(raw.trim());
    const milliseconds = match
        ? Number(match[1]) * DURATION_UNITS[(match[2] ?? '').toLowerCase()]
        : NaN;
    if (!(milliseconds >= MIN_DURATION_MS) || milliseconds > MAX_DURATION_MS) {
        throw new errors/* InputError */.dz(input, `'${raw.trim()}' is not a duration from 1s to 6h`, 'Write it as 90s, 15m, 1h or a plain number of seconds');
    }
    return Math.round(milliseconds);
}
function parseChoice(input, raw, choices) {
    const value = raw.trim().toLowerCase();
    const choice = choices.find(candidate => candidate === value);
    if (!choice)
        throw new errors/* InputError */.dz(input, `'${raw.trim()}' is not one of the choices`, `Use one of: ${choices.join(', ')}`);
    return choice;
}

;// CONCATENATED MODULE: ./src/settings/budgets.ts
// The `budgets` input: one limit per line, `limit: value` for every model or `format.limit: value`
// for one format's, such as `triangles: 100000` or `usdz.file-size: 25MB`. Pure.




const LINE = /^(?:([a-z0-9]+)\.)?([a-z-]+)\s*:\s*(\S.*)$/;
const LARGEST_COUNT = 2 ** 32;
const BUDGET_FIX = `Write one limit per line, such as \`triangles: 100000\` or \`glb.file-size: 20MB\`; limits: ${BUDGET_LIMITS.join(', ')}; formats: ${CONVERTIBLE_FORMATS.join(', ')}`;
function parseBudgets(raw) {
    const budgets = [];
    raw.split(/\r?\n/).forEach((rawLine, index) => {
        const line = rawLine.replace(/#.*$/, '').trim();
        if (!line)
            return;
        const budget = parseBudgetLine(line, index + 1);
        const twice = budgets.find(other => other.limit === budget.limit && other.format === budget.format);
        if (twice) {
            throw new errors/* InputError */.dz('budgets', `line ${index + 1}: '${line}' sets a limit already set`, BUDGET_FIX);
        }
        budgets.push(budget);
    });
    return budgets;
}
function parseBudgetLine(line, lineNumber) {
    const match = LINE.exec(line);
    const [format, limit, value] = match ? [match[1], match[2], match[3].trim()] : [];
    if (!match || !BUDGET_LIMITS.includes(limit ?? '')) {
        throw new errors/* InputError */.dz('budgets', `line ${lineNumber}: '${line}' is not a known limit`, BUDGET_FIX);
    }
    if (format !== undefined && !CONVERTIBLE_FORMATS.includes(format)) {
        throw new errors/* InputError */.dz('budgets', `line ${lineNumber}: '${format}' is not a model format`, BUDGET_FIX);
    }
    const max = parseLimitValue(limit, value ?? '', lineNumber);
    return { limit: limit, max, ...(format ? { format } : {}) };
}
function parseLimitValue(limit, value, lineNumber) {
    const input = `budgets (line ${lineNumber}, ${limit})`;
    if (limit === 'file-size' || limit === 'texture-bytes')
        return parseSize(input, value);
    if (limit !== 'bounding-box')
        return parseInteger(input, value, 0, LARGEST_COUNT);
    const metres = /^(\d+(?:\.\d+)?)\s*m?$/.exec(value);
    if (!metres || !(Number(metres[1]) > 0)) {
        throw new errors/* InputError */.dz(input, `'${value}' is not a length in metres`, 'Write it as 2.5 or 2.5m');
    }
    return Number(metres[1]);
}

;// CONCATENATED MODULE: ./src/settings/optimize.ts
// The `optimize` input: `false` (models are written as echo3D serves them), `true` (the web preset),
// or one setting per line (or separated by commas), as `budgets` takes limits, such as
// `geometry: draco` or `texture-size: 1024`; a setting left out keeps the preset's value. Pure.



/** `optimize: true`: meshopt geometry, WebP textures of at most 2048 px, quality 80. */
const WEB_PRESET = {
    geometry: 'meshopt',
    textures: 'webp',
    textureSize: 2048,
    textureQuality: 80
};
const SETTINGS = ['geometry', 'textures', 'texture-size', 'texture-quality', 'simplify'];
/** Values the issue plans and this version does not do yet: refused, never ignored. */
const NOT_YET = {
    textures: ['ktx2']
};
/**
 * Each encoder's quality when `textures` names it and `texture-quality` is left out: the scales
 * differ, and AVIF at WebP's 80 would be near lossless.
 */
const DEFAULT_QUALITY = { webp: 80, avif: 50 };
const FIX = `Write true, false, or one setting per line: geometry: ${OPTIMIZE_GEOMETRY.join('|')}; textures: ${OPTIMIZE_TEXTURES.join('|')}; texture-size: 1 to ${MAX_TEXTURE_SIZE} (pixels); texture-quality: 0 to 100; simplify: off, or the share of triangles to keep, such as 0.5`;
/**
 * The settings, or undefined when models are written as served. Settings that are given change
 * `base`: the web preset for the run, the run's settings for one entry of the configuration file.
 */
function parseOptimize(raw, base = WEB_PRESET) {
    const text = raw.replace(/#.*$/gm, '').trim();
    if (/^(false|)$/i.test(text))
        return undefined;
    if (/^true$/i.test(text))
        return { ...base };
    const settings = { ...base };
    const seen = new Set();
    for (const item of text.split(/\r?\n|,/).map(line => line.trim())) {
        if (!item)
            continue;
        const [name, value] = settingOf(item);
        if (seen.has(name))
            throw new errors/* InputError */.dz('optimize', `'${name}' is set twice`, FIX);
        seen.add(name);
        applySetting(settings, name, value);
    }
    const { textures } = settings;
    if (textures !== base.textures && textures !== 'keep' && !seen.has('texture-quality')) {
        settings.textureQuality = DEFAULT_QUALITY[textures];
    }
    if (settings.textures === 'keep' && (seen.has('texture-size') || seen.has('texture-quality'))) {
        throw new errors/* InputError */.dz('optimize', '`texture-size` and `texture-quality` apply to re-encoded textures, and `textures` is keep', 'Set `textures: webp`, or leave out texture-size and texture-quality');
    }
    return settings;
}
/**
 * One entry's `optimize` from the configuration file: its settings change the run's (the web
 * preset when the run does not optimise); `false` turns optimisation off for the entry.
 */
function parseEntryOptimize(raw, run, entry) {
    try {
        return parseOptimize(raw, run) ?? false;
    }
    catch (error) {
        if (!(error instanceof errors/* InputError */.dz))
            throw error;
        // Checked alone when the file was read, it may clash only with the run's settings: say whose.
        const problem = `entry ${entry}'s settings in the configuration file, over the run's: ${error.problem}`;
        throw new errors/* InputError */.dz('optimize', problem, error.fix);
    }
}
function settingOf(item) {
    const match = /^([a-z-]+)\s*:\s*(\S.*)$/i.exec(item);
    const name = match?.[1].toLowerCase() ?? '';
    if (!match || !SETTINGS.includes(name)) {
        throw new errors/* InputError */.dz('optimize', `'${item}' is not a setting`, FIX);
    }
    return [name, match[2].trim()];
}
function applySetting(settings, name, value) {
    const input = `optimize (${name})`;
    switch (name) {
        case 'geometry':
            settings.geometry = choiceOf(name, value, OPTIMIZE_GEOMETRY);
            return;
        case 'textures':
            settings.textures = choiceOf(name, value, OPTIMIZE_TEXTURES);
            return;
        case 'texture-size':
            settings.textureSize = parseInteger(input, value, 1, MAX_TEXTURE_SIZE);
            return;
        case 'texture-quality':
            settings.textureQuality = parseInteger(input, value, 0, 100);
            return;
        case 'simplify':
            setSimplify(settings, value);
    }
}
/** `off`, or the share of each mesh's triangles to keep: above 0 and below 1. */
function setSimplify(settings, value) {
    if (/^off$/i.test(value)) {
        delete settings.simplify;
        return;
    }
    const ratio = /^(0?\.\d+)$/.test(value) ? Number(value) : NaN;
    if (ratio > 0 && ratio < 1) {
        settings.simplify = ratio;
        return;
    }
    throw new errors/* InputError */.dz('optimize', `'${value}' is not a share of triangles to keep for simplify`, 'Write a number above 0 and below 1, such as simplify: 0.5 to keep about half the triangles, or simplify: off');
}
function choiceOf(name, value, choices) {
    const choice = choices.find(candidate => candidate === value.toLowerCase());
    if (choice)
        return choice;
    if (NOT_YET[name]?.includes(value.toLowerCase())) {
        throw new errors/* InputError */.dz('optimize', `\`${name}: ${value}\` is not supported yet`, `Use one of: ${choices.join(', ')}`);
    }
    throw new errors/* InputError */.dz('optimize', `'${value}' is not a choice for ${name}`, `Use one of: ${choices.join(', ')}`);
}

;// CONCATENATED MODULE: ./src/settings/delivery.ts
// The inputs that say where the pulled files go after the run: a commit, a pull request, an
// artifact.


/** The action's own head branches, when `pull-request-branch` is empty: this, and this-BRANCH. */
const OWN_HEAD_BRANCH = 'echo3d/assets';
/** Whether the action's own pull requests, with `pull-request-branch` empty, come from `name`. */
function isOwnHeadBranch(name) {
    return name === OWN_HEAD_BRANCH || name.startsWith(`${OWN_HEAD_BRANCH}-`);
}
const COMMIT_MODES = ['none', 'push', 'pull-request'];
const COMMIT_METHODS = ['api', 'git'];
const MAX_RETENTION_DAYS = 90;
function parseDeliveryInputs(value, check) {
    const commit = check.attempt(() => parseChoice('commit', value('commit'), COMMIT_MODES), 'none');
    const branch = check.attempt(() => parseBranchName('branch', value('branch'), true), '');
    const pullRequestBranch = check.attempt(() => parseBranchName('pull-request-branch', value('pull-request-branch'), true), '');
    const githubToken = value('github-token');
    check.attempt(() => checkTokenGiven(commit, githubToken), undefined);
    check.attempt(() => checkBranchesDiffer(commit, branch, pullRequestBranch), undefined);
    return {
        commit,
        branch,
        commitMethod: check.attempt(() => parseChoice('commit-method', value('commit-method'), COMMIT_METHODS), 'api'),
        commitMessage: value('commit-message').split(/\r?\n/)[0],
        githubToken,
        pullRequestBranch,
        previewsBranch: check.attempt(() => parsePreviewsBranch(value('previews-branch'), branch, pullRequestBranch), ''),
        pullRequestTitle: value('pull-request-title'),
        pullRequestLabels: names(value('pull-request-labels')),
        pullRequestDraft: check.attempt(() => parseBoolean('pull-request-draft', value('pull-request-draft')), false),
        pullRequestReviewers: names(value('pull-request-reviewers')),
        pullRequestTeamReviewers: names(value('pull-request-team-reviewers')),
        pullRequestAssignees: names(value('pull-request-assignees')),
        pullRequestMilestone: check.attempt(() => parseMilestone(value('pull-request-milestone')), undefined),
        uploadArtifact: check.attempt(() => parseBoolean('upload-artifact', value('upload-artifact')), false),
        artifactName: check.attempt(() => parseArtifactName(value('artifact-name')), ''),
        retentionDays: check.attempt(() => parseRetentionDays(value('retention-days')), undefined)
    };
}
function checkTokenGiven(commit, githubToken) {
    if (commit === 'none' || githubToken)
        return;
    throw new errors/* InputError */.dz('github-token', `it is empty, and \`commit: ${commit}\` needs it`, 'Leave it at its default (${{ github.token }}) or pass a token with contents: write');
}
function checkBranchesDiffer(commit, branch, pullRequestBranch) {
    if (commit !== 'pull-request' || !branch)
        return;
    if (pullRequestBranch && branch === pullRequestBranch) {
        throw new errors/* InputError */.dz('pull-request-branch', `it is the same as \`branch\` (${branch})`, 'Use a branch of its own for the pull request, or leave it empty');
    }
    if (!pullRequestBranch && isOwnHeadBranch(branch)) {
        throw new errors/* InputError */.dz('branch', `${branch} is a branch the action's own pull requests come from, and each run rebuilds it`, 'Name the branch the pull request should go into');
    }
}
/**
 * The previews' branch is force-moved each run: never one that holds anything else, nor one the
 * pull request may come from.
 */
function parsePreviewsBranch(raw, branch, pullRequestBranch) {
    const name = parseBranchName('previews-branch', raw, false);
    const head = pullRequestBranch ? name === pullRequestBranch : isOwnHeadBranch(name);
    if (name !== branch && !head)
        return name;
    throw new errors/* InputError */.dz('previews-branch', `it is \`branch\` or a branch the pull request comes from (${name}), and each run replaces it`, 'Use a branch of its own for the pictures, such as echo3d-assets/previews');
}
/** The rules of git check-ref-format, for branch names. */
function parseBranchName(input, raw, allowEmpty) {
    const name = raw.trim().replace(/^refs\/heads\//, '');
    if (!name && allowEmpty)
        return '';
    const invalid = !name ||
        /[\s~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.lock$|^-|\.$/.test(name) ||
        name.split('/').some(part => part.startsWith('.')) ||
        [...name].some(character => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);
    if (invalid) {
        throw new errors/* InputError */.dz(input, `'${name}' is not a valid branch name`, 'Use a name such as main or echo3d/assets');
    }
    return name;
}
function parseArtifactName(raw) {
    const name = raw.trim();
    if (/["':<>|*?\\/\r\n]/.test(name)) {
        throw new errors/* InputError */.dz('artifact-name', `'${name}' holds a character artifact names cannot have`, 'Leave out " : < > | * ? \\ / and line breaks');
    }
    return name;
}
/** A comma or newline separated list of names: labels, users, teams. */
function names(raw) {
    return raw
        .split(/[,\n]/)
        .map(name => name.trim())
        .filter(Boolean);
}
function parseMilestone(raw) {
    if (!raw.trim())
        return undefined;
    return parseInteger('pull-request-milestone', raw, 1, 1_000_000);
}
function parseRetentionDays(raw) {
    if (!raw.trim())
        return undefined;
    return parseInteger('retention-days', raw, 1, MAX_RETENTION_DAYS);
}

;// CONCATENATED MODULE: ./src/settings/spec.ts
// Every input of action.yml, named once here with the default action.yml gives it. The runner
// fills in action.yml's defaults; the code falls back to the same ones for a blank value, and a
// test holds the two files in step.
const INPUTS = {
    'api-key': { required: true, secret: true },
    email: { required: true, secret: true },
    'user-key': { required: true, secret: true },
    'secret-key': { default: '', secret: true },
    'api-url': { default: 'https://api.echo3D.com' },
    config: { default: '' },
    entries: { default: '' },
    tags: { default: '' },
    formats: { default: 'glb' },
    files: { default: '' },
    'convert-missing': { default: 'false' },
    timeout: { default: '20m' },
    retries: { default: '3' },
    concurrency: { default: '4' },
    'conversion-concurrency': { default: '16' },
    'max-file-size': { default: '2GiB' },
    shard: { default: '' },
    path: { default: 'assets/echo3d' },
    'file-name': { default: '{name}.{ext}' },
    cache: { default: 'true' },
    lockfile: { default: '{path}/echo3d.lock.json', blankIsOff: true },
    mode: { default: 'pull' },
    verify: { default: 'lockfile' },
    prune: { default: 'false' },
    budgets: { default: '' },
    optimize: { default: 'false' },
    previews: { default: 'false' },
    'previews-branch': { default: 'echo3d-assets/previews' },
    'unity-project': { default: '' },
    'budget-mode': { default: 'fail' },
    commit: { default: 'none' },
    branch: { default: '' },
    'commit-method': { default: 'api' },
    'commit-message': { default: 'Update echo3D assets' },
    // A workflow expression: only the runner can fill it in.
    'github-token': { default: '${{ github.token }}', secret: true, blankIsOff: true },
    'pull-request-branch': { default: '' },
    'pull-request-title': { default: 'Update echo3D assets' },
    'pull-request-labels': { default: '' },
    'pull-request-draft': { default: 'false' },
    'pull-request-reviewers': { default: '' },
    'pull-request-team-reviewers': { default: '' },
    'pull-request-assignees': { default: '' },
    'pull-request-milestone': { default: '' },
    'upload-artifact': { default: 'false' },
    'artifact-name': { default: 'echo3d-assets' },
    'retention-days': { default: '' }
};
const SECRET_INPUTS = inputNames().filter(name => 'secret' in INPUTS[name]);
function inputNames() {
    return Object.keys(INPUTS);
}
/** The value the runner passes for an input the workflow leaves out. */
function defaultOf(name) {
    const spec = INPUTS[name];
    return spec.default ?? '';
}
function withDefaults(read) {
    return name => {
        const spec = INPUTS[name];
        const value = read(name).trim();
        if (value || spec.blankIsOff)
            return value;
        return spec.default ?? '';
    };
}

;// CONCATENATED MODULE: ./src/settings/inputs.ts
// Reads and validates every input before anything touches the network, and reports every bad
// input at once, each with the fix.











const FILE_NAME_PLACEHOLDERS = ['name', 'entry', 'format', 'ext'];
/** An entry ID as echo3D gives it: one word of letters, digits, hyphens and underscores. */
const ENTRY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const STORAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)?$/;
const MAX_RETRIES = 10;
const MAX_CONCURRENCY = 32;
const MAX_CONVERSION_CONCURRENCY = 64;
/** Reads and validates every input. Pure: it reads through `read` and touches no network or disk. */
function parseInputs(read, workspace, proxy = NO_PROXY, config) {
    const value = config ? withConfigFile(read, config) : withDefaults(read);
    const check = new InputCheck();
    const inputs = {
        workspace,
        proxy,
        credentials: check.attempt(() => parseCredentials(value), NO_CREDENTIALS),
        apiUrl: check.attempt(() => parseApiUrl(value('api-url')), new URL('https://invalid')),
        selection: parseSelection(value, check),
        convertMissing: check.attempt(() => parseBoolean('convert-missing', value('convert-missing')), false),
        ...parseLimits(value, check),
        destination: check.attempt(() => parseDestination(value('path'), workspace), workspace),
        fileNameTemplate: check.attempt(() => parseFileNameTemplate(value('file-name')), ''),
        cache: check.attempt(() => parseBoolean('cache', value('cache')), false),
        delivery: parseDeliveryInputs(value, check),
        mode: check.attempt(() => parseChoice('mode', value('mode'), RUN_MODES), 'pull'),
        verify: check.attempt(() => parseChoice('verify', value('verify'), VERIFICATIONS), 'lockfile'),
        lockfile: lockfileInput(value, check, workspace),
        prune: check.attempt(() => parseBoolean('prune', value('prune')), false),
        budgets: check.attempt(() => parseBudgets(value('budgets')), []),
        budgetMode: check.attempt(() => parseChoice('budget-mode', value('budget-mode'), BUDGET_MODES), 'fail'),
        shard: check.attempt(() => parseShard(value('shard')), undefined),
        optimize: check.attempt(() => parseOptimize(value('optimize')), undefined),
        previews: check.attempt(() => parseChoice('previews', value('previews'), PREVIEW_MODES), 'false'),
        unityProject: check.attempt(() => parseUnityProject(value('unity-project'), workspace), UNITY_OFF)
    };
    for (const entry of inputs.selection.entries) {
        entry.fileName = config?.entryFileNames.get(entry.id);
        const optimize = config?.entryOptimize.get(entry.id);
        if (optimize === undefined)
            continue;
        const id = entry.id;
        entry.optimize = check.attempt(() => parseEntryOptimize(optimize, inputs.optimize, id), false);
    }
    check.attempt(() => checkLockfileNeeded(inputs.mode, inputs.prune, inputs.lockfile), undefined);
    check.attempt(() => checkShardDelivery(inputs.shard, inputs.delivery.commit), undefined);
    check.attempt(() => checkSomethingSelected(inputs.selection, check), undefined);
    check.throwIfAny();
    return inputs;
}
/**
 * The inputs with the configuration file's values: the file's entries, tags and files add to the
 * inputs'; its other values stand in for an input that is left at its default in the workflow.
 */
function withConfigFile(read, config) {
    const value = withDefaults(read);
    return name => {
        const fromFile = config.texts[name];
        if (fromFile === undefined)
            return value(name);
        if (SELECTION_KEYS.includes(name))
            return `${value(name)}\n${fromFile}`.trim();
        const given = read(name).trim();
        const spec = INPUTS[name];
        const isDefault = 'default' in spec && given === spec.default;
        return given && !isDefault ? given : fromFile;
    };
}
/** The configuration file's values, checked by the parsers of the inputs they stand for. */
function configValueCheck(workspace) {
    const parsers = {
        entries: parseEntries,
        tags: splitTags,
        files: parseStorageIds,
        formats: text => parseFormats('formats', text),
        'convert-missing': text => parseBoolean('convert-missing', text),
        path: text => parseDestination(text, workspace),
        'file-name': parseFileNameTemplate,
        budgets: parseBudgets,
        optimize: parseOptimize,
        'unity-project': text => parseUnityProject(text, workspace)
    };
    return (name, text) => parsers[name](text);
}
const MAX_SHARDS = 256;
const SHARD_FIX = "Use k/n, the job's shard and the number of shards, such as `shard: ${{ matrix.shard }}/4` with `matrix: { shard: [1, 2, 3, 4] }`";
/** `k/n`: this job's part, from 1 to n, of a selection split n ways. Blank: the whole selection. */
function parseShard(raw) {
    if (!raw)
        return undefined;
    const match = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
    if (!match)
        throw new errors/* InputError */.dz('shard', `'${raw}' is not k/n`, SHARD_FIX);
    const [index, count] = [Number(match[1]), Number(match[2])];
    if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
        throw new errors/* InputError */.dz('shard', `'${raw}' is not a shard: k must be from 1 to n, and n from 1 to ${MAX_SHARDS}`, SHARD_FIX);
    }
    return { index, count };
}
/** Shards would each reset the one pull-request branch to their own part. */
function checkShardDelivery(shard, commit) {
    if (!shard || commit !== 'pull-request')
        return;
    throw new errors/* InputError */.dz('shard', 'shards cannot share one pull request: each would reset its branch to its own part', 'Use `commit: push` (shards merge their commits and the lockfile), or `upload-artifact: true` and a later job that commits');
}
const NO_CREDENTIALS = { apiKey: '', email: '', userKey: '', secretKey: '' };
function parseSelection(value, check) {
    return {
        entries: check.attempt(() => parseEntries(value('entries')), []),
        tags: splitTags(value('tags')),
        defaultFormats: check.attempt(() => parseFormats('formats', value('formats')), []),
        files: check.attempt(() => parseStorageIds(value('files')), [])
    };
}
/** A selection that could not be read was reported as what it is; an empty one is reported here. */
function checkSomethingSelected({ entries, tags, files }, check) {
    if (entries.length > 0 || tags.length > 0 || files.length > 0)
        return;
    if (check.errors.some(error => error.input === 'entries' || error.input === 'files'))
        return;
    throw new errors/* InputError */.dz('entries', 'nothing is selected', 'Set at least one of `entries`, `tags` or `files`');
}
function parseLimits(value, check) {
    return {
        timeoutMs: check.attempt(() => parseDuration('timeout', value('timeout')), 0),
        retries: check.attempt(() => parseInteger('retries', value('retries'), 0, MAX_RETRIES), 0),
        concurrency: check.attempt(() => parseInteger('concurrency', value('concurrency'), 1, MAX_CONCURRENCY), 1),
        conversionConcurrency: check.attempt(() => parseInteger('conversion-concurrency', value('conversion-concurrency'), 1, MAX_CONVERSION_CONCURRENCY), 1),
        maxFileBytes: check.attempt(() => parseSize('max-file-size', value('max-file-size')), 0)
    };
}
function parseCredentials(value) {
    const required = (name) => {
        const text = value(name);
        if (!text) {
            throw new errors/* InputError */.dz(name, 'it is required and empty', `Store the value as a repository secret and pass it as \`${name}: \${{ secrets.… }}\``);
        }
        return text;
    };
    return {
        apiKey: required('api-key'),
        email: required('email'),
        userKey: required('user-key'),
        secretKey: value('secret-key')
    };
}
function parseApiUrl(raw) {
    const text = raw.trim();
    let url;
    try {
        url = new URL(text);
    }
    catch {
        // The raw text is left out of the message: a user may paste a URL that carries a credential.
        throw new errors/* InputError */.dz('api-url', 'it is not a valid URL', 'Use the form https://api.echo3D.com');
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new errors/* InputError */.dz('api-url', 'it must not carry credentials, a query or a fragment', 'Give only the base URL, such as https://api.echo3D.com, and the credentials as their own inputs');
    }
    const secure = url.protocol === 'https:';
    const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
    if (!secure && !loopbackHttp) {
        throw new errors/* InputError */.dz('api-url', `it uses ${url.protocol.replace(':', '')}, which would send the credentials in clear text`, 'Use an https:// URL (plain http is allowed only for loopback test servers)');
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
}
function parseFormats(input, raw) {
    const formats = [];
    for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
        const format = parseRequestedFormat(item);
        if (!format) {
            throw new errors/* InputError */.dz(input, `'${item}' is not a known format`, `Use one or more of: ${KNOWN_FORMATS.join(', ')}`);
        }
        if (!formats.includes(format))
            formats.push(format);
    }
    if (formats.length === 0) {
        throw new errors/* InputError */.dz(input, 'no format is given', `Use one or more of: ${KNOWN_FORMATS.join(', ')}`);
    }
    return formats;
}
/** The ID is quoted, not its line: the CLI's `--entries` values are not lines. */
function checkEntryId(id) {
    if (!ENTRY_ID_PATTERN.test(id)) {
        throw new errors/* InputError */.dz('entries', `'${id}' is not an echo3D entry ID`, 'Copy the entry ID from the echo3D console (letters, digits and hyphens, such as 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11)');
    }
    return id;
}
/**
 * One entry per line, `ID` or `ID: fmt, fmt`. A line without a colon may hold several IDs.
 * An entry named twice gets the union of its formats.
 */
function parseEntries(raw) {
    const byId = new Map();
    const add = (id, formats) => {
        const existing = byId.get(id);
        if (!existing) {
            byId.set(id, { id, formats: [...formats] });
            return;
        }
        for (const format of formats) {
            if (!existing.formats.includes(format))
                existing.formats.push(format);
        }
    };
    for (const rawLine of raw.split(/\r?\n/)) {
        const line = rawLine.replace(/#.*$/, '').trim();
        if (!line)
            continue;
        const colon = line.indexOf(':');
        if (colon === -1) {
            for (const id of line.split(/[\s,]+/).filter(Boolean))
                add(checkEntryId(id), []);
            continue;
        }
        const id = checkEntryId(line.slice(0, colon).trim());
        add(id, parseFormats('entries', line.slice(colon + 1)));
    }
    return [...byId.values()];
}
function parseStorageIds(raw) {
    const ids = splitList(raw);
    for (const id of ids) {
        if (!STORAGE_ID_PATTERN.test(id)) {
            throw new errors/* InputError */.dz('files', `'${id}' is not a storage ID`, 'Use storage IDs as echo3D lists them (a UUID, optionally with an extension such as .glb)');
        }
    }
    return [...new Set(ids)];
}
/** The destination must stay inside the workspace, so a workflow cannot write over the runner. */
function parseDestination(raw, workspace) {
    const destination = external_node_path_default().resolve(workspace, raw.trim());
    if (!isInside(workspace, destination)) {
        throw new errors/* InputError */.dz('path', `'${raw.trim()}' is outside the workspace`, 'Use a folder relative to the workspace, such as assets/echo3d');
    }
    const names = external_node_path_default().relative(workspace, destination).split((external_node_path_default()).sep);
    const unplain = names.find(name => name && !isPlainName(name));
    if (unplain !== undefined) {
        throw new errors/* InputError */.dz('path', `'${raw.trim()}' has a folder name the action would not write itself: '${unplain}'`, 'Use plain folder names: none that starts with a dot (such as .git), and no control characters or < > : " | ? *');
    }
    return destination;
}
const UNITY_OFF = { kind: 'off' };
/**
 * `unity-project`: blank looks for a Unity project in the workspace; `false` never writes a
 * `.meta`; `true` says the workspace is one; a folder names the project's, inside the workspace.
 */
function parseUnityProject(raw, workspace) {
    const text = raw.trim();
    if (!text)
        return { kind: 'auto' };
    const switched = text.toLowerCase();
    if (switched === 'false')
        return UNITY_OFF;
    const folder = external_node_path_default().resolve(workspace, switched === 'true' ? '.' : text);
    if (!isInside(workspace, folder)) {
        throw new errors/* InputError */.dz('unity-project', `'${text}' is outside the workspace`, "Name the Unity project's folder relative to the workspace, such as game, or leave it empty to look in the workspace");
    }
    return { kind: 'at', folder };
}
function parseFileNameTemplate(raw) {
    const template = raw.trim();
    const fix = `Use placeholders {${FILE_NAME_PLACEHOLDERS.join('}, {')}} and relative folders, such as {name}.{ext} or {entry}/{name}.{ext}`;
    for (const match of template.matchAll(/\{([^}]*)\}/g)) {
        if (!FILE_NAME_PLACEHOLDERS.includes(match[1])) {
            throw new errors/* InputError */.dz('file-name', `{${match[1]}} is not a known placeholder`, fix);
        }
    }
    const segments = template.split(/[\\/]/);
    if (external_node_path_default().isAbsolute(template) ||
        segments.some(segment => segment === '..' || segment === '.' || !segment)) {
        throw new errors/* InputError */.dz('file-name', `'${template}' is not a relative file name`, fix);
    }
    return template;
}
const RUN_MODES = ['pull', 'check'];
const BUDGET_MODES = ['fail', 'warn'];
const VERIFICATIONS = ['lockfile', 'content'];
const DEFAULT_LOCKFILE = INPUTS.lockfile.default;
/** A `path` already refused stands for no folder in the lockfile's `{path}`: one error, not two. */
function lockfileInput(value, check, workspace) {
    const folder = check.refused('path') ? '.' : value('path');
    return check.attempt(() => parseLockfilePath(value('lockfile'), folder, workspace), undefined);
}
/** A blank `lockfile` turns the lockfile off: the runner passes the default when it is absent. */
function parseLockfilePath(raw, destinationInput, workspace) {
    const template = raw.trim();
    if (!template)
        return undefined;
    const relative = template.replace('{path}', destinationInput.trim());
    const absolute = external_node_path_default().resolve(workspace, relative);
    if (!isBelow(workspace, absolute)) {
        throw new errors/* InputError */.dz('lockfile', `'${template}' is outside the workspace`, `Use a path inside the workspace, such as ${DEFAULT_LOCKFILE}, or '' to turn the lockfile off`);
    }
    return absolute;
}
function checkLockfileNeeded(mode, prune, lockfile) {
    if (lockfile)
        return;
    if (mode === 'check') {
        throw new errors/* InputError */.dz('mode', '`check` compares against the lockfile, and `lockfile` is off', `Set \`lockfile\` (default ${DEFAULT_LOCKFILE})`);
    }
    if (prune) {
        throw new errors/* InputError */.dz('prune', 'pruning needs the lockfile to know which files the action wrote, and `lockfile` is off', `Set \`lockfile\` (default ${DEFAULT_LOCKFILE})`);
    }
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/settings/config-file.ts
// The configuration file that the `config` input names: a YAML file in the repository that holds
// the selection and the destination, for catalogues whose IDs would not fit in an input (GitHub
// passes each input as one environment variable, which Linux caps at 128 KiB). Its schema, for
// editors, is echo3d.schema.json at the repository's root.
//
// The file is read into the same texts that the inputs take, each checked by the inputs' own
// parsers; a problem is reported with its line and column, and every problem at once.





/** The keys of an entry of `entries` written as a mapping. */
const ENTRY_KEYS = ['id', 'formats', 'file-name', 'optimize'];
/** What a key that takes one value takes, for its error, where that is not text. */
const SCALAR_KINDS = {
    'convert-missing': 'true or false',
    'unity-project': 'true, false or a folder'
};
/** The selection of some 25,000 entries; a larger file was not meant for this. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deeper than any configuration needs; parsing deeper nesting costs without bound. */
const MAX_NESTING = 32;
/** Enough to fix a file in one edit; a file with more problems is not a configuration file. */
const MAX_PROBLEMS = 50;
/** A problem quotes what the file holds, which may be long: each line of the error stays short. */
const MAX_PROBLEM_CHARACTERS = 500;
class ConfigFileError extends errors/* ConfigurationError */.j1 {
    name = 'ConfigFileError';
    constructor(file, problems) {
        // Each problem is one line: what it quotes from the file is escaped like a log line.
        const lines = problems
            .slice(0, MAX_PROBLEMS)
            .map(problem => `  ${file}:${problem.line}:${problem.column}: ${(0,src_escape/* clipped */.cz)((0,src_escape/* forLog */.Ig)(problem.message), MAX_PROBLEM_CHARACTERS)}`);
        if (problems.length > MAX_PROBLEMS) {
            lines.push(`  …and ${problems.length - MAX_PROBLEMS} more`);
        }
        super(`The configuration file ${file} (input 'config') has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${lines.join('\n')}`);
    }
}
/** Reads the file's text; throws ConfigFileError with every problem found. */
function parseConfigFile(file, text, check) {
    const nesting = flowNesting(text);
    if (nesting > MAX_NESTING) {
        const message = `brackets nest ${nesting} deep, more than the ${MAX_NESTING} a configuration needs. Fix the YAML syntax`;
        throw new ConfigFileError(file, [{ line: 1, column: 1, message }]);
    }
    const lineCounter = new dist/* LineCounter */.HN();
    // The YAML reader's own check of unique keys compares every key with every other: a file of
    // many keys would take minutes. Each mapping's keys go into a set instead.
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    const problems = document.errors.map(error => {
        // Without the reader's pretty errors (which quote the file), the position is an offset.
        const at = lineCounter.linePos(error.pos[0]);
        const message = `${error.message.split('\n')[0]}. Fix the YAML syntax`;
        return { line: at.line, column: at.col, message };
    });
    problems.push(...repeatedKeys(document.contents, lineCounter));
    const values = { texts: {}, entryFileNames: new Map(), entryOptimize: new Map() };
    if (problems.length === 0) {
        const reader = new ConfigReader(lineCounter, problems, check);
        reader.readDocument(document.contents, values);
    }
    if (problems.length > 0)
        throw new ConfigFileError(file, problems);
    return values;
}
/** A key given twice in one mapping, at any depth: YAML does not allow it. */
function repeatedKeys(root, lineCounter) {
    const problems = [];
    (0,dist/* visit */.YR)(root, {
        Map(_key, map) {
            const seen = new Set();
            for (const pair of map.items) {
                const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key?.toJSON());
                if (!seen.has(key)) {
                    seen.add(key);
                    continue;
                }
                const { line, col } = lineCounter.linePos(pair.key?.range?.[0] ?? 0);
                problems.push({
                    line,
                    column: col,
                    message: 'Map keys must be unique. Fix the YAML syntax'
                });
            }
        }
    });
    return problems;
}
/** How deep `[` and `{` nest, counted over the whole text (quotes included: an upper bound). */
function flowNesting(text) {
    let depth = 0;
    let deepest = 0;
    for (const character of text) {
        if (character === '[' || character === '{')
            deepest = Math.max(deepest, ++depth);
        else if ((character === ']' || character === '}') && depth > 0)
            depth--;
    }
    return deepest;
}
class ConfigReader {
    lines;
    problems;
    check;
    constructor(lines, problems, check) {
        this.lines = lines;
        this.problems = problems;
        this.check = check;
    }
    readDocument(contents, values) {
        if (contents === null)
            return;
        if (!(0,dist/* isMap */.jh)(contents)) {
            this.report(contents, 'the file must be a mapping of keys such as entries, tags and formats');
            return;
        }
        for (const pair of contents.items)
            this.readPair(pair, values);
    }
    readPair(pair, values) {
        const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
        if (!isConfigKey(key)) {
            const known = `Use one of: ${CONFIG_KEYS.join(', ')}`;
            this.report(pair.key, `'${key}' is not a known key. ${didYouMean(key, CONFIG_KEYS)}${known}`);
            return;
        }
        const text = this.textOf(key, pair.value, values);
        if (text === undefined)
            return;
        // Entries are checked one by one where they stand, for the place of each problem.
        if (key !== 'entries' && this.checked(key, pair.value, text) === undefined)
            return;
        values.texts[key] = text;
    }
    textOf(name, node, values) {
        if (name === 'entries')
            return this.entriesText(node, values);
        if (name === 'budgets')
            return this.budgetsText(node);
        if (name === 'optimize')
            return this.optimizeText(node);
        if (name === 'tags' || name === 'files' || name === 'formats')
            return this.listText(name, node);
        return this.scalarText(name, node);
    }
    /** `entries`: a list of IDs, or of `{ id, formats, file-name, optimize }`. */
    entriesText(node, values) {
        if (!(0,dist/* isSeq */.oP)(node)) {
            this.report(node, 'entries must be a list of entry IDs, or of { id, formats, file-name, optimize }');
            return undefined;
        }
        const lines = [];
        for (const item of node.items) {
            const line = this.entryLine(item, values);
            if (line !== undefined)
                lines.push(line);
        }
        return lines.join('\n');
    }
    entryLine(item, values) {
        if ((0,dist/* isScalar */.jn)(item))
            return this.entryId(item);
        if ((0,dist/* isMap */.jh)(item) && this.reportedInputShorthand(item.items)) {
            return undefined;
        }
        if (!(0,dist/* isMap */.jh)(item)) {
            this.report(item, 'an entry must be an ID, or a mapping with id and, if wanted, formats, file-name and optimize');
            return undefined;
        }
        const fields = new Map();
        for (const pair of item.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (!ENTRY_KEYS.includes(key)) {
                this.report(pair.key, `'${key}' is not a key of an entry. ${didYouMean(key, ENTRY_KEYS)}Use id, formats, file-name and optimize`);
            }
            else
                fields.set(key, pair.value);
        }
        const idNode = fields.get('id');
        if (!(0,dist/* isScalar */.jn)(idNode)) {
            this.report(item, 'an entry needs an id. Add id: followed by the entry ID');
            return undefined;
        }
        // Every field is checked, so that each problem of the entry is reported in one run.
        const id = this.entryId(idNode);
        const formats = this.entryField('formats', fields, values);
        const fileName = this.entryField('file-name', fields, values);
        const optimize = this.entryField('optimize', fields, values);
        if (id === undefined || formats === undefined)
            return undefined;
        if (fileName)
            values.entryFileNames.set(id, fileName);
        if (optimize)
            values.entryOptimize.set(id, optimize);
        return formats ? `${id}: ${formats}` : id;
    }
    /** The field's text, checked by its input's parser; '' when absent, undefined when bad. */
    entryField(name, fields, values) {
        if (!fields.has(name))
            return '';
        const node = fields.get(name) ?? null;
        const text = this.textOf(name, node, values);
        return text === undefined ? undefined : this.checked(name, node, text);
    }
    /**
     * `- ID: glb, usdz`, the `entries` input's way of giving an entry its formats, which YAML reads
     * as a mapping of the ID: true once reported as that, with the file's way to write it.
     */
    reportedInputShorthand(pairs) {
        const [pair, ...others] = pairs;
        const key = (0,dist/* isScalar */.jn)(pair?.key) ? String(pair.key.value) : '';
        if (others.length > 0 || ENTRY_KEYS.includes(key) || !ENTRY_ID_PATTERN.test(key))
            return false;
        const formats = (0,dist/* isScalar */.jn)(pair.value) ? String(pair.value.value) : 'glb, usdz';
        this.report(pair.key, `'${key}: ${formats}' is how the \`entries\` input gives an entry its formats; echo3d.yml does not take it. Write \`- id: ${key}\` and, below it, \`formats: [${formats}]\``);
        return true;
    }
    /**
     * `budgets`: a mapping of limits (`triangles: 100000`), and of formats to mappings of their own
     * limits (`usdz: { file-size: 25MB }`), as the input's lines.
     */
    budgetsText(node) {
        const lines = this.budgetLines(node, '');
        return lines && lines.join('\n');
    }
    /** Each limit checked where it stands, so that every bad one is reported, at its own line. */
    budgetLines(node, prefix) {
        if (!(0,dist/* isMap */.jh)(node)) {
            this.report(node, 'budgets must be a mapping of limits, such as triangles: 100000, or of formats to their limits');
            return undefined;
        }
        const lines = [];
        let valid = true;
        for (const pair of node.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            const found = !prefix && (0,dist/* isMap */.jh)(pair.value)
                ? this.budgetLines(pair.value, `${key}.`)
                : this.budgetLine(pair, `${prefix}${key}`);
            if (found === undefined)
                valid = false;
            else
                lines.push(...found);
        }
        return valid ? lines : undefined;
    }
    budgetLine(pair, limit) {
        const value = (0,dist/* isScalar */.jn)(pair.value) ? pair.value.value : undefined;
        if (typeof value !== 'string' && typeof value !== 'number') {
            this.report(pair.value, `budgets: ${limit} must be a number or a size such as 20MB`);
            return undefined;
        }
        const line = `${limit}: ${String(value)}`;
        return this.checked('budgets', pair.key, line) === undefined ? undefined : [line];
    }
    /** `optimize`: true, false, or a mapping of settings (`geometry: meshopt`), as the input's lines. */
    optimizeText(node) {
        const value = (0,dist/* isScalar */.jn)(node) ? node.value : undefined;
        if (typeof value === 'boolean')
            return String(value);
        if (!(0,dist/* isMap */.jh)(node)) {
            this.report(node, 'optimize must be true, false, or a mapping of settings such as geometry: meshopt');
            return undefined;
        }
        const lines = [];
        for (const pair of node.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            const setting = (0,dist/* isScalar */.jn)(pair.value) ? pair.value.value : undefined;
            if (typeof setting !== 'string' && typeof setting !== 'number') {
                this.report(pair.value, `optimize: ${key} must be a word or a number`);
                return undefined;
            }
            lines.push(`${key}: ${String(setting)}`);
        }
        return lines.join('\n');
    }
    /** The ID as written, when it is one: `0x1F` is not read as 31, nor `a\nb: obj` as two lines. */
    entryId(node) {
        const value = (0,dist/* isScalar */.jn)(node) ? node.value : undefined;
        if (typeof value === 'string' && ENTRY_ID_PATTERN.test(value))
            return value;
        this.report(node, `'${String(value)}' is not an echo3D entry ID. Copy the entry ID from the echo3D console, quoted if it could read as a number`);
        return undefined;
    }
    /**
     * A list of strings, or one string, as a comma-separated text. An item is one word: the text
     * is split again on spaces and commas, so `my tag` would select two tags.
     */
    listText(name, node) {
        if ((0,dist/* isScalar */.jn)(node) && typeof node.value === 'string')
            return node.value;
        const items = (0,dist/* isSeq */.oP)(node) ? node.items : [];
        const strings = items.every(item => (0,dist/* isScalar */.jn)(item) && typeof item.value === 'string');
        if (!(0,dist/* isSeq */.oP)(node) || !strings) {
            this.report(node, `${name} must be a list of strings`);
            return undefined;
        }
        const words = node.items.map(item => String(item.value));
        // A tag may hold spaces (see splitTags); an ID or a format may not.
        const separators = name === 'tags' ? /[\r\n,#]/ : /[\s,#]/;
        const split = words.find(word => separators.test(word));
        if (split !== undefined) {
            const which = name === 'tags' ? 'a comma, a new line or a #' : 'a space, a comma or a #';
            this.report(node, `${name}: '${split}' holds ${which}, which separate items`);
            return undefined;
        }
        return words.join(', ');
    }
    /**
     * `convert-missing` takes true or false, `unity-project` a folder or either; `path` and
     * `file-name` take text, not blank.
     */
    scalarText(name, node) {
        const value = (0,dist/* isScalar */.jn)(node) ? node.value : undefined;
        const takesBoolean = name === 'convert-missing' || name === 'unity-project';
        if (takesBoolean && typeof value === 'boolean')
            return String(value);
        if (typeof value === 'string' && value.trim() !== '')
            return value;
        this.report(node, `${name} must be ${SCALAR_KINDS[name] ?? 'a text'}`);
        return undefined;
    }
    /** The text, when the inputs' parser for `name` takes it; undefined after reporting why not. */
    checked(name, node, text) {
        try {
            this.check(name, text);
            return text;
        }
        catch (error) {
            if (!(error instanceof errors/* InputError */.dz))
                throw error;
            this.report(node, `${name}: ${error.message.replace(/^Input '[^']+': (line \d+: )?/, '')}`);
            return undefined;
        }
    }
    report(node, message) {
        const offset = node?.range?.[0] ?? 0;
        const { line, col } = this.lines.linePos(offset);
        this.problems.push({ line, column: col, message });
    }
}
/** The known key a typo most likely meant (two letters off at most), as a sentence; '' for none. */
function didYouMean(key, known) {
    const [best] = known
        .map(name => ({ name, distance: editDistance(key.toLowerCase(), name) }))
        .filter(candidate => candidate.distance <= 2 && candidate.distance < candidate.name.length)
        .sort((a, b) => a.distance - b.distance);
    return best ? `Did you mean '${best.name}'? ` : '';
}
/** Levenshtein's distance: the fewest letters added, removed or changed from one to the other. */
function editDistance(from, to) {
    let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
    for (let row = 1; row <= from.length; row++) {
        const current = [row];
        for (let column = 1; column <= to.length; column++) {
            const changed = previous[column - 1] + (from[row - 1] === to[column - 1] ? 0 : 1);
            current.push(Math.min(changed, previous[column] + 1, current[column - 1] + 1));
        }
        previous = current;
    }
    return previous[to.length];
}

;// CONCATENATED MODULE: ./src/settings/load-config.ts
// Reads the file that the `config` input names, from the workspace, before any input is used.






/** The file's values; undefined when `config` is blank. */
async function loadConfigFile(workspace, raw) {
    const relative = raw.trim();
    if (!relative)
        return undefined;
    const absolute = external_node_path_default().resolve(workspace, relative);
    if (!isInside(workspace, absolute)) {
        throw new errors/* InputError */.dz('config', `'${relative}' is outside the workspace`, 'Name a file in the repository, such as echo3d.yml');
    }
    const text = await readWorkspaceText(workspace, absolute, MAX_CONFIG_BYTES, () => {
        const limit = (0,quantities/* formatBytes */.z3)(MAX_CONFIG_BYTES);
        return new errors/* InputError */.dz('config', `'${relative}' is larger than ${limit}`, 'Name the right file');
    });
    if (text === undefined) {
        throw new errors/* InputError */.dz('config', `'${relative}' does not exist in the workspace`, 'Check out the repository first (actions/checkout), and check the path');
    }
    return parseConfigFile(relative, text, configValueCheck(workspace));
}

;// CONCATENATED MODULE: ./src/cli/selection.ts
// The flags of `pull`, `check` and `prune`, read as the action reads its inputs: the same parsers,
// the same configuration file and the same defaults, so that a selection means the same files on a
// laptop as in CI.







/** The input each flag stands for; the flag is `--` and the input's name. */
const FLAG_INPUTS = {
    config: 'config',
    entries: 'entries',
    tags: 'tags',
    files: 'files',
    formats: 'formats',
    convertMissing: 'convert-missing',
    path: 'path',
    fileName: 'file-name',
    lockfile: 'lockfile',
    apiUrl: 'api-url',
    concurrency: 'concurrency',
    conversionConcurrency: 'conversion-concurrency',
    timeout: 'timeout',
    retries: 'retries',
    maxFileSize: 'max-file-size',
    verify: 'verify',
    prune: 'prune',
    budgetMode: 'budget-mode',
    optimize: 'optimize',
    unityProject: 'unity-project'
};
/** The configuration file a workspace has when --config names none. */
const DEFAULT_CONFIG_FILE = 'echo3d.yml';
/** The engine's options for a verb, checked as the action checks its inputs. */
async function selectionOptions(flags, mode, place) {
    const configFile = flags.config
        ? givenConfigFile(flags.config, place.workspace)
        : defaultConfigFile(place.workspace);
    if (!configFile && !flags.entries && !flags.tags && !flags.files) {
        throw new errors/* ConfigurationError */.j1(`Nothing is selected: ${place.workspace} has no ${DEFAULT_CONFIG_FILE}. Write one with \`echo3d-assets init\`, or pass --entries, --tags or --files`);
    }
    const fromFile = configFile ? await loadConfigFile(place.workspace, configFile) : undefined;
    const config = fromFile && withFlagsFirst(fromFile, flags);
    return parseInputs(flagReader(flags, mode, place), place.workspace, place.proxy, config);
}
/**
 * The file's values, less those a flag sets. The action takes an input left at its default for
 * one left out (the runner passes both alike), so the file's value stands; a flag typed on the
 * command line is known to be given, and wins, even at the default. Entries, tags and files add.
 */
function withFlagsFirst(config, flags) {
    const texts = { ...config.texts };
    for (const [flag, input] of Object.entries(FLAG_INPUTS)) {
        if (flags[flag] === undefined)
            continue;
        if (isConfigKey(input) && !SELECTION_KEYS.includes(input))
            delete texts[input];
    }
    return { ...config, texts };
}
/** --config names a file from the current folder, as any path typed in a shell does. */
function givenConfigFile(given, workspace) {
    const absolute = external_node_path_default().resolve(given);
    if (!(0,external_node_fs_.existsSync)(absolute)) {
        throw new errors/* ConfigurationError */.j1(`--config: '${given}' does not exist in ${process.cwd()}. It is found from the current folder; check the path, or run \`echo3d-assets init\``);
    }
    return external_node_path_default().relative(workspace, absolute);
}
function defaultConfigFile(workspace) {
    return (0,external_node_fs_.existsSync)(external_node_path_default().join(workspace, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : '';
}
/**
 * Each input as the runner would pass it: the flag's value, or the input's default when the flag
 * is absent, so that the configuration file combines with flags as it does with inputs.
 */
function flagReader(flags, mode, place) {
    const fixed = {
        'api-key': place.credentials.apiKey,
        email: place.credentials.email,
        'user-key': place.credentials.userKey,
        'secret-key': place.credentials.secretKey,
        mode,
        // The runner's cache is the action's; on a laptop the files on disk are the cache.
        cache: 'false',
        'github-token': ''
    };
    const flagOf = new Map(Object.entries(FLAG_INPUTS).map(([flag, input]) => [input, flag]));
    return name => {
        if (name in fixed)
            return fixed[name] ?? '';
        const flag = flagOf.get(name);
        const given = flag === undefined ? undefined : flags[flag];
        if (given === undefined && name === 'api-url' && place.apiUrl)
            return place.apiUrl;
        return flagText(given) ?? defaultOf(name);
    };
}
function flagText(value) {
    if (value === undefined)
        return undefined;
    if (value === false)
        return '';
    if (value === true)
        return 'true';
    if (Array.isArray(value))
        return value.join('\n');
    return value;
}

;// CONCATENATED MODULE: ./src/report/model-review.ts
// The review of what changed inside each model, for the job summary and the pull request: before →
// after for size, triangles, textures and bounding box, the largest changes first, with a marker on
// the jumps a reviewer must not miss. Pure; the adapters escape and render it.

/** A change by more than this factor is marked (+50%). */
const GROWTH_MARK = 1.5;
/** A bounding box that changed by this factor either way was likely exported in other units. */
const SCALE_MARK = 10;
/** Models written in this run, the most marked first, then the largest growth. */
function modelChanges(files) {
    const changes = [];
    for (const file of files) {
        if (file.source === 'unchanged' || !file.model)
            continue;
        const after = { bytes: file.bytes, model: file.model };
        const before = file.before?.model
            ? { bytes: file.before.bytes, model: file.before.model }
            : undefined;
        changes.push({
            path: file.path,
            before,
            after,
            markers: before ? markersOf(before, after) : []
        });
    }
    return changes.sort((a, b) => b.markers.length - a.markers.length || growth(b) - growth(a) || (a.path < b.path ? -1 : 1));
}
function growth(change) {
    return change.before ? change.after.bytes / Math.max(change.before.bytes, 1) : 0;
}
function markersOf(before, after) {
    const markers = [];
    const grew = (name, from, to) => {
        if (from === undefined || to === undefined || to <= from * GROWTH_MARK || to === 0)
            return;
        markers.push(from === 0 ? `${name} from none` : `${name} +${Math.round((to / from - 1) * 100)}%`);
    };
    grew('triangles', before.model.triangles, after.model.triangles);
    grew('file size', before.bytes, after.bytes);
    grew('texture bytes', before.model.textureBytes, after.model.textureBytes);
    const [beforeTexture, afterTexture] = [before.model.largestTexture, after.model.largestTexture];
    if (afterTexture && pixels(afterTexture) > pixels(beforeTexture) * 2) {
        markers.push(`largest texture ${textureText(afterTexture)}`);
    }
    const scale = scaleChange(before.model.size, after.model.size);
    if (scale !== undefined)
        markers.push(scale);
    return markers;
}
function pixels(texture) {
    return texture ? texture[0] * texture[1] : 0;
}
/** "bounding box 100× larger", when the largest side changed ten times or more. */
function scaleChange(before, after) {
    if (!before || !after)
        return undefined;
    const [from, to] = [Math.max(...before), Math.max(...after)];
    if (from <= 0 || to <= 0)
        return undefined;
    const ratio = to / from;
    if (ratio >= SCALE_MARK)
        return `bounding box ${Math.round(ratio)}× larger`;
    if (ratio <= 1 / SCALE_MARK)
        return `bounding box ${Math.round(1 / ratio)}× smaller`;
    return undefined;
}
/** The review's columns, as plain text, for a renderer to escape. */
const REVIEW_COLUMNS = (/* unused pure expression or super */ null && ([
    'Model',
    'Size',
    'Triangles',
    'Textures',
    'Bounding box (m)',
    'Look at'
]));
/** One row of plain text cells, "before → after" where there was a before. */
function reviewCells(change) {
    const { before, after } = change;
    const pair = (show) => {
        const now = show(after);
        if (!before)
            return now;
        const then = show(before);
        return then === now ? now : `${then} → ${now}`;
    };
    return [
        change.path,
        pair(facts => formatBytes(facts.bytes)),
        pair(facts => countText(facts.model.triangles)),
        pair(texturesText),
        pair(facts => sizeText(facts.model.size)),
        before ? change.markers.join('; ') : 'new'
    ];
}
/** Bytes and triangles, before → after, for the row of a model's pictures: "new" or "removed". */
function sizeChangeText(before, after) {
    if (!after)
        return before ? `removed: ${factsText(before)}` : '';
    if (!before)
        return `new: ${factsText(after)}`;
    const bytes = `${formatBytes(before.bytes)} → ${formatBytes(after.bytes)}`;
    const [from, to] = [before.model?.triangles, after.model?.triangles];
    if (from === undefined || to === undefined)
        return bytes;
    return `${bytes}, ${formatCount(from)} → ${formatCount(to)} triangles`;
}
function factsText(facts) {
    const triangles = facts.model?.triangles;
    const noun = triangles === 1 ? 'triangle' : 'triangles';
    const count = triangles === undefined ? '' : `, ${formatCount(triangles)} ${noun}`;
    return `${formatBytes(facts.bytes)}${count}`;
}
function texturesText(facts) {
    const { textures, largestTexture, textureBytes } = facts.model;
    if (textures === undefined)
        return '—';
    if (textures === 0)
        return 'none';
    const largest = largestTexture ? `, largest ${textureText(largestTexture)}` : '';
    const bytes = textureBytes ? `, ${formatBytes(textureBytes)}` : '';
    return `${textures}${largest}${bytes}`;
}
function textureText([width, height]) {
    return `${width}×${height}`;
}
function countText(count) {
    return count === undefined ? '—' : (0,quantities/* formatCount */.B4)(count);
}
function sizeText(size) {
    if (!size)
        return '—';
    return size.map(side => Number(side.toPrecision(3)).toString()).join(' × ');
}
/** The columns of the table of models over budget. */
const BUDGET_COLUMNS = (/* unused pure expression or super */ null && (['Model', 'Limit', 'Allowed', 'Actual', 'Over by']));
/** One breach as plain text cells. */
function breachCells(breach) {
    const scope = breach.format;
    return [
        breach.path,
        `${breach.limit} (${scope})`,
        limitText(breach.limit, breach.max),
        limitText(breach.limit, breach.actual),
        overBy(breach)
    ];
}
/** As a share of the limit; over a limit of nothing, by the amount itself. */
function overBy(breach) {
    if (breach.max === 0)
        return `+${limitText(breach.limit, breach.actual)}`;
    return `+${Math.round((breach.actual / breach.max - 1) * 100)}%`;
}
/** "Chair.glb: triangles 48 over the 12 allowed": for a log line or an annotation. */
function breachText(breach) {
    const [, , allowed, actual, over] = breachCells(breach);
    return `${breach.path}: ${breach.limit} ${actual}, over the ${allowed} allowed (${over})`;
}
function limitText(limit, value) {
    if (limit === 'file-size' || limit === 'texture-bytes')
        return (0,quantities/* formatBytes */.z3)(value);
    if (limit === 'bounding-box')
        return `${Number(value.toPrecision(3))} m`;
    if (limit === 'texture-size')
        return `${value} px`;
    return countText(value);
}

;// CONCATENATED MODULE: ./src/cli/budgets.ts
// Broken budgets as the terminal shows them, for pull and check.


/**
 * Broken budgets: an error, or with `budget-mode: warn` a warning each (--json has them in its
 * document instead). Returns whether they fail the run.
 */
function reportBudgets(breaches, mode, terminal) {
    if (breaches.length === 0)
        return false;
    if (!terminal.options.json)
        printBreaches(breaches, mode, terminal);
    return mode === 'fail';
}
function printBreaches(breaches, mode, terminal) {
    if (mode === 'warn') {
        for (const breach of breaches)
            terminal.warn(`over budget: ${breachText(breach)}`);
        return;
    }
    const remedy = 'Raise the budgets, or pass --budget-mode warn to report them without failing';
    terminal.error(new errors/* ModelsOverBudget */.i2(breaches.map(breachText), remedy).message);
}

// EXTERNAL MODULE: ./node_modules/cli-progress/cli-progress.js
var cli_progress = __webpack_require__(8502);
;// CONCATENATED MODULE: ./src/report/log-lines.ts
// How the engine's events read in a log, one line each. Shared by the adapters, so the action's job
// log and a terminal say the same things in the same words.

/** One entry per kind of event: the compiler rejects a kind without its line. */
const LINES = {
    'stage-started': event => ({
        level: 'group',
        title: event.stage === 'resolving'
            ? 'Resolving entries'
            : `Pulling ${(0,quantities/* plural */.LS)(event.files ?? 0, 'file')}`
    }),
    'stage-ended': () => ({ level: 'end-group' }),
    'tags-selected': event => tagsSelected(event),
    planned: event => debug(`${event.asset.label} -> ${event.asset.relativePath} (${howFetched(event.asset)})`),
    'plan-ready': event => info(planReady(event.files, event.conversions)),
    'shard-selected': event => info(`Shard ${event.shard.index} of ${event.shard.count}: this job pulls ${event.entries} of the selection's entries`),
    'lockfile-ignored': event => warning(`The lockfile ${event.path} is corrupt or was edited by hand (${event.reason}). It is ignored: every file is pulled again, and the lockfile is rewritten`),
    'partials-removed': event => info(`Removed ${(0,quantities/* plural */.LS)(event.count, 'partial file')} that an interrupted run left behind`),
    'stale-on-disk': event => info(`  ${event.asset.relativePath}: ${event.reason}; pulling it again`),
    'cache-copy-rejected': event => warning(`The cached copy of ${event.asset.label} failed its check (${event.reason}); downloading it again`),
    'cache-store-failed': event => warning(`Could not cache storage ID ${event.storageId}: ${event.reason}. The run goes on without it`),
    'cache-save-failed': event => warning(`The cache could not save this run's files (${event.reason}); the next run downloads them again`),
    retrying: event => info(`${event.asset ? `  ${event.asset.label}` : 'Metadata query'}: ${event.reason}; retry ${event.attempt} of ${event.retries} in ${(0,quantities/* formatDuration */.a3)(event.delayMs)}`),
    'conversion-started': event => info(`  ${event.asset.label}: asked echo3D to convert it; waiting (up to ${(0,quantities/* formatDuration */.a3)(event.timeoutMs)})`),
    'conversions-lowered': event => warning(`echo3D asked for fewer conversions at once (429 Too Many Requests): at most ${event.to} at a time from now on, down from ${event.from}`),
    'conversion-waiting': event => info(`  ${event.asset.label}: still converting, waited ${(0,quantities/* formatDuration */.a3)(event.waitedMs)}`),
    'download-progress': event => info(`  ${event.asset.relativePath}: ${event.percent}% of ${(0,quantities/* formatBytes */.z3)(event.totalBytes)}`),
    pulled: ({ asset, file }) => (file.source === 'unchanged' ? debug : info)(`✓ ${asset.relativePath} (${file.format}, ${(0,quantities/* formatBytes */.z3)(file.bytes)}, ${file.source}, ${(0,quantities/* formatDuration */.a3)(file.durationMs)})`),
    'models-inspected': event => info(modelsInspected(event)),
    'unchanged-total': event => info(`✓ ${(0,quantities/* plural */.LS)(event.files, 'file')} already up to date on disk: nothing transferred for ${event.files === 1 ? 'it' : 'them'}`),
    failed: event => info(`✗ ${event.failure.label}: ${event.failure.message}`),
    'conversion-ids-unknown': event => warning(`Could not record the storage IDs of converted files: ${event.reason}`),
    'prune-skipped': event => warning(pruneSkippedText(event.unmatchedTags)),
    pruned: event => info(`Pruned ${event.path} (no longer selected)`),
    'prune-kept': event => warning(`Not pruning ${event.path}: ${event.reason}`),
    stale: event => info(`✗ ${event.stale.path}: ${event.stale.reason}`),
    'up-to-date': event => info(event.files === 1 ? 'The asset is up to date' : `All ${event.files} assets are up to date`),
    'unity-metas': event => unityMetas(event.report),
    'unity-import-warning': event => warning(event.text),
    'unity-outside-assets': event => warning(`A Unity project: ${event.reason}`)
};
function unityMetas(report) {
    const where = report.project ? `Unity project ${report.project}` : 'Unity project';
    return info(`${where}: ${(0,quantities/* plural */.LS)(report.written.length, '.meta file')} written, ${report.kept.length} kept, ${report.removed.length} removed`);
}
function logLineOf(event) {
    const line = LINES[event.kind];
    return line(event);
}
const TAG_NAMES_HINT = 'check the tag names in echo3D (they are case-sensitive)';
function tagsSelected({ tags, entries, unmatched }) {
    const selected = `Tags ${tags.join(', ')} selected ${entries} entries`;
    if (entries === 0)
        return warning(`${selected}: ${TAG_NAMES_HINT}`);
    if (unmatched.length === 0)
        return info(selected);
    return warning(`${selected}, none of them by ${tagList(unmatched)}: ${TAG_NAMES_HINT}`);
}
function pruneSkippedText(unmatchedTags) {
    if (!unmatchedTags)
        return 'Not pruning: some assets failed, so the selection is not known for sure';
    return `Not pruning: ${tagList(unmatchedTags)} selected no entry, so the selection is not known for sure. Correct the tag, or remove it from the selection`;
}
function tagList(tags) {
    return `${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')}`;
}
function modelsInspected(event) {
    const statistics = `Read the statistics of ${(0,quantities/* plural */.LS)(event.models, 'model')} in ${(0,quantities/* formatDuration */.a3)(event.statisticsMs)}`;
    if (event.validated === 0)
        return statistics;
    return `${statistics}; validated ${event.validated} with the glTF Validator in ${(0,quantities/* formatDuration */.a3)(event.validationMs)}`;
}
function planReady(files, conversions) {
    const converting = conversions > 0 ? `, ${conversions} of them by conversion` : '';
    return `Planned ${(0,quantities/* plural */.LS)(files, 'file')}${converting}`;
}
function howFetched(asset) {
    return asset.method.kind === 'convert' ? 'convert' : `storage ID ${asset.method.storageId}`;
}
function debug(text) {
    return { level: 'debug', text };
}
function info(text) {
    return { level: 'info', text };
}
function warning(text) {
    return { level: 'warning', text };
}

;// CONCATENATED MODULE: ./src/cli/display.ts
// How a run's events reach the person who started it. In a terminal: a live row per transfer
// (bytes, rate, time left) and per conversion (time waited), with each finished file printed above
// them. Elsewhere (CI, a pipe, --quiet, --json): one plain line per event, the same lines the
// action writes to its job log.



function createDisplay(terminal) {
    return terminal.live ? new LiveDisplay(terminal) : new LineDisplay(terminal);
}
/** Runs `work` with a display, whose live rows leave the screen however it ends. */
async function withDisplay(terminal, work) {
    const display = createDisplay(terminal);
    try {
        return await work(display);
    }
    finally {
        display.stop();
    }
}
/** One line per event, as the job log has them; --quiet and --json keep only warnings. */
class LineDisplay {
    terminal;
    constructor(terminal) {
        this.terminal = terminal;
    }
    emit = event => {
        const line = logLineOf(event);
        if (line.level === 'warning')
            this.terminal.warn(line.text);
        else if (this.shows(line))
            this.terminal.print(textOf(line), paintFor(line, this.terminal));
    };
    stop() { }
    shows(line) {
        const { json, quiet, verbose } = this.terminal.options;
        if (json || quiet || line.level === 'end-group')
            return false;
        return line.level !== 'debug' || verbose;
    }
}
const ROW_OPTIONS = {
    format: renderRow,
    hideCursor: true,
    clearOnComplete: true,
    linewrap: false,
    barsize: 20,
    fps: 8,
    barCompleteChar: '█',
    barIncompleteChar: '░'
};
const LIVE_ROW_EVENTS = new Set([
    'conversion-started',
    'conversion-waiting',
    'download-progress'
]);
/** Live rows under the printed lines; only where a person watches a terminal. */
class LiveDisplay {
    terminal;
    bars;
    rows = new Map();
    constructor(terminal) {
        this.terminal = terminal;
        this.bars = new cli_progress.MultiBar({ ...ROW_OPTIONS, stream: terminal.stdout });
    }
    emit = event => {
        if (event.kind === 'conversion-started')
            this.startConversion(event.asset);
        else if (event.kind === 'pulled' || event.kind === 'failed')
            this.finish(event);
        // The live rows show these.
        if (LIVE_ROW_EVENTS.has(event.kind))
            return;
        const line = logLineOf(event);
        if (line.level === 'warning')
            this.printLine(`${this.terminal.colors.yellow('warning:')} ${this.terminal.safe(line.text)}`);
        else if (line.level !== 'end-group' &&
            (line.level !== 'debug' || this.terminal.options.verbose))
            this.printLine(paintFor(line, this.terminal)(this.terminal.safe(textOf(line))));
    };
    onBytes = (asset, bytesSoFar, totalBytes) => {
        const row = this.rows.get(asset) ?? this.startRow(asset);
        const total = Math.max(totalBytes ?? 0, bytesSoFar, 1);
        if (row.getTotal() !== total)
            row.setTotal(total);
        row.update(bytesSoFar, { convertingSince: undefined, totalBytes });
    };
    /** Prints what was logged above the rows, then takes the rows off the screen. */
    stop() {
        if (!this.bars.isActive)
            return;
        this.bars.update();
        this.bars.stop();
    }
    startConversion(asset) {
        const row = this.rows.get(asset) ?? this.startRow(asset);
        row.update(0, { convertingSince: Date.now() });
    }
    startRow(asset) {
        const payload = { label: this.terminal.safe(asset.relativePath) };
        const row = this.bars.create(1, 0, payload);
        this.rows.set(asset, row);
        return row;
    }
    finish(event) {
        const row = event.asset && this.rows.get(event.asset);
        if (!row || !event.asset)
            return;
        this.rows.delete(event.asset);
        this.bars.remove(row);
        // With no row left, lines go straight to the terminal until the next transfer starts.
        if (this.rows.size === 0)
            this.stop();
    }
    /**
     * Above the live rows while they are drawn, straight to the terminal otherwise: the rows are
     * redrawn by moving the cursor up over them, so nothing else may write between two redraws.
     */
    printLine(safeLine) {
        if (this.bars.isActive)
            this.bars.log(`${safeLine}\n`);
        else
            this.terminal.printSafe(safeLine);
    }
}
function renderRow(options, params, payload) {
    if (payload.convertingSince !== undefined) {
        const waited = (0,quantities/* formatDuration */.a3)(Date.now() - payload.convertingSince);
        return `  ${payload.label}  converting on echo3D, waited ${waited}`;
    }
    const elapsedSeconds = Math.max((Date.now() - params.startTime) / 1000, 0.001);
    const rate = Math.round(params.value / elapsedSeconds);
    const received = (0,quantities/* formatBytes */.z3)(params.value);
    if (payload.totalBytes === undefined) {
        return `  ${payload.label}  ${received}  ${(0,quantities/* formatBytes */.z3)(rate)}/s`;
    }
    const left = rate > 0 ? (0,quantities/* formatDuration */.a3)(((payload.totalBytes - params.value) / rate) * 1000) : '?';
    const bar = cli_progress.Format.BarFormat(params.progress, options);
    const percent = Math.floor(params.progress * 100);
    return `  ${payload.label}  ${bar} ${percent}%  ${received} of ${(0,quantities/* formatBytes */.z3)(payload.totalBytes)}  ${(0,quantities/* formatBytes */.z3)(rate)}/s  ${left} left`;
}
function textOf(line) {
    if (line.level === 'end-group')
        return '';
    return line.level === 'group' ? line.title : line.text;
}
function paintFor(line, terminal) {
    const { colors } = terminal;
    if (line.level === 'group')
        return colors.bold;
    if (line.level === 'debug')
        return colors.dim;
    if (line.level === 'info' && line.text.startsWith('✓'))
        return colors.green;
    if (line.level === 'info' && line.text.startsWith('✗'))
        return colors.red;
    return text => text;
}

;// CONCATENATED MODULE: ./src/cli/verbs/check.ts
// `echo3d-assets check`: the action's check mode. Exit code 3 when anything is missing or stale.








const REMEDY = 'Run `echo3d-assets pull` to update them';
async function check(flags, context) {
    const options = await selectionOptions(flags, 'check', context.place);
    const { terminal } = context;
    const report = await withDisplay(terminal, display => checkAssets(options, requestPorts(context, display)));
    if (terminal.options.json)
        terminal.printJson(report);
    else
        reportCheck(report, context);
    const budgetsFail = reportBudgets(report.overBudget, options.budgetMode, terminal);
    if (report.failures.length > 0)
        return EXIT.failed;
    if (report.stale.length > 0)
        return EXIT.stale;
    return budgetsFail ? EXIT.failed : EXIT.done;
}
function reportCheck(report, { terminal }) {
    if (report.failures.length > 0)
        terminal.error(new errors/* AssetFailures */.OO(report.failures).message);
    if (report.stale.length === 0)
        return;
    // The events listed each file already, unless --quiet kept them off the screen.
    if (terminal.options.quiet)
        terminal.error(new errors/* StaleAssets */.RX(report.stale, REMEDY).message);
    else
        terminal.error(`${(0,quantities/* plural */.LS)(report.stale.length, 'file')} missing or stale. ${REMEDY}`);
}

;// CONCATENATED MODULE: ./src/cli/verbs/init.ts
// `echo3d-assets init`: a starter configuration file and a workflow that refreshes the assets every
// night with a pull request, from flags. Nothing is overwritten without --force.











/** This action, as the README's examples name it. */
const ACTION_REFERENCE = 'OWNER/echo3d-assets-action@v1';
const DEFAULT_WORKFLOW = '.github/workflows/echo3d-assets.yml';
/** Every night at 03:00 UTC. */
const DEFAULT_SCHEDULE = '0 3 * * *';
const CRON_PATTERN = /^[\d*/,-]+( [\d*/,A-Za-z-]+){4}$/;
const USES_PATTERN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$/;
async function init(flags, workspace, terminal) {
    const configName = flags.config ?? DEFAULT_CONFIG_FILE;
    const destination = flags.path ?? (await defaultDestination(workspace));
    const config = starterConfig(flags);
    const files = [
        starterFile(workspace, configName, configText(config, destination, workspace, configName)),
        starterFile(workspace, flags.workflow ?? DEFAULT_WORKFLOW, workflowText(flags, configName))
    ];
    await refuseOverwrite(files, flags.force ?? false);
    // Every target is looked at before any is written: a refusal leaves the repository as it was.
    const folders = new WorkspaceFolders(workspace);
    for (const file of files)
        await folders.check(external_node_path_default().dirname(file.absolute));
    const gitignore = await readGitignore(workspace);
    for (const file of files)
        await writeWorkspaceText(workspace, file.absolute, file.text);
    const ignoredNow = await ignoreDotEnv(workspace, gitignore);
    if (await usdzIntoUnity(config, destination, workspace))
        terminal.warn(UNITY_USDZ_WARNING);
    if (terminal.options.json) {
        terminal.printJson({ written: files.map(file => file.name), gitignoreUpdated: ignoredNow });
    }
    else {
        printNextSteps(files, ignoredNow, terminal, (flags.uses ?? ACTION_REFERENCE) === ACTION_REFERENCE);
    }
    return EXIT.done;
}
/** Inside the repository, and in no hidden folder but .github (never in .git). */
function starterFile(workspace, name, text) {
    const absolute = external_node_path_default().resolve(workspace, name);
    if (!isBelow(workspace, absolute)) {
        throw new errors/* ConfigurationError */.j1(`${name} is outside the repository (${workspace}). Name a file inside it`);
    }
    const segments = external_node_path_default().relative(workspace, absolute).split((external_node_path_default()).sep);
    const unplain = segments.find((segment, index) => !isPlainName(segment) && !(index === 0 && segment === '.github'));
    if (unplain !== undefined) {
        throw new errors/* ConfigurationError */.j1(`${name} has a name init would not write: '${unplain}'. Use plain names, outside hidden folders other than .github`);
    }
    return { name: segments.join('/'), absolute, text };
}
/** A link counts as a file that exists, even one that leads nowhere. */
async function refuseOverwrite(files, force) {
    const present = await Promise.all(files.map(file => (0,promises_.lstat)(file.absolute).then(() => true, () => false)));
    const existing = files.filter((_file, index) => present[index]).map(file => file.name);
    if (existing.length === 0 || force)
        return;
    throw new errors/* ConfigurationError */.j1(`${existing.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; nothing was written. Add --force to replace ${existing.length === 1 ? 'it' : 'them'}`);
}
/** In a Unity project, the models go into its Assets folder, where they get their `.meta`. */
const UNITY_DESTINATION = 'Assets/Models/echo3D';
async function defaultDestination(workspace) {
    const place = { workspace, destination: external_node_path_default().join(workspace, UNITY_DESTINATION) };
    const unity = await lookUpUnityProject(place);
    return unity.kind === 'found' ? UNITY_DESTINATION : defaultOf('path');
}
function starterConfig(flags) {
    const entries = parseEntries((flags.entries ?? []).join('\n'));
    const tags = splitTags(flags.tags ?? '');
    if (entries.length === 0 && tags.length === 0) {
        throw new errors/* InputError */.dz('entries', 'init needs something to select', 'Give --entries ID (or "ID: glb, usdz") or --tags TAG; `echo3d-assets list` shows the collection');
    }
    const formats = parseFormats('formats', flags.formats ?? defaultOf('formats'));
    return { entries, tags, formats, uses: flags.uses ?? ACTION_REFERENCE };
}
const UNITY_USDZ_WARNING = 'Unity does not import USDZ files: they serve iOS AR Quick Look. Leave usdz out of --formats and --entries, or give --path outside Assets';
/** Whether USDZ files would land in a Unity project's Assets, which `pull` would warn of each run. */
async function usdzIntoUnity({ entries, tags, formats }, destination, workspace) {
    // An entry's own formats replace the file's; the tags' entries take the file's.
    const ownOrFile = entries.flatMap(entry => (entry.formats.length > 0 ? entry.formats : formats));
    const askedFor = [...ownOrFile, ...(tags.length > 0 ? formats : [])];
    if (!askedFor.includes('usdz'))
        return false;
    const place = { workspace, destination: external_node_path_default().resolve(workspace, destination) };
    return (await lookUpUnityProject(place)).kind === 'found';
}
/** The configuration file, checked by the same reader `pull` and the action use. */
function configText({ entries, tags, formats, uses }, destination, workspace, configName) {
    parseDestination(destination, workspace);
    const body = (0,dist/* stringify */.As)({
        ...(entries.length > 0 ? { entries: entries.map(entryValue) } : {}),
        ...(tags.length > 0 ? { tags } : {}),
        formats,
        path: destination
    });
    const text = `${schemaComment(uses)}\n# The echo3D entries this repository uses: read by the echo3D Assets Action (input \`config\`)\n# and by \`echo3d-assets pull\` on your machine.\n${body}`;
    parseConfigFile(configName, text, configValueCheck(workspace));
    return text;
}
/**
 * Editors with the YAML language server check the file against the action's JSON Schema, at the
 * release the workflow uses.
 */
function schemaComment(uses) {
    const [repository, ref] = uses.split('@');
    const [owner, name] = repository.split('/');
    return `# yaml-language-server: $schema=https://raw.githubusercontent.com/${owner}/${name}/${ref}/echo3d.schema.json`;
}
function entryValue(entry) {
    return entry.formats.length > 0 ? { id: entry.id, formats: entry.formats } : entry.id;
}
function workflowText(flags, configName) {
    const schedule = flags.schedule ?? DEFAULT_SCHEDULE;
    if (!CRON_PATTERN.test(schedule)) {
        throw new errors/* InputError */.dz('schedule', `'${schedule}' is not a cron schedule`, "Give five fields, such as '0 3 * * *' (every night at 03:00 UTC)");
    }
    const uses = flags.uses ?? ACTION_REFERENCE;
    if (!USES_PATTERN.test(uses)) {
        throw new errors/* InputError */.dz('uses', `'${uses}' is not an action reference`, 'Give owner/repository@ref');
    }
    return `# Refreshes the echo3D assets every night and opens a pull request when they changed.
# Written by \`echo3d-assets init\`; the selection is in ${configName}.
name: echo3D assets

on:
  schedule:
    - cron: ${JSON.stringify(schedule)}
  workflow_dispatch:

permissions:
  contents: write
  pull-requests: write

jobs:
  refresh:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
      - uses: ${uses}
        with:
          api-key: \${{ secrets.ECHO3D_API_KEY }}
          email: \${{ secrets.ECHO3D_EMAIL }}
          user-key: \${{ secrets.ECHO3D_USER_KEY }}
          secret-key: \${{ secrets.ECHO3D_SECRET_KEY }}
          config: ${JSON.stringify(configName)}
          commit: pull-request
          previews: true
`;
}
async function readGitignore(workspace) {
    const absolute = external_node_path_default().join(workspace, '.gitignore');
    const text = await readWorkspaceText(workspace, absolute, MAX_GITIGNORE_BYTES, () => {
        return new errors/* ConfigurationError */.j1(`${absolute} is larger than 1 MiB; add .env to it by hand`);
    });
    return { absolute, text: text ?? '' };
}
/** The credentials' .env file must never be committed. Returns whether .gitignore was changed. */
async function ignoreDotEnv(workspace, { absolute, text }) {
    const lines = text.split(/\r?\n/).map(line => line.trim());
    if (lines.includes('.env') || lines.includes('/.env'))
        return false;
    const separator = text && !text.endsWith('\n') ? '\n' : '';
    await writeWorkspaceText(workspace, absolute, `${text}${separator}.env\n`);
    return true;
}
const MAX_GITIGNORE_BYTES = 1024 * 1024;
function printNextSteps(files, ignoredNow, terminal, placeholderAction) {
    for (const file of files)
        terminal.print(`Wrote ${file.name}`, terminal.colors.green);
    if (ignoredNow)
        terminal.print('Added .env to .gitignore', terminal.colors.green);
    terminal.printLines(`
Next:
  1. Put the credentials in .env (ECHO3D_API_KEY=…, ECHO3D_EMAIL=…, ECHO3D_USER_KEY=…), unless
     the shell exports them already, then run
     echo3d-assets pull
  2. Store the same values as repository secrets of the same names, for example
     gh secret set ECHO3D_API_KEY
  3. Commit ${files.map(file => file.name).join(', ')}, the assets and their lockfile`);
    if (placeholderAction) {
        terminal.printLines(`  4. The workflow uses ${ACTION_REFERENCE}: replace OWNER with the action's owner, or run
     init again with --uses owner/repository@ref --force`);
    }
}

;// CONCATENATED MODULE: ./src/cli/table.ts
// A plain table for the terminal, columns padded to their widest cell.

/** The header and rows as lines, every cell made safe; the header is bold where colours are on. */
function renderTable(header, rows, terminal) {
    const safeRows = rows.map(row => row.map(cell => terminal.safe((0,src_escape/* clipped */.cz)(cell, MAX_CELL_CHARACTERS))));
    const widths = header.map((title, column) => Math.max(title.length, ...safeRows.map(row => width(row[column] ?? ''))));
    const line = (cells) => cells
        .map((cell, column) => cell + ' '.repeat(widths[column] - width(cell)))
        .join('  ')
        .trimEnd();
    return [terminal.colors.bold(line(header)), ...safeRows.map(line)];
}
/** A cell's text cut to a width a terminal can show, so one long name cannot widen every row. */
const MAX_CELL_CHARACTERS = 80;
/** Characters as a terminal counts them, near enough for names and numbers. */
function width(text) {
    return [...text].length;
}

;// CONCATENATED MODULE: ./src/cli/verbs/list.ts
// `echo3d-assets list`: the collection's entries, to find what to select.









async function list(flags, context) {
    const { terminal, place } = context;
    const check = new InputCheck();
    const options = {
        apiUrl: check.attempt(() => parseApiUrl(flags.apiUrl ?? place.apiUrl ?? defaultOf('api-url')), new URL('https://invalid')),
        timeoutMs: check.attempt(() => parseDuration('timeout', flags.timeout ?? defaultOf('timeout')), 0),
        retries: check.attempt(() => parseInteger('retries', flags.retries ?? defaultOf('retries'), 0, MAX_RETRIES), 0),
        credentials: place.credentials,
        proxy: place.proxy,
        concurrency: 1,
        conversionConcurrency: 1
    };
    check.throwIfAny();
    const tags = splitTags(flags.tags ?? '');
    const entries = await withDisplay(terminal, display => listCatalog(options, tags, requestPorts(context, display)));
    if (terminal.options.json)
        terminal.printJson(entries);
    else
        printEntries(entries, tags, context);
    return EXIT.done;
}
function printEntries(entries, tags, { terminal }) {
    if (entries.length === 0) {
        const tagged = tags.length > 0 ? ` tagged ${tags.join(' or ')}` : '';
        const hint = tags.length > 0 ? ': `echo3d-assets list` shows every entry, with its tags' : '';
        terminal.print(`No entries found${tagged}${hint}`);
        return;
    }
    const rows = entries.map(entry => [
        entry.id,
        entry.name,
        entry.tags.join(', '),
        entry.formats.join(', '),
        entry.uploadBytes === undefined ? '' : (0,quantities/* formatBytes */.z3)(entry.uploadBytes)
    ]);
    for (const line of renderTable(['ID', 'NAME', 'TAGS', 'FORMATS', 'UPLOAD SIZE'], rows, terminal))
        terminal.printSafe(line);
    if (!terminal.options.quiet) {
        terminal.print(`${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}. Select them by ID or tag in echo3d.yml, or with --entries and --tags`, terminal.colors.dim);
    }
}

;// CONCATENATED MODULE: ./src/cli/verbs/prune.ts
// `echo3d-assets prune`: the action's prune on its own, with --dry-run to see what would go.







async function prune(flags, context) {
    const dryRun = flags.dryRun ?? false;
    // `prune` asks for the lockfile, as the action's input does.
    const options = await selectionOptions({ ...flags, prune: true }, 'pull', context.place);
    const { terminal } = context;
    const report = await withDisplay(terminal, display => pruneAssets(options, requestPorts(context, display), dryRun));
    if (terminal.options.json)
        terminal.printJson({ dryRun, ...report });
    else
        reportPrune(report, dryRun, terminal);
    return report.failures.length > 0 || report.unmatchedTags ? EXIT.failed : EXIT.done;
}
function reportPrune(report, dryRun, terminal) {
    if (report.failures.length > 0) {
        terminal.error(`${new errors/* AssetFailures */.OO(report.failures).message}\nNothing was pruned: the selection is not known for sure`);
        return;
    }
    if (report.unmatchedTags) {
        // The display has said which tags, and what to do.
        terminal.error('Nothing was pruned: the selection is not known for sure');
        return;
    }
    if (report.candidates.length === 0) {
        terminal.print('Nothing to prune: every file the lockfile records is still selected');
        return;
    }
    if (dryRun) {
        reportDryRun(report, terminal);
        return;
    }
    const parts = [`Removed ${(0,quantities/* plural */.LS)(report.pruned.length, 'file')}`];
    if (report.alreadyGone.length > 0) {
        parts.push(`forgot ${(0,quantities/* plural */.LS)(report.alreadyGone.length, 'file')} already gone`);
    }
    if (report.kept.length > 0)
        parts.push(`kept ${report.kept.length}, for the reasons above`);
    terminal.print(parts.join('; '), terminal.colors.bold);
}
/** What prune would do, judged by prune's own rule: what it would remove, and what keep and why. */
function reportDryRun(report, terminal) {
    const kept = new Map(report.kept.map(file => [file.path, file.reason]));
    const gone = new Set(report.alreadyGone);
    const going = report.candidates.filter(file => !kept.has(file.path) && !gone.has(file.path));
    if (going.length > 0) {
        terminal.print(`Would remove ${(0,quantities/* plural */.LS)(going.length, 'file')}:`);
        const metas = new Set(report.candidateMetas);
        for (const file of going) {
            const meta = metas.has(`${file.path}.meta`) ? ', and its .meta' : '';
            terminal.print(`  ${file.path} (${(0,quantities/* formatBytes */.z3)(file.bytes)})${meta}`);
        }
        if (report.candidateMetas) {
            terminal.print('Folders they leave empty go too, with the .meta the action gave them');
        }
    }
    if (gone.size > 0) {
        terminal.print(`Would forget ${(0,quantities/* plural */.LS)(gone.size, 'file')} already gone from the disk:`);
        for (const filePath of gone)
            terminal.print(`  ${filePath}`);
    }
    if (kept.size > 0) {
        terminal.print(`Would keep ${(0,quantities/* plural */.LS)(kept.size, 'file')} the selection no longer has:`);
        for (const [filePath, reason] of kept)
            terminal.print(`  ${filePath}: ${reason}`);
    }
    if (going.length > 0)
        terminal.print('Run without --dry-run to remove them', terminal.colors.dim);
}

;// CONCATENATED MODULE: ./src/previews/browser.ts
// Where the machine's Chrome or Chromium is: `CHROME_PATH` when it is set, then the places the
// installers use on each platform (GitHub's runners have Chrome installed), then the names on
// PATH. The action carries no browser of its own.


/** Where the installers put it, by platform. */
const KNOWN_PATHS = {
    linux: [
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser'
    ],
    darwin: [
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium'
    ],
    win32: [
        'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'
    ]
};
const PATH_NAMES = [
    'google-chrome',
    'google-chrome-stable',
    'chromium',
    'chromium-browser',
    'chrome'
];
/** The browser's executable, or undefined when the machine has none that the action can find. */
function findBrowser({ env, platform, isExecutable = canRun }) {
    const chosen = env.CHROME_PATH?.trim();
    if (chosen)
        return isExecutable(chosen) ? chosen : undefined;
    const known = (KNOWN_PATHS[platform] ?? []).find(isExecutable);
    if (known)
        return known;
    const extension = platform === 'win32' ? '.exe' : '';
    const folders = (env.PATH ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
    for (const folder of folders) {
        for (const name of PATH_NAMES) {
            const candidate = external_node_path_default().join(folder, name + extension);
            if (isExecutable(candidate))
                return candidate;
        }
    }
    return undefined;
}
function canRun(file) {
    try {
        (0,external_node_fs_.accessSync)(file, external_node_fs_.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/cli/verbs/preview.ts
// `echo3d-assets preview FILES…`: a picture of each GLB or glTF file, drawn by the machine's own
// Chrome or Chromium as the action draws them for a pull request, written into a folder of the
// repository for a look before pushing.









const DEFAULT_PREVIEW_FOLDER = 'previews';
const DEFAULT_PREVIEW_TIMEOUT = '30s';
/** The browser's start, page and shaders included, on a slow machine. */
const START_TIMEOUT_MS = 60_000;
async function preview(files, flags, workspace, terminal) {
    const { models, outFolder, modelTimeoutMs } = checkedRequest(files, flags, workspace);
    const executablePath = findBrowser({ env: process.env, platform: process.platform });
    if (!executablePath) {
        throw new errors/* ConfigurationError */.j1('no Chrome or Chromium was found. Install one, or set CHROME_PATH to its executable');
    }
    // Loaded here, so that the other verbs do not parse the browser's driver.
    const { startRenderer } = await Promise.all(/* import() */[__webpack_require__.e(959), __webpack_require__.e(256)]).then(__webpack_require__.bind(__webpack_require__, 9256));
    const renderer = await startRenderer({
        executablePath,
        modelTimeoutMs,
        startTimeoutMs: START_TIMEOUT_MS,
        temporaryRoot: external_node_os_default().tmpdir()
    });
    const results = [];
    const names = pictureNames(models, workspace);
    try {
        for (const [index, model] of models.entries()) {
            const picture = external_node_path_default().join(outFolder, names[index]);
            results.push(await drawOne(renderer, model, picture, workspace));
        }
    }
    finally {
        await renderer.close();
    }
    report(results, workspace, terminal);
    return results.some(result => result.error) ? EXIT.failed : EXIT.done;
}
function checkedRequest(files, flags, workspace) {
    if (files.length === 0) {
        throw new errors/* ConfigurationError */.j1('name the GLB or glTF files to draw, such as assets/echo3d/*.glb');
    }
    // Relative to the current folder, as the shell expands `*.glb`.
    const models = files.map(file => external_node_path_default().resolve(file));
    const other = models.find(file => !/\.(glb|gltf)$/i.test(file));
    if (other) {
        throw new errors/* ConfigurationError */.j1(`'${external_node_path_default().relative(workspace, other)}' is not a GLB or glTF file`);
    }
    const missing = files.find((_, index) => !(0,external_node_fs_.existsSync)(models[index]));
    if (missing !== undefined) {
        throw new errors/* ConfigurationError */.j1(`'${missing}' does not exist in ${process.cwd()}. Files are found from the current folder`);
    }
    const outFolder = external_node_path_default().resolve(workspace, flags.out);
    if (!isInside(workspace, outFolder)) {
        throw new errors/* ConfigurationError */.j1(`--out '${flags.out}' is outside the repository. Name a folder in it`);
    }
    return { models, outFolder, modelTimeoutMs: parseDuration('--timeout', flags.timeout) };
}
/**
 * Each picture's name: the model's path in the repository, its folders joined by dashes, and a
 * number where two would meet (`a/b-c.glb` and `a-b/c.glb`; case does not tell files apart on
 * macOS and Windows).
 */
function pictureNames(models, workspace) {
    const taken = new Set();
    return models.map(model => {
        const relative = isInside(workspace, model)
            ? external_node_path_default().relative(workspace, model)
            : external_node_path_default().basename(model);
        const stem = relative.split((external_node_path_default()).sep).join('-');
        let name = `${stem}.png`;
        for (let number = 2; taken.has(naming_sameFileKey(name)); number++)
            name = `${stem}-${number}.png`;
        taken.add(naming_sameFileKey(name));
        return name;
    });
}
async function drawOne(renderer, model, picture, workspace) {
    try {
        const { png } = await renderer.render(await (0,promises_.readFile)(model));
        await writeWorkspaceText(workspace, picture, png);
        return { file: model, picture };
    }
    catch (error) {
        if (!(error instanceof errors/* PreviewError */.bU) && !isFileError(error))
            throw error;
        return { file: model, error: (0,errors/* errorMessage */.gJ)(error) };
    }
}
function isFileError(error) {
    return error instanceof Error && 'code' in error && typeof error.code === 'string';
}
function report(results, workspace, terminal) {
    const shown = (file) => external_node_path_default().relative(workspace, file);
    if (terminal.options.json) {
        terminal.printJson(results.map(({ file, picture, error }) => ({
            file: shown(file),
            ...(picture ? { picture: shown(picture) } : {}),
            ...(error ? { error } : {})
        })));
        return;
    }
    for (const { file, picture, error } of results) {
        if (picture)
            terminal.print(`${shown(file)} → ${shown(picture)}`);
        else
            terminal.error(`${shown(file)}: no picture: ${error ?? ''}`);
    }
}

;// CONCATENATED MODULE: ./src/cli/verbs/pull.ts
// `echo3d-assets pull`: the action's pull, into the same folder, with the same lockfile.









/** Rows of the final table; past them, --json has every file. */
const MAX_TABLE_ROWS = 200;
async function pull(flags, context) {
    const options = await selectionOptions(flags, 'pull', context.place);
    const { terminal } = context;
    const report = await withDisplay(terminal, async (display) => {
        const stopListening = removePartialsOnInterrupt(display, terminal);
        try {
            return await pullAssets(options, {
                ...requestPorts(context, display),
                cache: NO_CACHE,
                onBytes: display.onBytes
            });
        }
        finally {
            stopListening();
        }
    });
    reportPull(report, terminal);
    const budgetsFail = reportBudgets(report.overBudget, options.budgetMode, terminal);
    return report.failures.length > 0 || budgetsFail ? EXIT.failed : EXIT.done;
}
function reportPull(report, terminal) {
    if (terminal.options.json) {
        terminal.printJson(report);
        return;
    }
    if (terminal.live)
        printChangedFiles(report.files, terminal);
    if (!terminal.options.quiet)
        terminal.print(totals(report), terminal.colors.bold);
    if (report.failures.length > 0)
        terminal.error(new errors/* AssetFailures */.OO(report.failures).message);
}
function printChangedFiles(files, terminal) {
    const changed = files.filter(file => file.source !== 'unchanged');
    if (changed.length === 0)
        return;
    const rows = changed
        .slice(0, MAX_TABLE_ROWS)
        .map(file => [
        file.path,
        file.format,
        (0,quantities/* formatBytes */.z3)(file.bytes),
        file.source,
        (0,quantities/* formatDuration */.a3)(file.durationMs)
    ]);
    terminal.printSafe('');
    for (const line of renderTable(['FILE', 'FORMAT', 'SIZE', 'FROM', 'TIME'], rows, terminal)) {
        terminal.printSafe(line);
    }
    if (changed.length > MAX_TABLE_ROWS) {
        terminal.print(`…and ${changed.length - MAX_TABLE_ROWS} more (--json lists every file)`);
    }
}
function totals(report) {
    const count = (source) => report.files.filter(file => file.source === source).length;
    const parts = [
        `${count('download')} downloaded`,
        `${count('conversion')} converted`,
        `${count('unchanged')} unchanged`
    ];
    if (report.pruned.length > 0)
        parts.push(`${report.pruned.length} pruned`);
    if (report.failures.length > 0)
        parts.push(`${report.failures.length} failed`);
    return `${(0,quantities/* plural */.LS)(report.files.length, 'file')} in place: ${parts.join(', ')}`;
}

;// CONCATENATED MODULE: ./src/cli/program.ts
// The command line: verbs, flags and help (commander), and the one place that turns an error into
// a message and an exit code.

















/** The program's version, which a unit test holds equal to package.json's. */
const VERSION = '1.3.0';
/** Runs the verb `argv` names; resolves to the exit code. */
async function main(argv) {
    let exitCode = EXIT.done;
    const program = buildProgram(code => {
        exitCode = code;
    });
    try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
    }
    catch (error) {
        if (error instanceof esm/* CommanderError */.b7)
            return error.exitCode === 0 ? EXIT.done : EXIT.usage;
        throw error;
    }
}
function buildProgram(setExitCode) {
    const program = new esm/* Command */.uB('echo3d-assets')
        .description('Pull 3D assets from echo3D into this repository: the engine, configuration file and lockfile of the echo3D Assets Action, on your machine.')
        .version(VERSION, '-V, --version')
        .option('-C, --workspace <folder>', 'the repository to work in (default: the git repository around the current folder)')
        .option('--json', 'print one JSON document on stdout, for scripts')
        .option('-q, --quiet', 'print only warnings, errors, and what list and check find')
        .option('-v, --verbose', 'also print a line for each planned and each unchanged file')
        .option('--no-color', 'no colours (NO_COLOR is honoured too)')
        .exitOverride()
        .showHelpAfterError('(add --help for usage)')
        .showSuggestionAfterError()
        .addHelpText('after', PROGRAM_HELP);
    const handle = verb => async (flags, command) => {
        const globals = command.optsWithGlobals();
        setExitCode(await runVerb(reporter => verb(flags, globals, reporter), globals));
    };
    addEcho3dVerbs(program, handle);
    addInit(program, handle);
    addPreview(program, handle);
    return program;
}
function addEcho3dVerbs(program, handle) {
    const echo3dVerb = (run) => handle(async (flags, globals, reporter) => {
        const context = await echo3dContext(globals);
        reporter.terminal = context.terminal;
        return run(flags, context);
    });
    addSelectionFlags(program.command('pull').description('Pull the selected files, as the action does'))
        .option('--prune', 'also delete files the lockfile records that are no longer selected')
        .addHelpText('after', PULL_HELP)
        .action(echo3dVerb(pull));
    addSelectionFlags(program
        .command('check')
        .description('Say which selected files are missing or stale; exit code 3 if any'))
        .addHelpText('after', CHECK_HELP)
        .action(echo3dVerb(check));
    addSelectionFlags(program
        .command('prune')
        .description('Delete files the lockfile records that are no longer selected'))
        .option('--dry-run', 'list what would be deleted, and delete nothing')
        .addHelpText('after', PRUNE_HELP)
        .action(echo3dVerb(prune));
    program
        .command('list')
        .description("List the collection's entries: ID, name, tags, formats and upload size")
        .option('-t, --tags <tags>', 'only entries with any of these tags (comma-separated)')
        .option('--api-url <url>', API_URL_HELP)
        .option('--timeout <duration>', withDefault('the longest the query may take', 'timeout'))
        .option('--retries <n>', withDefault('tries after a failed query', 'retries'))
        .addHelpText('after', LIST_HELP)
        .action(echo3dVerb(list));
}
function addInit(program, handle) {
    program
        .command('init')
        .description('Write a starter echo3d.yml and a nightly workflow that opens a pull request')
        .option('-e, --entries <entries...>', 'entry IDs, or "ID: fmt, fmt" for its own formats')
        .option('-t, --tags <tags>', 'select every entry with any of these tags')
        .option('-f, --formats <formats>', withDefault('formats for entries that name none', 'formats'))
        .option('-p, --path <folder>', withDefault('destination folder', 'path'))
        .option('--config <file>', 'the configuration file to write', DEFAULT_CONFIG_FILE)
        .option('--workflow <file>', 'the workflow to write', DEFAULT_WORKFLOW)
        .option('--schedule <cron>', 'when the workflow runs, in UTC', DEFAULT_SCHEDULE)
        .option('--uses <action>', 'the action reference the workflow uses', ACTION_REFERENCE)
        .option('--force', 'replace files that exist')
        .addHelpText('after', INIT_HELP)
        .action(handle(async (flags, globals, reporter) => init(flags, workspaceOf(globals), reporter.terminal)));
}
function addPreview(program, handle) {
    program
        .command('preview')
        .description('Draw a picture of each GLB or glTF file, as the action shows models in pull requests')
        .argument('<files...>', 'the models to draw')
        .option('-o, --out <folder>', 'where the pictures go, in the repository', DEFAULT_PREVIEW_FOLDER)
        .option('--timeout <duration>', 'the longest one model may take to draw', DEFAULT_PREVIEW_TIMEOUT)
        .addHelpText('after', PREVIEW_HELP)
        .action((files, flags, command) => handle(async (given, globals, reporter) => preview(files, given, workspaceOf(globals), reporter.terminal))(flags, command));
}
const PREVIEW_HELP = `
Each picture is 512 × 512 pixels: a three-quarter view that frames the model, in a neutral light,
the same picture for the same bytes. It needs Chrome or Chromium on this machine (CHROME_PATH
names it when it is somewhere else) and draws with WebGL in software where there is no GPU.
Nothing is fetched from the network, and no file outside the models you name is read.

Example:
  $ echo3d-assets preview assets/echo3d/*.glb --out previews`;
/** A flag's help, with the default of the input it stands for, as action.yml gives it. */
function withDefault(help, input) {
    return `${help} (default: ${defaultOf(input)})`;
}
const API_URL_HELP = `echo3D API base URL (default: ECHO3D_API_URL, else ${defaultOf('api-url')})`;
/** The flags of pull, check and prune: each stands for the action's input of the same name. */
const SELECTION_FLAGS = [
    {
        flags: '-c, --config <file>',
        help: `the configuration file (default: ${DEFAULT_CONFIG_FILE}, when the repository has one)`
    },
    {
        flags: '-e, --entries <entries...>',
        help: 'entry IDs, or "ID: fmt, fmt" for its own formats; adds to the file\'s'
    },
    {
        flags: '-t, --tags <tags>',
        help: "select every entry with any of these tags; adds to the file's"
    },
    { flags: '--files <ids>', help: "storage IDs to fetch as they are; adds to the file's" },
    {
        flags: '-f, --formats <formats>',
        help: withDefault(`formats for entries that name none: ${KNOWN_FORMATS.join(', ')}`, 'formats')
    },
    { flags: '--convert-missing', help: 'ask echo3D to convert a format it does not hold yet' },
    {
        flags: '-p, --path <folder>',
        help: withDefault('destination folder, inside the repository', 'path')
    },
    { flags: '--file-name <template>', help: withDefault('file name template', 'file-name') },
    { flags: '--lockfile <file>', help: withDefault('lockfile path', 'lockfile') },
    { flags: '--no-lockfile', help: 'write no lockfile' },
    { flags: '--api-url <url>', help: API_URL_HELP },
    { flags: '--concurrency <n>', help: withDefault('transfers at once', 'concurrency') },
    {
        flags: '--conversion-concurrency <n>',
        help: withDefault('conversions waited on at once', 'conversion-concurrency')
    },
    {
        flags: '--timeout <duration>',
        help: withDefault('the longest one file may take, conversion included', 'timeout')
    },
    { flags: '--retries <n>', help: withDefault('tries after a failed transfer', 'retries') },
    {
        flags: '--max-file-size <size>',
        help: withDefault('the largest file accepted', 'max-file-size')
    },
    {
        flags: '--verify <what>',
        help: withDefault('what vouches for a file on disk', 'verify'),
        choices: VERIFICATIONS
    },
    {
        flags: '--budget-mode <mode>',
        help: withDefault("fail (exit 1) or warn when a model breaks the file's budgets", 'budget-mode'),
        choices: BUDGET_MODES
    },
    {
        flags: '--optimize <settings>',
        help: withDefault('optimise GLB and glTF models for the web: true, false, or settings such as "geometry: draco, texture-size: 1024"', 'optimize')
    },
    {
        flags: '--unity-project <folder>',
        help: 'the Unity project to write .meta files for: true (the repository), false, or a folder (default: the repository, when it is one)'
    }
];
function addSelectionFlags(command) {
    for (const { flags, help, choices } of SELECTION_FLAGS) {
        const option = new esm/* Option */.c$(flags, help);
        command.addOption(choices ? option.choices(choices) : option);
    }
    return command;
}
/** The one place an error becomes a message and an exit code. */
async function runVerb(verb, globals) {
    const reporter = { terminal: new Terminal(new Redactor([]), outputOptions(globals)) };
    try {
        return await verb(reporter);
    }
    catch (error) {
        const { terminal } = reporter;
        if (error instanceof errors/* ConfigurationError */.j1) {
            terminal.error(describeConfigurationError(error));
            return EXIT.usage;
        }
        const message = error instanceof errors/* ExplainedError */.hM ? error.message : `Unexpected error: ${(0,errors/* errorMessage */.gJ)(error)}`;
        terminal.error(message);
        return EXIT.failed;
    }
}
const FLAG_OF_INPUT = new Map([
    ...Object.entries(FLAG_INPUTS).map(([flag, input]) => [
        input,
        `--${flag.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`
    ]),
    // The address may come from the environment, where no flag was typed.
    ['api-url', '--api-url (or ECHO3D_API_URL)']
]);
/** An input's error names the flag that stands for it. */
function describeConfigurationError(error) {
    const describe = (inputError) => {
        const flag = FLAG_OF_INPUT.get(inputError.input);
        const problem = `${(0,src_escape/* forLog */.Ig)(inputError.problem)}. ${(0,src_escape/* forLog */.Ig)(inputError.fix)}`;
        return flag ? `${flag}: ${problem}` : problem;
    };
    if (error instanceof errors/* InputError */.dz)
        return describe(error);
    if (error instanceof errors/* InputErrors */.G)
        return error.errors.map(describe).join('\n');
    return error.message;
}
const PROGRAM_HELP = `
Credentials come from the environment or a .env file in the repository, never from a flag:
  ECHO3D_API_KEY, ECHO3D_EMAIL, ECHO3D_USER_KEY, and ECHO3D_SECRET_KEY if secure API calls are on.
  ECHO3D_API_URL sets the API base URL. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.

Exit codes: 0 done, 1 an asset failed, 2 bad usage or configuration, 3 stale (check), 130 Ctrl+C.

Examples:
  $ echo3d-assets list --tags release
  $ echo3d-assets init --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 --formats glb,usdz
  $ echo3d-assets pull
  $ echo3d-assets check --json`;
const PULL_HELP = `
The selection is read from echo3d.yml (or --config), and flags add to it or replace its defaults,
as the action's inputs do. Files land in the same folder with the same lockfile as in CI.

Examples:
  $ echo3d-assets pull
  $ echo3d-assets pull --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 --formats glb,usdz
  $ echo3d-assets pull --tags release --convert-missing --prune
  $ echo3d-assets pull --json > pulled.json`;
const CHECK_HELP = `
One metadata query, no download. Exit code 3 when a selected file is missing or stale.

Examples:
  $ echo3d-assets check
  $ echo3d-assets check --verify content`;
const PRUNE_HELP = `
Deletes only files the lockfile records, and only while they are byte for byte what it records.

Examples:
  $ echo3d-assets prune --dry-run
  $ echo3d-assets prune`;
const LIST_HELP = `
Examples:
  $ echo3d-assets list
  $ echo3d-assets list --tags release,characters
  $ echo3d-assets list --json | jq -r '.[].id'`;
const INIT_HELP = `
Examples:
  $ echo3d-assets init --tags release
  $ echo3d-assets init --entries 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11 "8c3f2a10-6d4b-4e2f-9a1c-7b5e3d2f1a00: glb, usdz"
  $ echo3d-assets init --tags release --schedule '0 5 * * 1' --force`;


/***/ }),

/***/ 1609:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mC: () => (/* binding */ MAX_IMAGES),
  Ee: () => (/* binding */ TYPE_COMPONENTS),
  Nx: () => (/* binding */ gltfStats),
  Gv: () => (/* binding */ isObject),
  Dc: () => (/* binding */ textureFacts)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/engine/models/transforms.ts
// The 4 × 4 matrices of a glTF node tree (column-major, as glTF stores them), for the bounding box
// of a scene: each node's matrix, or its translation, rotation and scale, applied below its parent's.

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
/** The node's transform below its parent's. */
function composeNode(parent, node, index) {
    return multiply(parent, localMatrix(node, index));
}
function localMatrix(node, index) {
    if (node.matrix !== undefined)
        return numbers(node.matrix, 16, `node ${index}'s matrix`);
    const [tx, ty, tz] = node.translation === undefined
        ? [0, 0, 0]
        : numbers(node.translation, 3, `node ${index}'s translation`);
    const [x, y, z, w] = node.rotation === undefined
        ? [0, 0, 0, 1]
        : numbers(node.rotation, 4, `node ${index}'s rotation`);
    const [sx, sy, sz] = node.scale === undefined ? [1, 1, 1] : numbers(node.scale, 3, `node ${index}'s scale`);
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
    ];
}
function multiply(a, b) {
    const product = [];
    for (let column = 0; column < 4; column++) {
        for (let row = 0; row < 4; row++) {
            let value = 0;
            for (let k = 0; k < 4; k++)
                value += a[k * 4 + row] * b[column * 4 + k];
            product.push(value);
        }
    }
    return product;
}
function transformPoint(matrix, [x, y, z]) {
    return [0, 1, 2].map(row => matrix[row] * x + matrix[4 + row] * y + matrix[8 + row] * z + matrix[12 + row]);
}
/** The eight corners of the box between two points. */
function boxCorners(min, max) {
    const corners = [];
    for (const x of [min[0], max[0]]) {
        for (const y of [min[1], max[1]]) {
            for (const z of [min[2], max[2]])
                corners.push([x, y, z]);
        }
    }
    return corners;
}
function numbers(value, length, what) {
    if (!Array.isArray(value) || value.length !== length || !value.every(Number.isFinite)) {
        throw new errors/* ModelError */.me(`${what} is not ${length} numbers`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/engine/models/gltf-stats.ts
// A glTF document's statistics from its JSON alone: the accessors' counts and bounds, the scene's
// node tree and the images' headers. No vertex is read, so a model of any size costs the same few
// reads. The document is hostile until checked: every index, count and transform is. Each mesh is
// summed once, however many nodes draw it, so the cost follows the JSON's length and not the
// product of nodes and primitives that an instanced scene multiplies out to (docs/decisions/0013).


/** More of any one thing than a model holds; a longer list is not a model. */
const MAX_ITEMS = 1_000_000;
/** More textures than any model holds: each costs a read and a scan of its header. */
const MAX_IMAGES = 10_000;
/** An accessor's count is a 32-bit number in every API that draws it. */
const MAX_ELEMENTS = 2 ** 32;
const MAX_EXTENSIONS = 32;
const COMPONENT_BYTES = {
    5120: 1,
    5121: 1,
    5122: 2,
    5123: 2,
    5125: 4,
    5126: 4
};
/** Values per element of each accessor type. */
const TYPE_COMPONENTS = {
    SCALAR: 1,
    VEC2: 2,
    VEC3: 3,
    VEC4: 4,
    MAT2: 4,
    MAT3: 9,
    MAT4: 16
};
async function gltfStats(document, readImage, deadline) {
    const root = checkedRoot(document);
    const gltf = new GltfView(root, deadline);
    const drawn = gltf.drawnMeshes();
    const images = await imageInfos(gltf, readImage, deadline);
    const summaries = drawn.map(({ mesh }) => gltf.meshSummary(mesh));
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
    };
}
function checkedRoot(document) {
    if (!isObject(document))
        throw new errors/* ModelError */.me('its glTF JSON is not an object');
    const asset = document.asset;
    const version = isObject(asset) ? asset.version : undefined;
    if (typeof version !== 'string' || !version.startsWith('2.')) {
        throw new errors/* ModelError */.me('it is not glTF 2.0 (its asset.version is missing or not 2.x)');
    }
    return document;
}
/** Read access to a document whose every index is checked before use. */
class GltfView {
    root;
    deadline;
    lists = new Map();
    summaries = new Map();
    constructor(root, deadline) {
        this.root = root;
        this.deadline = deadline;
    }
    /** A top-level list, checked once: each of its items is an object. */
    list(key) {
        const known = this.lists.get(key);
        if (known)
            return known;
        const value = this.root[key] ?? [];
        if (!Array.isArray(value) || value.length > MAX_ITEMS) {
            throw new errors/* ModelError */.me(`its \`${key}\` is not a list of at most ${MAX_ITEMS} items`);
        }
        value.forEach((item, index) => {
            if (!isObject(item))
                throw new errors/* ModelError */.me(`${key}[${index}] is not an object`);
        });
        this.lists.set(key, value);
        return value;
    }
    item(key, index, from) {
        const items = this.list(key);
        if (!isIndex(index) || index >= items.length) {
            throw new errors/* ModelError */.me(`${from} refers to ${key}[${String(index)}], which does not exist`);
        }
        return items[index];
    }
    /** Each mesh as the default scene draws it; every mesh once when there is no scene. */
    drawnMeshes() {
        const scenes = this.list('scenes');
        if (scenes.length === 0) {
            return this.list('meshes').map((_mesh, mesh) => ({ mesh, world: IDENTITY }));
        }
        const scene = this.item('scenes', this.root.scene ?? 0, 'scene');
        const roots = scene.nodes === undefined ? [] : indexList(scene.nodes, 'the scene’s nodes');
        return this.walkNodes(roots);
    }
    walkNodes(roots) {
        const drawn = [];
        const placed = new Set();
        const stack = roots.map(node => ({ node, parent: IDENTITY }));
        for (let next = stack.pop(); next; next = stack.pop()) {
            this.deadline.check();
            if (placed.has(next.node)) {
                throw new errors/* ModelError */.me(`node ${next.node} is placed twice in the scene; a node has one parent`);
            }
            placed.add(next.node);
            const node = this.item('nodes', next.node, 'the scene');
            const world = composeNode(next.parent, node, next.node);
            if (node.mesh !== undefined) {
                this.item('meshes', node.mesh, `node ${next.node}`);
                drawn.push({ mesh: node.mesh, world });
            }
            const children = node.children === undefined ? [] : indexList(node.children, `node ${next.node}'s children`);
            for (const child of children)
                stack.push({ node: child, parent: world });
        }
        return drawn;
    }
    primitives(mesh) {
        const primitives = this.item('meshes', mesh, 'a node').primitives;
        if (!Array.isArray(primitives) || primitives.length > MAX_ITEMS) {
            throw new errors/* ModelError */.me(`mesh ${mesh} has no list of primitives`);
        }
        return primitives.map((primitive, index) => {
            if (!isObject(primitive))
                throw new errors/* ModelError */.me(`mesh ${mesh}'s primitive ${index} is not an object`);
            return primitive;
        });
    }
    /** A mesh's counts and box, summed over its primitives once: every node that draws it reuses them. */
    meshSummary(mesh) {
        const known = this.summaries.get(mesh);
        if (known)
            return known;
        const summary = { triangles: 0, vertices: 0 };
        for (const primitive of this.primitives(mesh)) {
            this.deadline.check();
            const position = positionIndex(primitive, mesh);
            const drawnIndices = primitive.indices ?? position;
            const count = drawnIndices === undefined ? 0 : this.accessorCount(drawnIndices, `mesh ${mesh}`);
            summary.triangles += trianglesOf(primitive.mode ?? 4, count);
            if (position === undefined)
                continue;
            summary.vertices += this.accessorCount(position, `mesh ${mesh}`);
            summary.bounds = enclosing(summary.bounds, this.positionBounds(position, mesh));
        }
        this.summaries.set(mesh, summary);
        return summary;
    }
    /** The box around a primitive's positions, from the accessor's min and max. */
    positionBounds(position, mesh) {
        const accessor = this.item('accessors', position, `mesh ${mesh}`);
        const { min, max } = accessor;
        if (!isVector3(min) || !isVector3(max))
            return undefined;
        return [min, max];
    }
    /** An accessor's element count, once it is known to fit the bytes it claims. */
    accessorCount(index, from) {
        const accessor = this.item('accessors', index, from);
        const count = accessor.count;
        if (!Number.isSafeInteger(count) || count < 0 || count > MAX_ELEMENTS) {
            throw new errors/* ModelError */.me(`accessor ${String(index)} has an impossible count: ${String(count)}`);
        }
        if (accessor.bufferView !== undefined)
            this.checkFits(accessor, count, index);
        return count;
    }
    checkFits(accessor, count, index) {
        const view = this.item('bufferViews', accessor.bufferView, `accessor ${index}`);
        const elementBytes = (COMPONENT_BYTES[accessor.componentType] ?? 0) *
            (TYPE_COMPONENTS[accessor.type] ?? 0);
        const viewBytes = view.byteLength;
        if (elementBytes === 0 || !Number.isSafeInteger(viewBytes)) {
            throw new errors/* ModelError */.me(`accessor ${index} has an unknown component type or element type`);
        }
        const stride = typeof view.byteStride === 'number' ? view.byteStride : elementBytes;
        const offset = typeof accessor.byteOffset === 'number' ? accessor.byteOffset : 0;
        const needed = count === 0 ? 0 : offset + stride * (count - 1) + elementBytes;
        if (needed > viewBytes) {
            throw new errors/* ModelError */.me(`accessor ${index} claims ${count} elements, more than its buffer view's ${String(viewBytes)} bytes hold`);
        }
    }
}
function positionIndex(primitive, mesh) {
    const attributes = primitive.attributes;
    if (!isObject(attributes))
        throw new errors/* ModelError */.me(`a primitive of mesh ${mesh} has no attributes`);
    const position = attributes.POSITION;
    return position === undefined ? undefined : position;
}
function trianglesOf(mode, count) {
    if (mode === 4)
        return Math.floor(count / 3);
    if (mode === 5 || mode === 6)
        return Math.max(0, count - 2);
    return 0;
}
async function imageInfos(gltf, readImage, deadline) {
    const images = gltf.list('images');
    if (images.length > MAX_IMAGES) {
        throw new errors/* ModelError */.me(`it has ${images.length} images, more than the ${MAX_IMAGES} a model holds`);
    }
    const infos = [];
    for (const [index, image] of images.entries()) {
        await deadline.pause();
        infos.push(await readImage(index, image));
    }
    return infos;
}
/** What the images add up to: the largest, their bytes, and their formats. */
function textureFacts(images) {
    let largest;
    for (const { width, height } of images) {
        if (width === undefined || height === undefined)
            continue;
        if (!largest || width * height > largest[0] * largest[1])
            largest = [width, height];
    }
    const formats = [...new Set(images.flatMap(image => image.format ?? []))].sort();
    return {
        ...(largest ? { largestTexture: largest } : {}),
        textureBytes: sum(images.map(image => image.bytes)),
        ...(formats.length > 0 ? { textureFormats: formats } : {})
    };
}
/**
 * The size of the box around every drawn mesh, in the scene's metres: each mesh's own box, its
 * corners placed where each node draws it. Around a rotated mesh of several primitives this box
 * can be a little larger than one around each primitive's box; both only bound the geometry.
 */
function sceneSize(gltf, drawn) {
    const low = [Infinity, Infinity, Infinity];
    const high = [-Infinity, -Infinity, -Infinity];
    for (const { mesh, world } of drawn) {
        const { bounds } = gltf.meshSummary(mesh);
        if (!bounds)
            continue;
        for (const corner of boxCorners(bounds[0], bounds[1])) {
            const point = transformPoint(world, corner);
            for (let axis = 0; axis < 3; axis++) {
                low[axis] = Math.min(low[axis], point[axis]);
                high[axis] = Math.max(high[axis], point[axis]);
            }
        }
    }
    if (!Number.isFinite(low[0]))
        return {};
    const size = [0, 1, 2].map(axis => Number((high[axis] - low[axis]).toPrecision(6)));
    if (!size.every(Number.isFinite))
        return {};
    return { size: size };
}
/** The box around both; either may be missing. */
function enclosing(box, other) {
    if (!box || !other)
        return box ?? other;
    return [
        box[0].map((low, axis) => Math.min(low, other[0][axis])),
        box[1].map((high, axis) => Math.max(high, other[1][axis]))
    ];
}
function extensionsUsed(root) {
    const used = root.extensionsUsed;
    if (!Array.isArray(used))
        return [];
    const names = used.filter((name) => typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name));
    return [...new Set(names)].sort().slice(0, MAX_EXTENSIONS);
}
function indexList(value, what) {
    if (!Array.isArray(value) || value.length > MAX_ITEMS || !value.every(isIndex)) {
        throw new errors/* ModelError */.me(`${what} are not a list of indices`);
    }
    return value;
}
function isIndex(value) {
    return Number.isSafeInteger(value) && value >= 0;
}
function isVector3(value) {
    return Array.isArray(value) && value.length === 3 && value.every(Number.isFinite);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function sum(values) {
    return values.reduce((total, value) => total + value, 0);
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F9: () => (/* binding */ HttpStatusError),
/* harmony export */   G: () => (/* binding */ InputErrors),
/* harmony export */   MU: () => (/* binding */ TimeoutError),
/* harmony export */   OO: () => (/* binding */ AssetFailures),
/* harmony export */   Q2: () => (/* binding */ WorkspaceBoundaryError),
/* harmony export */   RX: () => (/* binding */ StaleAssets),
/* harmony export */   bU: () => (/* binding */ PreviewError),
/* harmony export */   bd: () => (/* binding */ ProtocolError),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   g: () => (/* binding */ LockfileError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   hM: () => (/* binding */ ExplainedError),
/* harmony export */   i2: () => (/* binding */ ModelsOverBudget),
/* harmony export */   j1: () => (/* binding */ ConfigurationError),
/* harmony export */   me: () => (/* binding */ ModelError),
/* harmony export */   mk: () => (/* binding */ VerificationError),
/* harmony export */   qB: () => (/* binding */ TooLargeError),
/* harmony export */   r2: () => (/* binding */ UnityMetaError)
/* harmony export */ });
/* unused harmony exports DeliveryError, CancelledError */
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2988);
/* harmony import */ var _quantities_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5602);
// Errors that carry what the user needs to read. The adapters turn them into a failed step or an
// exit code in one place each; anything else that escapes is reported as unexpected.


/** An error whose message says what went wrong and what to do about it. */
class ExplainedError extends Error {
    name = 'ExplainedError';
}
/** The run was asked for wrongly: a bad input, flag or configuration file. Nothing has run yet. */
class ConfigurationError extends ExplainedError {
    name = 'ConfigurationError';
}
/** A bad input, raised before any network call. */
class InputError extends ConfigurationError {
    input;
    problem;
    fix;
    name = 'InputError';
    constructor(input, problem, fix) {
        super(`Input '${input}': ${problem}. ${fix}`);
        this.input = input;
        this.problem = problem;
        this.fix = fix;
    }
}
/** Several bad inputs at once, so the user can fix them all in one edit. */
class InputErrors extends ConfigurationError {
    errors;
    name = 'InputErrors';
    constructor(errors) {
        super(errors.map(error => error.message).join('\n'));
        this.errors = errors;
    }
}
/** echo3D answered with a status that is not a success. */
class HttpStatusError extends ExplainedError {
    status;
    bodyExcerpt;
    retryAfterHeader;
    name = 'HttpStatusError';
    constructor(status, bodyExcerpt, retryAfterHeader) {
        super(`echo3D answered HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
        this.status = status;
        this.bodyExcerpt = bodyExcerpt;
        this.retryAfterHeader = retryAfterHeader;
    }
}
/** The bytes received are not the file asked for (an error page served with 200, a short body). */
class VerificationError extends ExplainedError {
    name = 'VerificationError';
}
/** The body stopped moving, or the asset ran out of its `timeout`. */
class TimeoutError extends ExplainedError {
    retryable;
    name = 'TimeoutError';
    constructor(message, retryable) {
        super(message);
        this.retryable = retryable;
    }
}
/** A body is larger than the action accepts: a limit the user set, or the one for metadata. */
class TooLargeError extends ExplainedError {
    name = 'TooLargeError';
}
/** A model's bytes pass their signature but not a reading of their structure: not worth a retry. */
class ModelError extends ExplainedError {
    name = 'ModelError';
}
/** No picture of a model could be made, or the one made shows nothing: the message says which. */
class PreviewError extends ExplainedError {
    name = 'PreviewError';
    /** The model ran out of its time limit: the browser may be hung, and is replaced. */
    timedOut;
    constructor(message, options = {}) {
        super(message);
        this.timedOut = options.timedOut ?? false;
    }
}
/** echo3D's metadata is not of the shape the API documents. */
class ProtocolError extends ExplainedError {
    name = 'ProtocolError';
}
/**
 * A path leads outside the workspace on disk (through a symbolic link or a junction), or is not
 * what the action reads and writes there (a folder, a device); the message names it and the fix.
 */
class WorkspaceBoundaryError extends ExplainedError {
    name = 'WorkspaceBoundaryError';
}
/** The lockfile cannot be trusted; the message says which check it failed. */
/** A `.meta` file the action would write collides with one it read or wrote in the run. */
class UnityMetaError extends ExplainedError {
    name = 'UnityMetaError';
}
class LockfileError extends ExplainedError {
    name = 'LockfileError';
}
/** A delivery step failed; the message says what to change. */
class DeliveryError extends (/* unused pure expression or super */ null && (ExplainedError)) {
    name = 'DeliveryError';
}
/** The job was cancelled while the action ran. */
class CancelledError extends ExplainedError {
    name = 'CancelledError';
    constructor(signal) {
        super(`Cancelled (${signal}); the files being written were removed`);
    }
}
/** One or more assets failed; the step fails after every other asset had its chance. */
class AssetFailures extends ExplainedError {
    failures;
    name = 'AssetFailures';
    constructor(failures) {
        super(`${(0,_quantities_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(failures.length, 'asset')} failed:\n` +
            failures.map(failure => `- ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .forLog */ .Ig)(failure.label)}: ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .forLog */ .Ig)(failure.message)}`).join('\n'));
        this.failures = failures;
    }
}
/** Models over their budgets, with `budget-mode: fail`: the step fails after everything is written. */
class ModelsOverBudget extends ExplainedError {
    name = 'ModelsOverBudget';
    constructor(lines, remedy) {
        super(`${(0,_quantities_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(lines.length, 'budget')} broken:\n` +
            lines.map(line => `- ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .forLog */ .Ig)(line)}`).join('\n') +
            `\n${remedy}`);
    }
}
/** Check mode found selected files missing or stale; `remedy` says how to update them. */
class StaleAssets extends ExplainedError {
    stale;
    name = 'StaleAssets';
    constructor(stale, remedy) {
        super(`${(0,_quantities_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(stale.length, 'file')} missing or stale:\n` +
            stale.map(asset => `- ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .forLog */ .Ig)(asset.path)}: ${(0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .forLog */ .Ig)(asset.reason)}`).join('\n') +
            `\n${remedy}`);
        this.stale = stale;
    }
}
/** An error's message, from this realm or another (a worker's, Node's own). */
function errorMessage(error) {
    const message = error?.message;
    return typeof message === 'string' ? message : String(error);
}


/***/ }),

/***/ 2988:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cx: () => (/* binding */ forJson),
/* harmony export */   Ig: () => (/* binding */ forLog),
/* harmony export */   P: () => (/* binding */ withoutHidden),
/* harmony export */   cz: () => (/* binding */ clipped)
/* harmony export */ });
/* unused harmony exports forHtml, forMarkdown, forCommitMessage */
// Text from outside (echo3D's names, IDs and extensions, the lockfile, what a server sends) is
// escaped here, once for each place it can reach: a line of the job log, the HTML of the job
// summary, the Markdown of a pull request, a commit message. Redact credentials before escaping:
// an escaped credential no longer looks like itself.
/**
 * Controls (C0, DEL, C1), format characters (zero-width, direction overrides and isolates, the
 * byte order mark) and the line and paragraph separators of Unicode.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** The text without its hidden characters: for names, which must not hide anything. */
function withoutHidden(text) {
    return text.replace(HIDDEN, '');
}
/**
 * The text cut to at most `maxCharacters` characters, the last of them `…` where it was cut: a
 * value quoted from outside (a lockfile's path, a configuration's value) stays a line one reads.
 */
function clipped(text, maxCharacters) {
    if (text.length <= maxCharacters)
        return text;
    const kept = [];
    for (const character of text) {
        if (kept.length === maxCharacters)
            return `${kept.slice(0, -1).join('')}…`;
        kept.push(character);
    }
    return text;
}
/** Shows a hidden character as its code point, so a reader sees that it was there. */
function visible(character) {
    const code = character.codePointAt(0) ?? 0;
    return `\\u{${code.toString(16)}}`;
}
/**
 * One line of the job log: no line break or other hidden character survives, so nothing from
 * outside can start a line (where `::name::` is a workflow command), and `##[` shows its bracket
 * as a code point, since the runner reads the older `##[name]` commands anywhere in a line.
 */
function forLog(text) {
    return text.replace(HIDDEN, visible).replace(/##\[/g, '##\\u{5b}');
}
/**
 * A JSON document for a terminal: hidden characters that JSON.stringify leaves as they are (C1
 * controls, direction overrides, line separators) become \u escapes, which JSON reads back the same.
 */
function forJson(json) {
    return json.replace(HIDDEN, character => character === '\n'
        ? character
        : unitsOf(character)
            .map(code => `\\u${code.toString(16).padStart(4, '0')}`)
            .join(''));
}
function unitsOf(character) {
    const units = [];
    for (let index = 0; index < character.length; index++)
        units.push(character.charCodeAt(index));
    return units;
}
/** Text inside HTML, such as the job summary's tables and lists. */
function forHtml(text) {
    return forLog(text)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
/**
 * A cell of a Markdown table in a pull request: a code span, in which GitHub renders no HTML,
 * formatting, link, mention (`@user`), reference (`#1`, which a closing keyword would act on) or
 * math, with a fence longer than any run of backticks in the text, and no `|` to open a new cell.
 */
function forMarkdown(text) {
    const line = forLog(text).replace(/\|/g, '\\|');
    const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map(run => run.length));
    const fence = '`'.repeat(longestRun + 1);
    const padding = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
    return `${fence}${padding}${line}${padding}${fence}`;
}
/**
 * A line of a commit message: no line break, so no forged trailer or second paragraph, `#`, `@`
 * and the colon of `://` in their full-width forms and the hyphen of `GH-1` a non-breaking one,
 * so that GitHub finds no issue to close or refer to (by number or by address) and no one to
 * mention.
 */
function forCommitMessage(text) {
    return forLog(text)
        .replace(/#/g, '\uff03')
        .replace(/@/g, '\uff20')
        .replace(/:\/\//g, '\uff1a//')
        .replace(/\b(gh)-(?=\d)/gi, '$1\u2011');
}


/***/ }),

/***/ 5602:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B4: () => (/* binding */ formatCount),
/* harmony export */   LS: () => (/* binding */ plural),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
// How sizes, durations and counts read in messages, the summary and commit messages.
const UNITS = ['B', 'KiB', 'MiB', 'GiB'];
function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
function formatDuration(milliseconds) {
    if (milliseconds < 10_000)
        return `${(milliseconds / 1000).toFixed(1)}s`;
    const totalSeconds = Math.round(milliseconds / 1000);
    const minutes = Math.floor(totalSeconds / 60);
    const secondsLeft = totalSeconds % 60;
    if (minutes === 0)
        return `${secondsLeft}s`;
    return secondsLeft === 0 ? `${minutes}m` : `${minutes}m${String(secondsLeft).padStart(2, '0')}s`;
}
/** A whole number with its thousands grouped the same way in every locale: 12,345. */
function formatCount(count) {
    return Math.round(count).toLocaleString('en-US');
}
function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}


/***/ })

};
