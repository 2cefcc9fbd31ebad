/**
 * What a user sees when rolemap cannot answer for a unit, under a real Terragrunt: a unit that
 * no mapping covers, and a role whose trust policy refuses the caller. Checked by what OpenTofu
 * ran, Terragrunt's own output, and the emulator's log.
 */
import { E2E_ACCOUNTS } from './harness/accounts';
import { DEVELOPER_ARN, DEVELOPER_KEYS, tail, workCalls } from './harness/expectations';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import type { ScenarioRun } from './harness/runScenario';
import { useScenario } from './harness/useScenario';
import { writeTree, type TreeSpec } from './harness/writeTree';

const MAPPED = ['live/dev/us-east-1/vpc', 'live/dev/us-east-1/app', 'live/prod/us-east-1/vpc', 'live/prod/us-east-1/app'];
const UNMAPPED = 'live/sandbox/experiment';
const PROD_PLAN_ROLE = `arn:aws:iam::${E2E_ACCOUNTS.prod}:role/terragrunt-plan`;

const accountOf = (unit: string): string => (unit.includes('/prod/') ? E2E_ACCOUNTS.prod : E2E_ACCOUNTS.dev);
const planned = (run: ScenarioRun): string[] => workCalls(run).filter((c) => c.command === 'plan').map((c) => c.unit).sort();

function tree(topLevel: string[] = []): TreeSpec {
  return {
    units: [...MAPPED, UNMAPPED].map((dir) => ({ dir })),
    mappings: [
      { paths: ['live/dev/**'], account: 'dev' },
      { paths: ['live/prod/**'], account: 'prod' },
    ],
    topLevel,
  };
}

forEachTerragrunt('when rolemap cannot answer', (binary) => {
  const scenario = useScenario(binary);

  it('a unit no mapping covers: rolemap\'s message reaches the user inside Terragrunt\'s error', async () => {
    writeTree(scenario.sandbox().root, tree());
    const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
    reportRow({ scenario: 'one unmapped unit', version: binary.version, units: MAPPED.length + 1, run });
    expect(run.code).not.toBe(0);
    // rolemap's own words, with the unit, the file and the way out, in what Terragrunt printed.
    expect(run.output).toContain(`No mapping in ${scenario.sandbox().root}/rolemap.yaml matches the unit ${UNMAPPED}.`);
    expect(run.output).toContain('unmatched: empty');
    expect(run.rolemap.filter((c) => c.code !== 0).map((c) => ({ dir: c.dir, code: c.code }))).toContainEqual({ dir: UNMAPPED, code: 2 });
    expect(planned(run)).not.toContain(UNMAPPED);
  });

  it('unmatched: empty: the unmapped unit gets no credentials from rolemap, every other unit its own', async () => {
    writeTree(scenario.sandbox().root, tree(['unmatched: empty']));
    const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
    reportRow({ scenario: 'unmapped unit with unmatched: empty', version: binary.version, units: MAPPED.length + 1, run });
    if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
    expect(planned(run)).toStrictEqual([...MAPPED, UNMAPPED].sort());
    const identities = workCalls(run)
      .filter((c) => c.command === 'plan')
      .map((c) => ({ unit: c.unit, identity: c.identity.replace(/\/[^/]+$/, '') }))
      .sort((a, b) => a.unit.localeCompare(b.unit));
    // `{}` leaves the unit with what Terragrunt itself had: here the developer's own keys.
    expect(identities).toStrictEqual(
      [...MAPPED, UNMAPPED].sort().map((unit) => ({
        unit,
        identity: unit === UNMAPPED ? DEVELOPER_ARN.replace(/\/[^/]+$/, '') : `arn:aws:sts::${accountOf(unit)}:assumed-role/terragrunt-plan`,
      })),
    );
  });

  it('an AccessDenied role: its units fail with rolemap\'s message in Terragrunt\'s error, STS is asked at most twice', async () => {
    writeTree(scenario.sandbox().root, {
      units: MAPPED.map((dir) => ({ dir })),
      mappings: [
        { paths: ['live/dev/**'], account: 'dev' },
        { paths: ['live/prod/**'], account: 'prod' },
      ],
    });
    await scenario.emulator().setPrincipals(PROD_PLAN_ROLE, []);
    let run: ScenarioRun;
    try {
      run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
    } finally {
      await scenario.emulator().setPrincipals(PROD_PLAN_ROLE, [DEVELOPER_ARN]);
    }
    reportRow({ scenario: 'AccessDenied role', version: binary.version, units: MAPPED.length, run });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(PROD_PLAN_ROLE);
    expect(run.output).toContain('AccessDenied');
    const denied = run.sts.filter((c) => c.action === 'AssumeRole' && c.roleArn === PROD_PLAN_ROLE);
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied.length).toBeLessThanOrEqual(2);
    expect(planned(run).filter((unit) => unit.includes('/prod/'))).toStrictEqual([]);
  });
});
