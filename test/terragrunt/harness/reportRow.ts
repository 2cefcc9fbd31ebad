import * as fs from 'node:fs';
import type { ScenarioRun } from './runScenario';

const STS_ACTIONS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'GetSessionToken']);

/**
 * Appends one row of the suite's summary (scripts/testTerragrunt.ts prints them as a table with
 * each test's result): how many units, rolemap processes and STS calls a scenario took.
 */
export function reportRow(row: { scenario: string; version: string; units: number; run: ScenarioRun }): void {
  const file = process.env['ROLEMAP_E2E_REPORT'];
  if (file === undefined || file === '') return;
  const line = {
    test: expect.getState().currentTestName ?? row.scenario,
    scenario: row.scenario,
    version: row.version,
    units: row.units,
    rolemapCalls: row.run.rolemap.length,
    stsCalls: row.run.sts.filter((c) => STS_ACTIONS.has(c.action)).length,
    terragruntSeconds: Math.round(row.run.seconds * 10) / 10,
  };
  fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}
