/**
 * Credentials that AWS answers with but that are already expired, or that will not outlive min_ttl
 * (README, "How credentials are obtained"), through the built binary, many processes at once,
 * against the emulator running in a process of its own.
 */
import * as path from 'node:path';
import { SEED_DEVELOPER, seedRoleArn } from '../emulator/seed';
import { startEmulatorProcess, type EmulatorProcess } from '../emulator/startEmulatorProcess';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap } from './fixtures/startRolemap';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, type RolemapRun, type Sandbox } from './runRolemap';

const MANY_PROCESSES_TIMEOUT_MS = 240_000;
const PROCESS_TIMEOUT_MS = 200_000;
const UNIT = 'prod/us-east-1/app';
const ROLE_ARN = seedRoleArn(LIVE_TREE_ACCOUNTS['prod'] ?? '', 'terragrunt-plan');
const DURATION_SECONDS = 3600;
const MIN_TTL_SECONDS = 900;

describe('dist/rolemap credentials: expired and short-lived answers (README, "How credentials are obtained")', () => {
  let emulator: EmulatorProcess;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  }, 60_000);
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT], durationSeconds: DURATION_SECONDS, minTtlSeconds: MIN_TTL_SECONDS });
    await emulator.reset();
  });
  afterEach(async () => {
    await lifetimeFor(undefined);
    sandbox.cleanup();
  });

  /** The emulated role's credentials expire this many seconds after issue (undefined: as asked). */
  async function lifetimeFor(seconds: number | undefined): Promise<void> {
    const response = await fetch(`${emulator.url}/_emulator/roles/lifetime`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ arn: ROLE_ARN, ...(seconds === undefined ? {} : { seconds }) }),
    });
    if (!response.ok) throw new Error(`emulator roles/lifetime: HTTP ${response.status}`);
  }

  function runMany(n: number): Promise<RolemapRun[]> {
    const env = {
      ...sandbox.env,
      AWS_ENDPOINT_URL_STS: emulator.env().AWS_ENDPOINT_URL_STS,
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
    };
    // Niced, so that the callers do not starve each other's lock holder (see startRolemap).
    return Promise.all(Array.from({ length: n }, () => startRolemap([], { cwd: tree.unitDir(UNIT), env, nice: 10, timeoutMs: PROCESS_TIMEOUT_MS }).done));
  }

  async function assumeRoleCalls(): Promise<number> {
    return (await emulator.callLog()).filter((call) => call.action === 'AssumeRole').length;
  }

  it('credentials that expired a minute ago: 100 parallel calls all fail with nothing on stdout, and STS is asked once', async () => {
    await lifetimeFor(-60);
    const runs = await runMany(100);

    expect(runs.map((r) => ({ code: r.code, stdout: r.stdout }))).toStrictEqual(runs.map(() => ({ code: 1, stdout: '' })));
    for (const run of runs) {
      expect(run.stderr).toContain(`Refusing credentials for ${ROLE_ARN}: AWS answered with credentials that expired`);
      expect(run.stderr).toMatch(/^ {2}hint: .*clock/m);
    }
    expect(await assumeRoleCalls()).toBe(1);
  }, MANY_PROCESSES_TIMEOUT_MS);

  it('a session shorter than min_ttl: 100 parallel calls print the same credentials with one warning each, from one AssumeRole', async () => {
    const grantedSeconds = 600;
    await lifetimeFor(grantedSeconds);
    const runs = await runMany(100);

    expect(runs.map((r) => r.code)).toStrictEqual(runs.map(() => 0));
    expect(new Set(runs.map((r) => printedCredentials(r.stdout).ACCESS_KEY_ID)).size).toBe(1);
    for (const run of runs) {
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      const [warning] = lines;
      // The granted life (a second or two may have passed), min_ttl, and the fix.
      expect(warning).toMatch(new RegExp(`with only (5\\d\\d|600)s of life \\(asked for ${DURATION_SECONDS}s\\), less than min_ttl \\(${MIN_TTL_SECONDS}s\\)`));
      expect(warning).toContain(`Fix: raise the maximum session duration of ${ROLE_ARN}`);
    }
    expect(await assumeRoleCalls()).toBe(1);
  }, MANY_PROCESSES_TIMEOUT_MS);
});
