/**
 * `npm run test:terragrunt`: the end-to-end suite under a real Terragrunt (test/terragrunt/).
 * Finds Terragrunt through TERRAGRUNT_BIN and TERRAGRUNT_BINS (more binaries, separated like
 * PATH), else on PATH; without one it prints one line saying so and exits 0. Otherwise it builds
 * dist/, runs jest with jest.terragrunt.config.js, and prints a summary table: scenario,
 * Terragrunt version, units, rolemap calls, STS calls, result, and the time each version took.
 * Extra arguments go to jest (e.g. `npm run test:terragrunt -- -t stack`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTerragrunts, type FoundTerragrunts } from '../test/terragrunt/harness/findTerragrunts';

const ROOT = path.resolve(__dirname, '..');

interface Row {
  test: string;
  scenario: string;
  version: string;
  units: number;
  rolemapCalls: number;
  stsCalls: number;
  terragruntSeconds: number;
}

interface JestResults {
  testResults: { assertionResults: { fullName: string; status: string; duration?: number | null }[] }[];
}

function main(): number {
  let found: FoundTerragrunts;
  try {
    found = findTerragrunts(process.env);
  } catch (error) {
    process.stderr.write(`test:terragrunt: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if ('skip' in found) {
    process.stdout.write(`test:terragrunt: skipped, ${found.skip}\n`);
    return 0;
  }
  process.stdout.write(`test:terragrunt: ${found.binaries.map((b) => `terragrunt ${b.version} (${b.path})`).join(', ')}\n`);

  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-e2e-report-'));
  const rowsFile = path.join(work, 'rows.jsonl');
  const resultsFile = path.join(work, 'results.json');
  try {
    const jest = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '-c', 'jest.terragrunt.config.js', '--runInBand', '--json', '--outputFile', resultsFile, ...process.argv.slice(2)],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          ROLEMAP_E2E_REPORT: rowsFile,
          // The versions found above, so that jest tests exactly those.
          TERRAGRUNT_BIN: '',
          TERRAGRUNT_BINS: found.binaries.map((b) => b.path).join(path.delimiter),
        },
      },
    );
    printSummary(rowsFile, resultsFile);
    return jest.status ?? 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function printSummary(rowsFile: string, resultsFile: string): void {
  if (!fs.existsSync(resultsFile)) return;
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as JestResults;
  const tests = results.testResults.flatMap((file) => file.assertionResults);
  const status = new Map(tests.map((t) => [t.fullName, t.status]));
  const rows = fs.existsSync(rowsFile)
    ? fs
        .readFileSync(rowsFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Row)
    : [];
  const table = [
    ['scenario', 'terragrunt', 'units', 'rolemap calls', 'STS calls', 'result', 'terragrunt s'],
    ...rows.map((r) => [r.scenario, r.version, String(r.units), String(r.rolemapCalls), String(r.stsCalls), status.get(r.test) ?? '?', String(r.terragruntSeconds)]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  const lines = table.map((row) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`);
  lines.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  const perVersion = new Map<string, number>();
  for (const t of tests) {
    const version = /\(terragrunt (v[^)]+)\)/.exec(t.fullName)?.[1] ?? 'none';
    perVersion.set(version, (perVersion.get(version) ?? 0) + (t.duration ?? 0));
  }
  lines.push(...[...perVersion].map(([version, ms]) => `terragrunt ${version}: tests took ${(ms / 1000).toFixed(1)} s`));
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

process.exitCode = main();
