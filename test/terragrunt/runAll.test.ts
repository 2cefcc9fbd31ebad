/**
 * `run --all` over a generated tree of 61 units in six accounts, with a real Terragrunt, rolemap
 * as its auth provider command, the emulator as STS and the stub as OpenTofu. Every assertion
 * reads what the stub received (whose keys those were, asked of the emulator) and the emulator's
 * log (who signed each AssumeRole), never what rolemap says about itself.
 */
import * as path from 'node:path';
import { DEPLOY_SUBJECT, E2E_ACCOUNTS } from './harness/accounts';
import { BIG_TREE, BIG_TREE_DEPENDENCIES, BIG_TREE_LIVE_UNITS, bigTreeAccountOf, EXTERNAL_UNIT } from './harness/bigTree';
import { DEVELOPER_ARN, DEVELOPER_KEYS, assumeRoleSigners, stsCounts, tail, workCalls } from './harness/expectations';
import type { TerragruntBinary } from './harness/findTerragrunts';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import { makeSandbox, relative, runScenario, TOFU_STUB, type Sandbox, type ScenarioRun } from './harness/runScenario';
import { startEmulatorProcess, type EmulatorProcess } from './harness/startEmulatorProcess';
import { writeTree } from './harness/writeTree';

const TIMEOUT_MS = 200_000;
const ALL_UNITS = BIG_TREE.units.length;
const DEPENDENCY_TARGETS = [...new Set(Object.values(BIG_TREE_DEPENDENCIES).flatMap((deps) => Object.values(deps)))].sort();

