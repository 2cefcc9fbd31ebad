/**
 * `auth: delegate`: rolemap prints `awsRole` and Terragrunt assumes the role itself, through
 * AWS_ENDPOINT_URL_STS, for units and for a dependency fetch. Checked by what OpenTofu received
 * and by who signed each AssumeRole in the emulator's log.
 */
import { E2E_ACCOUNTS } from './harness/accounts';
import { DEVELOPER_ARN, DEVELOPER_KEYS, assumeRoleSigners, stsCounts, tail, workCalls } from './harness/expectations';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import { relative, type ScenarioRun } from './harness/runScenario';
import { useScenario } from './harness/useScenario';
import { writeTree } from './harness/writeTree';

const DB = 'live/dev/us-east-1/db';
const APP = 'live/prod/us-east-1/app';
const VPC = 'live/prod/us-east-1/vpc';
const ACCOUNT_OF: Record<string, string> = { [DB]: E2E_ACCOUNTS.dev, [APP]: E2E_ACCOUNTS.prod, [VPC]: E2E_ACCOUNTS.prod };

forEachTerragrunt('auth: delegate', (binary) => {
  const scenario = useScenario(binary);

  beforeEach(() => {
    writeTree(scenario.sandbox().root, {
      auth: 'delegate',
      units: [{ dir: DB }, { dir: VPC }, { dir: APP, dependencies: { db: DB } }],
      mappings: [
        { paths: ['live/dev/**'], account: 'dev' },
        { paths: ['live/prod/**'], account: 'prod' },
      ],
    });
  });

  if (binary.dialect.supports.awsRole) {
    it('Terragrunt assumes the printed role from the base identity, for each unit and for the dependency fetch', async () => {
      const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
      reportRow({ scenario: 'auth: delegate', version: binary.version, units: 3, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      const calls = workCalls(run).map((c) => ({ unit: c.unit, command: c.command, identity: c.identity }));
      // The session name is the one rolemap printed (rolemap-{user}-{mode}).
      expect(calls.filter((c) => !new RegExp(`^arn:aws:sts::${ACCOUNT_OF[c.unit] ?? '?'}:assumed-role/terragrunt-plan/rolemap-[^/]+-plan$`).test(c.identity))).toStrictEqual([]);
      expect(calls.filter((c) => c.command === 'output').map((c) => c.unit)).toContain(DB);
      expect(calls.filter((c) => c.command === 'plan').map((c) => c.unit).sort()).toStrictEqual([DB, APP, VPC].sort());
      const app = run.tofu.find((c) => c.unit === APP && c.command === 'plan');
      expect(relative(scenario.sandbox().root, app?.inputs['db_unit'] ?? '')).toBe(DB);
      // Terragrunt signed every AssumeRole with the developer's keys, and rolemap asked STS nothing.
      expect(assumeRoleSigners(run).filter((s) => s.signer !== DEVELOPER_ARN || s.result !== 'ok')).toStrictEqual([]);
      expect(new Set(assumeRoleSigners(run).map((s) => s.roleArn))).toStrictEqual(
        new Set([`arn:aws:iam::${E2E_ACCOUNTS.dev}:role/terragrunt-plan`, `arn:aws:iam::${E2E_ACCOUNTS.prod}:role/terragrunt-plan`]),
      );
      expect(Object.keys(stsCounts(run))).toStrictEqual(['AssumeRole']);
    });

    it('when Terragrunt\'s own AssumeRole is refused it only warns, and OpenTofu runs with the base identity (why delegate is opt-in)', async () => {
      const role = `arn:aws:iam::${E2E_ACCOUNTS.dev}:role/terragrunt-plan`;
      await scenario.emulator().setPrincipals(role, []);
      let run: ScenarioRun;
      try {
        run = await scenario.runAll('plan', { workingDir: 'live/dev', env: DEVELOPER_KEYS });
      } finally {
        await scenario.emulator().setPrincipals(role, [DEVELOPER_ARN]);
      }
      reportRow({ scenario: 'auth: delegate, role refused', version: binary.version, units: 1, run });
      expect(run.code).toBe(0);
      expect(run.output).toContain(`Failed to assume role ${role}`);
      expect(workCalls(run).filter((c) => c.command === 'plan').map((c) => ({ unit: c.unit, identity: c.identity }))).toStrictEqual([{ unit: DB, identity: DEVELOPER_ARN }]);
    });
  } else {
    it('before v0.68.14 Terragrunt ignores awsRole: OpenTofu runs with the base identity (why delegate needs a newer Terragrunt)', async () => {
      const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
      reportRow({ scenario: 'auth: delegate', version: binary.version, units: 3, run });
      const calls = workCalls(run).map((c) => ({ unit: c.unit, identity: c.identity }));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.identity !== DEVELOPER_ARN)).toStrictEqual([]);
      expect(run.sts).toStrictEqual([]);
    });
  }
});
