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
// Two V8 settings that keep a long run's memory down. The runner starts the action's `node`
// itself, so no flag can be passed on its command line; these two are read by V8 each time it
// uses them, and so take effect when set from inside, after start-up. Worker threads started
// later get them too. Design records 0007 and 0009 have the measurements.

/**
 * - The young generation stays at its starting size: V8 would grow it with the rate of
 *   allocation, up to 128 MB reserved (about 40 MB resident) in a run streaming thousands of files.
 * - No Maglev, V8's middle compiler: on a run of thousands of files, its compilations held some
 *   25 MB at their peak, across the three threads, and made the process no faster.
 */
function useMemoryFlags() {
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--semi-space-growth-factor=1');
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--no-maglev');
}


/***/ })

};
