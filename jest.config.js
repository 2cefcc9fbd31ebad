/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The suite under a real Terragrunt runs on its own: `npm run test:terragrunt`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/terragrunt/'],
  // Type checking is `npm run typecheck`; with isolatedModules in tsconfig.json, ts-jest only
  // transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
};
