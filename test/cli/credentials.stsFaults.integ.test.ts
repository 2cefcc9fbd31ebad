import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { seedRoleArn } from '../emulator/seed';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap } from './fixtures/startRolemap';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const PROD = LIVE_TREE_ACCOUNTS['prod'] ?? '';
const ROLE_ARN = seedRoleArn(PROD, 'terragrunt-plan');
const UNIT = 'prod/us-east-1/app';

/** Resolves once `condition()` holds; checked every 20 ms, failing after `timeoutMs`. */
async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('dist/rolemap credentials when STS misbehaves (README, "How credentials are obtained"; docs/architecture.md, "The cache")', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    env = developerEnv(sandbox, emulator);
    emulator.resetCalls();
    emulator.faults.clear();
    emulator.misbehave.clear();
  });
  afterEach(() => {
    emulator.faults.clear();
    emulator.misbehave.clear();
    sandbox.cleanup();
  });

  it('refuses credentials that act in another account, prints nothing and caches nothing', async () => {
    emulator.misbehave.wrongAccountFor(ROLE_ARN, '555555555555');
    const cwd = tree.unitDir(UNIT);

    const first = await runRolemap([], { cwd, env });
    expect({ code: first.code, stdout: first.stdout, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 1,
      stdout: '',
      assumeRoleCalls: 1,
    });
    expect(first.stderr).toContain(ROLE_ARN);
    expect(first.stderr).toContain('555555555555');
    expect(first.stderr).toContain(`mapped account ${PROD}`);
    expect(first.stderr).toMatch(/^ {2}hint: /m);
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);

    // A second call is refused too. Like AccessDenied, an account mismatch is remembered for
    // FAILURE_MEMORY_SECONDS (src/cache/singleFlight.ts LASTING_FAILURES), so it is answered
    // without asking STS again; what matters to the user is that it never prints credentials.
    const second = await runRolemap([], { cwd, env });
    expect({ code: second.code, stdout: second.stdout }).toStrictEqual({ code: 1, stdout: '' });
    // The same message, marked as a replay of the remembered answer.
    expect(second.stderr).toMatch(/^rolemap: Refusing credentials for .* not in the mapped account 333333333333\./);
    expect(second.stderr).toContain('rolemap remembered this answer from');
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);

    // Once STS behaves and the remembered failure is gone (as it is after a minute), the next
    // call asks STS and gets the mapped account: the wrong credentials were never kept.
    emulator.misbehave.clear();
    for (const file of listCacheFiles(sandbox.cacheDir).failures) fs.rmSync(file);
    const fixed = await runRolemap([], { cwd, env });
    expect({ code: fixed.code, stderr: fixed.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(await callerArnOf(emulator, printedCredentials(fixed.stdout))).toMatch(new RegExp(`^arn:aws:sts::${PROD}:assumed-role/terragrunt-plan/`));
    expect(emulator.calls('AssumeRole')).toBe(2);
  });

  it('rides out throttling: 3 Throttling answers, then credentials', async () => {
    emulator.faults.throttleNext(3, 'AssumeRole');
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });
    expect({ code: run.code, stderr: run.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      assumeRoleCalls: 4,
    });
    expect(emulator.callLog().map((c) => c.result)).toStrictEqual(['Throttling', 'Throttling', 'Throttling', 'ok']);
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(new RegExp(`^arn:aws:sts::${PROD}:assumed-role/terragrunt-plan/`));
  });

  it('gives up on a hung STS request after its timeout and succeeds on the retry', async () => {
    emulator.faults.hangNext(1, 'AssumeRole');
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env, timeoutMs: 35_000 });
    expect({ code: run.code, stderr: run.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      assumeRoleCalls: 2,
    });
    expect(emulator.callLog().map((c) => c.result)).toStrictEqual(['hang', 'ok']);
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
  }, 40_000);

  it('rides out an answer cut off halfway: the call is sent again, and only whole credentials are printed', async () => {
    emulator.faults.cutNext(1, 'AssumeRole');
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });
    expect({ code: run.code, stderr: run.stderr, results: emulator.callLog().map((c) => c.result) }).toStrictEqual({
      code: 0,
      stderr: '',
      results: ['cut', 'ok'],
    });
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(new RegExp(`^arn:aws:sts::${PROD}:assumed-role/terragrunt-plan/`));
  });

  it('after the lock holder is killed mid-fetch (a dependency fetch cancelled), the next call breaks its lock and gets credentials', async () => {
    emulator.faults.hangNext(1, 'AssumeRole');
    const cwd = tree.unitDir(UNIT);
    const holder = startRolemap([], { cwd, env, timeoutMs: 30_000 });
    // It holds the lock and waits on STS.
    await waitUntil(() => listCacheFiles(sandbox.cacheDir).locks.length === 1, 'the lock file exists');
    await waitUntil(() => emulator.callLog().some((c) => c.action === 'AssumeRole' && c.result === 'hang'), 'STS holds the request');
    holder.child.kill('SIGKILL');
    const killed = await holder.done;
    expect({ code: killed.code, signal: holder.child.signalCode, stdout: killed.stdout }).toStrictEqual({ code: null, signal: 'SIGKILL', stdout: '' });
    expect(listCacheFiles(sandbox.cacheDir).locks).toHaveLength(1);

    emulator.faults.clear();
    // Finishing at all is the point (the lock wait would otherwise last LOCK_WAIT_MS, 90 s).
    const next = await runRolemap([], { cwd, env, timeoutMs: 60_000 });
    expect({ code: next.code, stderr: next.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(printedCredentials(next.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(emulator.callLog().map((c) => c.result)).toStrictEqual(['hang', 'ok']);
    expect(listCacheFiles(sandbox.cacheDir)).toMatchObject({ locks: [], credentials: [expect.any(String)] });
  }, 90_000);
});
