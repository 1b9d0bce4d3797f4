/** Jest runs TypeScript through ts-jest in CommonJS; node16 module keeps `import()` real,
 * so the ESM-only transformers.js loads under --experimental-vm-modules. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/channels'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  // A generous bound for hooks that start a whole service (FAQ index, transformer) on a busy CI box;
  // timeouts only end a hung test, they assert nothing about speed (benchmarks do).
  testTimeout: 120000,
  maxWorkers: 2,
};
