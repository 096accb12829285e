export { createTemporaryRoot as default } from './temporary-root.js'