forEachTerragrunt('run --all over 60 units in 6 accounts, a cross-account dependency chain and an external dependency', (binary: TerragruntBinary) => {
  let emulator: EmulatorProcess;
  let sandbox: Sandbox;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    writeTree(sandbox.root, BIG_TREE);
  });
  afterEach(() => sandbox.cleanup());

  const runAll = (command: 'plan' | 'apply', env: Record<string, string>, extra: string[] = []): Promise<ScenarioRun> =>
    runScenario({
      binary,
      emulator,
      sandbox,
      env,
      args: binary.dialect.runAll(command, { workingDir: path.join(sandbox.root, 'live'), tfPath: TOFU_STUB, extra }),
    });

  /**
   * What every variant must show: each unit under live/ ran `command` once, every OpenTofu call
   * (the unit's own, and each dependency fetch's `output`) held credentials of its own unit's
   * account and role, and each dependent got its dependency's outputs.
   */
  function expectEachUnitInItsAccount(run: ScenarioRun, command: 'plan' | 'apply', role: 'terragrunt-plan' | 'terragrunt-apply'): void {
    expect({ code: run.code, failedRolemapCalls: run.rolemap.filter((c) => c.code !== 0) }).toStrictEqual({ code: 0, failedRolemapCalls: [] });

    const ran = run.tofu.filter((c) => c.command === command).map((c) => c.unit);
    expect(ran.sort()).toStrictEqual([...BIG_TREE_LIVE_UNITS].sort());

    // Every call that could reach AWS, with the identity its keys have (asked of STS).
    const wrong = workCalls(run)
      .map((c) => ({ unit: c.unit, command: c.command, identity: c.identity }))
      .filter((c) => !c.identity.startsWith(`arn:aws:sts::${E2E_ACCOUNTS[bigTreeAccountOf(c.unit)]}:assumed-role/${role}/`));
    expect(wrong).toStrictEqual([]);

    // Dependency fetches ran in the dependencies, each with the dependency's own credentials (checked above).
    const fetched = [...new Set(run.tofu.filter((c) => c.command === 'output').map((c) => c.unit))].sort();
    expect(fetched).toStrictEqual(DEPENDENCY_TARGETS);
    const received = Object.keys(BIG_TREE_DEPENDENCIES).map((unit) => ({
      unit,
      inputs: Object.fromEntries(
        Object.entries(run.tofu.find((c) => c.unit === unit && c.command === command)?.inputs ?? {}).map(([k, v]) => [k, relative(sandbox.root, v)]),
      ),
    }));
    expect(received).toStrictEqual(
      Object.entries(BIG_TREE_DEPENDENCIES).map(([unit, deps]) => ({
        unit,
        inputs: Object.fromEntries(Object.entries(deps).map(([name, target]) => [`${name}_unit`, target])),
      })),
    );
  }

  /** Every AssumeRole signed by the developer (never by a role session: no chaining), one per distinct role. */
  function expectOneAssumeRolePerRoleFromTheBase(run: ScenarioRun, role: string): void {
    const signers = assumeRoleSigners(run);
    expect(signers.filter((s) => s.signer !== DEVELOPER_ARN || s.result !== 'ok')).toStrictEqual([]);
    const roles = signers.map((s) => s.roleArn).sort();
    expect(roles).toStrictEqual(Object.values(E2E_ACCOUNTS).map((id) => `arn:aws:iam::${id}:role/${role}`).sort());
    expect(stsCounts(run)).toStrictEqual({ AssumeRole: roles.length });
  }

  it(
    'run --all plan: each unit and each dependency fetch with its own account\'s plan role, assumed from the base, one AssumeRole per role',
    async () => {
      const run = await runAll('plan', DEVELOPER_KEYS);
      reportRow({ scenario: 'run --all plan', version: binary.version, units: ALL_UNITS, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      expectEachUnitInItsAccount(run, 'plan', 'terragrunt-plan');
      expectOneAssumeRolePerRoleFromTheBase(run, 'terragrunt-plan');
      // The external dependency was not run, only read.
      expect(run.tofu.filter((c) => c.unit === EXTERNAL_UNIT).map((c) => c.command)).not.toContain('plan');
    },
    TIMEOUT_MS,
  );

  (binary.dialect.supports.noDiscoveryAuthProviderCmd ? it : it.skip)(
    'run --all plan --no-discovery-auth-provider-cmd: the same credentials, and no rolemap call during discovery',
    async () => {
      const run = await runAll('plan', DEVELOPER_KEYS, ['--no-discovery-auth-provider-cmd']);
      reportRow({ scenario: 'run --all plan --no-discovery-auth-provider-cmd', version: binary.version, units: ALL_UNITS, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      expectEachUnitInItsAccount(run, 'plan', 'terragrunt-plan');
      expectOneAssumeRolePerRoleFromTheBase(run, 'terragrunt-plan');
      // One call per unit task plus one per dependency fetch: N + D (docs/architecture.md, "The
      // contract with Terragrunt").
      expect(run.rolemap.length).toBe(BIG_TREE_LIVE_UNITS.length + run.tofu.filter((c) => c.command === 'output').length);
    },
    TIMEOUT_MS,
  );

  it(
    'run --all apply with ROLEMAP_MODE=apply: every unit and fetch with its account\'s apply role',
    async () => {
      const run = await runAll('apply', { ...DEVELOPER_KEYS, ROLEMAP_MODE: 'apply' });
      reportRow({ scenario: 'run --all apply, ROLEMAP_MODE=apply', version: binary.version, units: ALL_UNITS, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      expectEachUnitInItsAccount(run, 'apply', 'terragrunt-apply');
      expectOneAssumeRolePerRoleFromTheBase(run, 'terragrunt-apply');
    },
    TIMEOUT_MS,
  );

  it(
    'run --all apply in a GitHub Actions push to main: OIDC web identity, apply roles, one AssumeRoleWithWebIdentity per role, no base keys',
    async () => {
      const run = await runAll('apply', {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_ACTOR: 'octocat',
        GITHUB_RUN_ID: '4242',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: 'apply',
        CI: 'true',
        ACTIONS_ID_TOKEN_REQUEST_URL: emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      });
      reportRow({ scenario: 'run --all apply, GitHub push to main (OIDC)', version: binary.version, units: ALL_UNITS, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      expectEachUnitInItsAccount(run, 'apply', 'terragrunt-apply');
      const assumed = run.sts.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
      expect(assumed.map((c) => ({ roleArn: c.roleArn, subject: c.subject, result: c.result })).sort((a, b) => String(a.roleArn).localeCompare(String(b.roleArn)))).toStrictEqual(
        Object.values(E2E_ACCOUNTS)
          .map((id) => ({ roleArn: `arn:aws:iam::${id}:role/terragrunt-apply`, subject: DEPLOY_SUBJECT, result: 'ok' }))
          .sort((a, b) => a.roleArn.localeCompare(b.roleArn)),
      );
      const counts = stsCounts(run);
      expect({ AssumeRole: counts['AssumeRole'] ?? 0, GetCallerIdentity: counts['GetCallerIdentity'] ?? 0 }).toStrictEqual({ AssumeRole: 0, GetCallerIdentity: 0 });
    },
    TIMEOUT_MS,
  );
});
