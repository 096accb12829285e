export const id = 243;
export const ids = [243];
export const modules = {

/***/ 4243:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   useMemoryFlags: () => (/* binding */ useMemoryFlags)
/* harmony export */ });
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8877);
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_v8__WEBPACK_IMPORTED_MODULE_0__);
// V8 settings that keep a long run's memory down. The runner starts the action's `node` itself,
// so no flag can be passed on its command line; V8 reads these each time it uses them, and so they
// take effect when set from inside, after start-up. Worker threads started later get them too.
// Design records 0007, 0009 and 0011 have the measurements.

/**
 * - The young generation stays at its starting size: V8 would grow it with the rate of
 *   allocation, up to 128 MB reserved (about 40 MB resident) in a run streaming thousands of files.
 * - No Maglev, V8's middle compiler: on a run of thousands of files, its compilations held some
 *   25 MB at their peak, across the three threads, and made the process no faster.
 * - undici's HTTP parser (WebAssembly) stays with V8's baseline compiler: optimising it took some
 *   24 MB for a moment, and the freed memory stayed with the process. Parsing is a small part of
 *   a download, as a body's bytes are passed over, not parsed one by one.
 * - A full collection once the heap has doubled since the last one. V8's own factor adapts to
 *   how fast its collections run; with it, on a cold pull of 5,000 models, more than 30 MB of
 *   dead buffers and records waited some five seconds for a full collection, and the peak was
 *   about 10 MB higher. Collecting after growth by half cost a tenth more time.
 */
function useMemoryFlags() {
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--semi-space-growth-factor=1');
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--no-maglev');
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--no-wasm-tier-up');
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--no-wasm-dynamic-tiering');
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--heap-growing-percent=100');
}


/***/ })

};
