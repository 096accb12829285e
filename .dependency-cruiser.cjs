// The dependency rules of src/, checked by `npm run lint`: no import cycles, and dependencies that
// flow one way, from the adapters (src/action and src/cli, and src/settings and src/report that
// they share) to the engine, and from the engine to the shared base (the model, errors, formats and
// texts).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle, type imports included, means a type lives in the wrong module.',
      from: {},
      to: { circular: true }
    },
    {
      name: 'engine-knows-no-actions',
      severity: 'error',
      comment: 'The engine must run anywhere: no @actions/* package, not even a type.',
      from: { path: '^src/engine/' },
      to: { path: 'node_modules/@actions/' }
    },
    {
      name: 'engine-knows-no-adapter',
      severity: 'error',
      comment: 'The engine takes options and ports; it never reads inputs or writes reports.',
      from: { path: '^src/engine/' },
      to: { path: '^src/(action|report|cli|settings)/' }
    },
    {
      name: 'base-stands-alone',
      severity: 'error',
      comment: 'The model, errors, formats and texts are what everything else builds on.',
      from: { path: '^src/(model|errors|escape|quantities|formats|secrets)\\.ts$' },
      to: { path: '^src/(engine|action|report|cli|settings)/' }
    },
    {
      name: 'shared-knows-no-adapter',
      severity: 'error',
      comment:
        'src/report renders and src/settings reads options for every adapter, so they may not depend on one.',
      from: { path: '^src/(report|settings)/' },
      to: { path: ['node_modules/@actions/', '^src/(action|cli)/'] }
    },
    {
      name: 'adapters-stand-apart',
      severity: 'error',
      comment:
        'The action and the command-line program are adapters side by side: neither uses the other.',
      from: { path: '^src/(action|cli)/' },
      to: { path: '^src/(action|cli)/', pathNot: '^src/$1/' }
    },
    {
      name: 'engine-through-its-index',
      severity: 'error',
      comment: 'Adapters use the engine through src/engine/index.ts, its public surface.',
      from: { path: '^src/(action|report|cli|settings)/' },
      to: { path: '^src/engine/', pathNot: '^src/engine/index\\.ts$' }
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'What src/ imports is bundled into dist/: it must be a production dependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] }
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js']
    }
  }
}
