export const id = 596;
export const ids = [596];
export const modules = {

/***/ 70596:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  loadConfigFile: () => (/* binding */ loadConfigFile)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/engine/index.ts + 40 modules
var engine = __webpack_require__(44932);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/quantities.ts
var quantities = __webpack_require__(85602);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/escape.ts
var src_escape = __webpack_require__(22988);
// EXTERNAL MODULE: ./src/settings/config-values.ts
var config_values = __webpack_require__(94);
// EXTERNAL MODULE: ./src/settings/inputs.ts + 2 modules
var inputs = __webpack_require__(85830);
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
        if (!(0,config_values/* isConfigKey */.Uc)(key)) {
            const known = `Use one of: ${config_values/* CONFIG_KEYS */.mC.join(', ')}`;
            this.report(pair.key, `'${key}' is not a known key. ${didYouMean(key, config_values/* CONFIG_KEYS */.mC)}${known}`);
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
        if (others.length > 0 || ENTRY_KEYS.includes(key) || !inputs/* ENTRY_ID_PATTERN */.kD.test(key))
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
        if (typeof value === 'string' && inputs/* ENTRY_ID_PATTERN */.kD.test(value))
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
    if (!(0,engine/* isInside */.FK)(workspace, absolute)) {
        throw new errors/* InputError */.dz('config', `'${relative}' is outside the workspace`, 'Name a file in the repository, such as echo3d.yml');
    }
    const text = await (0,engine/* readWorkspaceText */.tA)(workspace, absolute, MAX_CONFIG_BYTES, () => {
        const limit = (0,quantities/* formatBytes */.z3)(MAX_CONFIG_BYTES);
        return new errors/* InputError */.dz('config', `'${relative}' is larger than ${limit}`, 'Name the right file');
    });
    if (text === undefined) {
        throw new errors/* InputError */.dz('config', `'${relative}' does not exist in the workspace`, 'Check out the repository first (actions/checkout), and check the path');
    }
    return parseConfigFile(relative, text, (0,inputs/* configValueCheck */.wH)(workspace));
}


/***/ })

};
