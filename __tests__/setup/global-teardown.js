export { removeTemporaryRoot as default } from './temporary-root.js'
