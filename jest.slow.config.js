// `npm run test:slow`: the checks that take minutes (5,000 entries, the licences rebuilt, Git LFS,
// the demo) or a browser (the previews). CI runs them after `npm test`.
import base from './jest.config.js'

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/__tests__/slow/**/*.test.ts'],
  testTimeout: 600000
}
