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

  it(`a unit no mapping covers: rolemap's message reaches the user through Terragrunt, and ${
    binary.dialect.supports.authInDiscovery ? 'discovery stops the whole run before any unit runs' : 'the other units run'
  }`, async () => {
    writeTree(scenario.sandbox().root, tree());
    const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
    reportRow({ scenario: 'one unmapped unit', version: binary.version, units: MAPPED.length + 1, run });
    expect(run.code).not.toBe(0);
    // Terragrunt names the command and the unit, then copies rolemap's stderr: the unit, the file and the way out.
    expect(run.output).toMatch(
      binary.dialect.supports.failureNamesCommand
        ? /Failed to execute "[^"]*rolemap" in \S*sandbox\/experiment/
        : new RegExp(`\\[${scenario.sandbox().root}/${UNMAPPED}\\] exit status 2`),
    );
    expect(run.output).toContain(`In ${scenario.sandbox().root}/rolemap.yaml, no mapping matches the unit ${UNMAPPED}.`);
    expect(run.output).toContain('unmatched: empty');
    expect(run.rolemap.filter((c) => c.code !== 0).map((c) => ({ dir: c.dir, code: c.code }))).toStrictEqual([{ dir: UNMAPPED, code: 2 }]);
    expect(planned(run)).toStrictEqual(binary.dialect.supports.authInDiscovery ? [] : [...MAPPED].sort());
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

  /** The prod plan role refuses the developer for the length of one run. */
  async function runWithProdDenied(extra: string[] = []): Promise<ScenarioRun> {
    writeTree(scenario.sandbox().root, {
      units: MAPPED.map((dir) => ({ dir })),
      mappings: [
        { paths: ['live/dev/**'], account: 'dev' },
        { paths: ['live/prod/**'], account: 'prod' },
      ],
    });
    await scenario.emulator().setPrincipals(PROD_PLAN_ROLE, []);
    try {
      return await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS, extra });
    } finally {
      await scenario.emulator().setPrincipals(PROD_PLAN_ROLE, [DEVELOPER_ARN]);
    }
  }

  /** The refusal in Terragrunt's error, in rolemap's words, and STS asked about the role at most twice. */
  function expectDeniedOnce(run: ScenarioRun): void {
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      binary.dialect.supports.failureNamesCommand
        ? /Failed to execute "[^"]*rolemap" in \S*prod\/us-east-1\/(vpc|app)/
        : new RegExp(`\\[${scenario.sandbox().root}/live/prod/us-east-1/(vpc|app)\\] exit status 1`),
    );
    expect(run.output).toContain(`Could not assume ${PROD_PLAN_ROLE} as ${DEVELOPER_ARN}: AccessDenied`);
    const denied = run.sts.filter((c) => c.action === 'AssumeRole' && c.roleArn === PROD_PLAN_ROLE);
    expect(denied.map((c) => c.result)).toContain('AccessDenied');
    expect(denied.length).toBeLessThanOrEqual(2);
    expect(run.rolemap.filter((c) => c.code !== 0).every((c) => c.dir.startsWith('live/prod/') && c.code === 1)).toBe(true);
  }

  /** The dev units that ran, each with the dev plan role. */
  function devUnitsRan(run: ScenarioRun): { unit: string; identity: string }[] {
    return workCalls(run)
      .filter((c) => c.command === 'plan')
      .map((c) => ({ unit: c.unit, identity: c.identity.replace(/\/[^/]+$/, '') }))
      .sort((a, b) => a.unit.localeCompare(b.unit));
  }
  const DEV_PLANNED = MAPPED.filter((u) => u.includes('/dev/'))
    .sort()
    .map((unit) => ({ unit, identity: `arn:aws:sts::${E2E_ACCOUNTS.dev}:assumed-role/terragrunt-plan` }));

  it(`an AccessDenied role: rolemap's message shown by Terragrunt, STS asked at most twice, and ${
    binary.dialect.supports.authInDiscovery ? 'discovery stops the whole run' : 'the other account\'s units run'
  }`, async () => {
    const run = await runWithProdDenied();
    reportRow({ scenario: 'AccessDenied role', version: binary.version, units: MAPPED.length, run });
    expectDeniedOnce(run);
    expect(devUnitsRan(run)).toStrictEqual(binary.dialect.supports.authInDiscovery ? [] : DEV_PLANNED);
  });

  (binary.dialect.supports.noDiscoveryAuthProviderCmd ? it : it.skip)(
    'an AccessDenied role with --no-discovery-auth-provider-cmd: its units fail, the rest of the run goes on',
    async () => {
      const run = await runWithProdDenied(['--no-discovery-auth-provider-cmd']);
      reportRow({ scenario: 'AccessDenied role, --no-discovery-auth-provider-cmd', version: binary.version, units: MAPPED.length, run });
      expectDeniedOnce(run);
      expect(devUnitsRan(run)).toStrictEqual(DEV_PLANNED);
    },
  );
});
