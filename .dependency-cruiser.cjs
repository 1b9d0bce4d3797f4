/** Import rules from ../shared/ARCHITECTURE.md: dependencies point inward, only the composition root wires. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core imports nothing of ours outside core, and no SDKs.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node:', 'zod'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'src-not-channels',
      comment: 'Only src/main.ts may import channels/ (through channels/registry.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^channels/' },
    },
    {
      name: 'main-only-via-registry',
      comment: 'The composition root reaches adapters only through the registry.',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^channels/', pathNot: '^channels/registry\\.ts$' },
    },
    {
      name: 'channels-not-into-each-other',
      comment: 'A channel imports core and its own SDK, not another channel (shared helpers live in channels/shared).',
      severity: 'error',
      from: { path: '^channels/([^/]+)/' },
      to: { path: '^channels/', pathNot: ['^channels/$1/', '^channels/shared/', '^channels/app/'] },
    },
    {
      name: 'channels-only-core',
      comment: 'Adapters depend on src/core ports, not on core internals elsewhere in src.',
      severity: 'error',
      from: { path: '^channels/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-wiring-outside-root',
      comment: 'Concrete stores are chosen by the composition root only.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/store/', '^src/.*-cli\\.ts$'] },
      to: { path: '^src/store/(memory-store|mongo/)' },
    },
    {
      name: 'turn-only-core',
      comment: 'The turn runner, delivery and pipeline know only core ports; features reach it through main.ts.',
      severity: 'error',
      from: { path: '^src/turn/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/turn/'] },
    },
    {
      name: 'features-not-into-turn',
      comment:
        'Feature folders use core ports (TurnContext, Outbound, Escalation), never turn internals. ' +
        'turn/texts.ts is the one exception until the message catalogue (src/i18n) replaces it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/turn/', '^src/main\\.ts$'] },
      to: { path: '^src/turn/', pathNot: '^src/turn/texts\\.ts$' },
    },
    {
      name: 'knowledge-not-admin',
      comment: 'The admin API builds on the knowledge base, never the other way round (admin/admin-module.ts wires it).',
      severity: 'error',
      from: { path: '^src/knowledge/' },
      to: { path: '^src/admin/' },
    },
    {
      name: 'handoff-not-knowledge',
      comment: 'The handoff gets canned answers through the core CannedAnswerSearch port.',
      severity: 'error',
      from: { path: '^src/handoff/' },
      to: { path: '^src/knowledge/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', 'fake-.*\\.ts$', '/public/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
