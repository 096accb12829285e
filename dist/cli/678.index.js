export const id = 678;
export const ids = [678];
export const modules = {

/***/ 5678:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   keepYoungGenerationSmall: () => (/* binding */ keepYoungGenerationSmall)
/* harmony export */ });
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8877);
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_v8__WEBPACK_IMPORTED_MODULE_0__);
// V8 sizes its young generation by the rate of allocation, up to 128 MB reserved (about 40 MB
// resident) in a run that streams thousands of files. The runner starts the action's `node` itself,
// so no --max-semi-space-size can be passed; the growth factor, which V8 reads each time it would
// grow that space, can be set from inside. Design record 0007 has the measurements.

/** Keeps the young generation at its starting size for the rest of the process. */
function keepYoungGenerationSmall() {
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--semi-space-growth-factor=1');
}


/***/ })

};
