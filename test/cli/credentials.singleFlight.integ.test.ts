import * as path from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../emulator/startEmulatorProcess';
import { SEED_DEVELOPER, seedRoleArn } from '../emulator/seed';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap, untilStderr } from './fixtures/startRolemap';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, parseTerragruntJson, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';

// Hundreds of node processes on a 2-core machine: generous limits, and no timing assertions.
const MANY_PROCESSES_TIMEOUT_MS = 240_000;
const PROCESS_TIMEOUT_MS = 200_000;

/** One of many parallel calls: niced, so that the emulator standing in for AWS keeps answering (see startRolemap). */
function runOneOfMany(cwd: string, env: Record<string, string>): Promise<RolemapRun> {
  return startRolemap([], { cwd, env, nice: 10, timeoutMs: PROCESS_TIMEOUT_MS }).done;
}

describe('dist/rolemap credentials: single flight across processes (docs/architecture.md, "The cache")', () => {
  // In a process of its own: counted calls must not depend on jest's event loop keeping up with 400 children.
  let emulator: EmulatorProcess;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: ['prod/us-east-1/app'] });
    await emulator.reset();
  });
  afterEach(() => {
    sandbox.cleanup();
  });

  it('50 processes started at once for one unit make one AssumeRole and all print the same credentials', async () => {
    const env = developerEnv(sandbox, emulator);
    const cwd = tree.unitDir('prod/us-east-1/app');
    const runs = await Promise.all(Array.from({ length: 50 }, () => runOneOfMany(cwd, env)));

    expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(runs.map(() => ({ code: 0, stderr: '' })));
    const keyIds = new Set(runs.map((r) => printedCredentials(r.stdout).ACCESS_KEY_ID));
    expect({ distinctKeyIds: keyIds.size, assumeRoleCalls: (await emulator.callCounts())['AssumeRole'] }).toStrictEqual({ distinctKeyIds: 1, assumeRoleCalls: 1 });
  }, MANY_PROCESSES_TIMEOUT_MS);

  it(
    '200 units over 4 accounts, each in plan and apply, all 400 at once: one AssumeRole per role, each unit gets its account',
    async () => {
      const units = Object.keys(LIVE_TREE_ACCOUNTS).flatMap((account) =>
        Array.from({ length: 50 }, (_, i) => `${account}/region-${i % 5}/unit-${i}`),
      );
      const big = writeLiveTree({ root: path.join(sandbox.home, 'big-live'), units });
      const env = developerEnv(sandbox, emulator);
      const calls = units.flatMap((unit) => (['plan', 'apply'] as const).map((mode) => ({ unit, mode })));
      expect(calls).toHaveLength(400);

      const runs = await Promise.all(
        calls.map(async ({ unit, mode }) => ({
          unit,
          mode,
          run: await runOneOfMany(big.unitDir(unit), { ...env, ROLEMAP_MODE: mode }),
        })),
      );

      const failed = runs.filter(({ run }) => run.code !== 0 || run.stderr !== '');
      expect(failed.map(({ unit, mode, run }) => ({ unit, mode, code: run.code, stderr: run.stderr }))).toStrictEqual([]);

      // Exactly one STS call per role ARN: 4 accounts x {plan, apply}.
      const assumed = (await emulator.callLog()).filter((c) => c.action === 'AssumeRole');
      const perRole: Record<string, number> = {};
      for (const call of assumed) perRole[call.roleArn ?? '?'] = (perRole[call.roleArn ?? '?'] ?? 0) + 1;
      const expectedPerRole: Record<string, number> = {};
      for (const account of Object.values(LIVE_TREE_ACCOUNTS)) {
        expectedPerRole[seedRoleArn(account, 'terragrunt-plan')] = 1;
        expectedPerRole[seedRoleArn(account, 'terragrunt-apply')] = 1;
      }
      expect(perRole).toStrictEqual(expectedPerRole);

      // Every process of one (account, mode) printed the same credentials, and those act as that account's role.
      const keyIdsByRole = new Map<string, Set<string>>();
      const sample = new Map<string, ReturnType<typeof printedCredentials>>();
      for (const { unit, mode, run } of runs) {
        const role = `${LIVE_TREE_ACCOUNTS[unit.split('/')[0] ?? ''] ?? '?'}/terragrunt-${mode}`;
        const credentials = printedCredentials(run.stdout);
        keyIdsByRole.set(role, (keyIdsByRole.get(role) ?? new Set()).add(credentials.ACCESS_KEY_ID));
        sample.set(role, credentials);
      }
      expect([...keyIdsByRole.values()].map((ids) => ids.size)).toStrictEqual(Array.from({ length: 8 }, () => 1));
      const actsAs = await Promise.all(
        [...sample.entries()].map(async ([role, credentials]) => ({ role, arn: await callerArnOf(emulator, credentials) })),
      );
      for (const { role, arn } of actsAs) {
        const [account, roleName] = role.split('/');
        expect(arn).toMatch(new RegExp(`^arn:aws:sts::${account}:assumed-role/${roleName}/`));
      }
    },
    MANY_PROCESSES_TIMEOUT_MS,
  );

  it('AccessDenied for 20 parallel calls: all fail with the role and the caller named, STS is asked once, the failure is listed', async () => {
    const roleArn = seedRoleArn(LIVE_TREE_ACCOUNTS['prod'] ?? '', 'terragrunt-plan');
    const trusted = (await emulator.updateRoleTrust(roleArn, {})).principals;
    await emulator.updateRoleTrust(roleArn, { principals: [] });
    let runs: RolemapRun[];
    try {
      const env = developerEnv(sandbox, emulator);
      const cwd = tree.unitDir('prod/us-east-1/app');
      runs = await Promise.all(Array.from({ length: 20 }, () => runOneOfMany(cwd, env)));
    } finally {
      await emulator.updateRoleTrust(roleArn, { principals: trusted });
    }

    expect(runs.map((r) => ({ code: r.code, stdout: r.stdout }))).toStrictEqual(runs.map(() => ({ code: 1, stdout: '' })));
    for (const run of runs) {
      expect(run.stderr).toContain(roleArn);
      // The base identity: the caller's ARN (looked up on the error path) or, failing that, its key descriptor.
      expect(run.stderr.includes(SEED_DEVELOPER.arn) || run.stderr.includes(SEED_DEVELOPER.accessKeyId)).toBe(true);
      expect(run.stderr).toContain('AccessDenied');
      expect(run.stderr).toMatch(/^ {2}hint: .*trust policy/m);
    }
    // One refusal from STS serves all 20: the lock holder writes the failure before releasing the
    // lock, and both its waiters and any later caller (even one that takes the lock after it) read
    // it. GetCallerIdentity, which names the caller in the message, is another action.
    expect(await emulator.callCounts()).toStrictEqual({ AssumeRole: 1, GetCallerIdentity: 1 });

    const list = await runRolemap(['cache', 'list', '--json'], { cwd: tree.root, env: developerEnv(sandbox, emulator) });
    expect(list.code).toBe(0);
    const entries = (JSON.parse(list.stdout) as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries.map((e) => ({ status: e['status'], roleArn: e['roleArn'], kind: e['kind'] }))).toStrictEqual([
      { status: 'failing', roleArn, kind: 'access-denied' },
    ]);
    const table = await runRolemap(['cache', 'list'], { cwd: tree.root, env: developerEnv(sandbox, emulator) });
    expect(table.stdout).toMatch(new RegExp(`^failing +${roleArn.replace(/[/]/g, '\\/')} `, 'm'));
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);
  }, MANY_PROCESSES_TIMEOUT_MS);

  describe('a dependency fetch whose env-key base Terragrunt replaced with rolemap\'s credentials', () => {
    /** What Terragrunt gives the fetch: the dependent unit's environment, with what rolemap printed for it. */
    async function fetchEnv(dependent: string, base: Record<string, string>): Promise<Record<string, string>> {
      const run = await runRolemap([], { cwd: tree.unitDir(dependent), env: base });
      const printed = printedCredentials(run.stdout);
      const envs = (parseTerragruntJson(run.stdout)['envs'] ?? {}) as Record<string, string>;
      return {
        ...base,
        ...envs,
        AWS_ACCESS_KEY_ID: printed.ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: printed.SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: printed.SESSION_TOKEN,
      };
    }

    beforeEach(() => {
      tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: ['prod/us-east-1/app', 'shared/us-east-1/dns'] });
    });

    it(
      'on a cold cache waits for a call with the keys, started after it, and prints that call\'s credentials; STS is asked once, by the developer',
      async () => {
        const env = developerEnv(sandbox, emulator);
        const inherited = { ...(await fetchEnv('prod/us-east-1/app', env)), ROLEMAP_LOG_LEVEL: 'debug' };
        await emulator.reset();
        const fetch = startRolemap([], { cwd: tree.unitDir('shared/us-east-1/dns'), env: inherited });
        // The unit's own call starts only once the fetch is waiting (or has ended: then it failed).
        await untilStderr(fetch, (stderr) => stderr.includes('waiting for another rolemap to obtain this credential'));
        const own = await runRolemap([], { cwd: tree.unitDir('shared/us-east-1/dns'), env });
        const fetched = await fetch.done;

        expect({ fetch: fetched.code, own: own.code, ownStderr: own.stderr }).toStrictEqual({ fetch: 0, own: 0, ownStderr: '' });
        expect(printedCredentials(fetched.stdout).ACCESS_KEY_ID).toBe(printedCredentials(own.stdout).ACCESS_KEY_ID);
        const assumed = (await emulator.callLog()).filter((c) => c.action === 'AssumeRole');
        expect(assumed.map((c) => ({ role: c.roleArn, caller: c.callerArn }))).toStrictEqual([
          { role: seedRoleArn(LIVE_TREE_ACCOUNTS['shared'] ?? '', 'terragrunt-plan'), caller: SEED_DEVELOPER.arn },
        ]);
      },
      PROCESS_TIMEOUT_MS,
    );

    it(
      'with no call to wait for gives up, says why and how to fix it, and leaves nothing that fails the next call with the keys',
      async () => {
        const env = developerEnv(sandbox, emulator);
        const inherited = await fetchEnv('prod/us-east-1/app', env);
        await emulator.reset();
        const fetch = await runRolemap([], { cwd: tree.unitDir('shared/us-east-1/dns'), env: inherited });
        expect({ code: fetch.code, stdout: fetch.stdout }).toStrictEqual({ code: 1, stdout: '' });
        expect(fetch.stderr).toContain(`the original base identity (env:${SEED_DEVELOPER.accessKeyId}) is no longer in the environment`);
        expect(fetch.stderr).toMatch(/No other call obtained it in the \d+s this call waited/);
        expect(fetch.stderr).toMatch(/^ {2}hint: Give base credentials through a profile \(AWS_PROFILE or source_profile\)/m);
        // The dependent unit's credential only: no failure, no lock, nothing for the fetch's role.
        const files = listCacheFiles(sandbox.cacheDir);
        expect({ credentials: files.credentials.length, failures: files.failures, locks: files.locks }).toStrictEqual({ credentials: 1, failures: [], locks: [] });

        const own = await runRolemap([], { cwd: tree.unitDir('shared/us-east-1/dns'), env });
        expect({ code: own.code, stderr: own.stderr }).toStrictEqual({ code: 0, stderr: '' });
        expect(await emulator.callCounts()).toStrictEqual({ AssumeRole: 1 });
      },
      PROCESS_TIMEOUT_MS,
    );
  });
});
