import { findTerragrunts, type TerragruntBinary } from './findTerragrunts';

/**
 * Declares `body` once per Terragrunt under test (TERRAGRUNT_BIN, TERRAGRUNT_BINS, else PATH).
 * With none, one skipped test says why (scripts/testTerragrunt.ts does not even start jest then).
 */
export function forEachTerragrunt(title: string, body: (binary: TerragruntBinary) => void): void {
  const found = findTerragrunts(process.env);
  if ('skip' in found) {
    it.skip(`${title}: ${found.skip}`, () => undefined);
    return;
  }
  for (const binary of found.binaries) describe(`${title} (terragrunt ${binary.version})`, () => body(binary));
}
