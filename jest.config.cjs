/** Jest runs TypeScript through ts-jest in CommonJS; node16 module keeps `import()` real,
 * so the ESM-only transformers.js loads under --experimental-vm-modules. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/channels'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
