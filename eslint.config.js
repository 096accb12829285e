import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'build/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'error'
    }
  },
  {
    // The preview page's script runs in the browser.
    files: ['src/previews/viewer/**/*.js'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // A function a reader takes in at once: past this, it is doing more than one thing. The test
    // files' describe blocks are lists of cases, not functions to take in at once.
    files: ['{src,emulator,harness,doubles,bench,scripts,demo}/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }]
    }
  },
  {
    files: [
      '__tests__/**',
      'emulator/**',
      'harness/**',
      'demo/**',
      'bench/**',
      'doubles/**',
      'scripts/**'
    ],
    rules: { 'no-console': 'off' }
  }
)
