/**
 * `npm run test:terragrunt`: the end-to-end suite under a real Terragrunt (test/terragrunt/),
 * started by scripts/testTerragrunt.ts, which skips it with one line where no Terragrunt is found.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/terragrunt'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 200000,
};
