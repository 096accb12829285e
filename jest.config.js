// Tests run TypeScript as ESM, the way the bundle runs; see docs/toolchain.md for why. The slow
// checks (__tests__/slow/) have a script of their own: `npm run test:slow`.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/slow/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  globalSetup: '<rootDir>/__tests__/setup/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/setup/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup/remove-scratch.ts'],
  testTimeout: 60000,
  // Jest leaves a core to its own process by default, which mostly waits: on the 2-core CI machine
  // that halves the tests' speed, as most of their time is spent waiting on servers and children.
  maxWorkers: '100%'
}
