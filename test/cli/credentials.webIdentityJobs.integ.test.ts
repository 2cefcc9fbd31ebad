/**
 * Web identity credentials never cross CI jobs (README, "How credentials are obtained"), through
 * the built binary: two GitHub Actions jobs of one run that share REPO, RUN_ID, RUN_ATTEMPT and
 * JOB (matrix legs) but have their own request tokens and subjects, one cache directory (a
 * self-hosted runner), and a role that trusts only one of the two subjects. Both orders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_MAX_SESSION_DURATION, seedRoleArn } from '../emulator/seed';
import { callerArnOf } from './fixtures/callerArnOf';
import { GITHUB_PUSH_JOB_ENV, githubWebIdentityMapping } from './fixtures/githubActionsJob';
import { printedCredentials } from './fixtures/printedCredentials';
import { makeSandbox, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';

const ROLE_ARN = seedRoleArn(SEED_ACCOUNTS.prod, 'deploy-production');
const PRODUCTION = 'repo:acme/infra:environment:production';
const STAGING = 'repo:acme/infra:environment:staging';
const UNIT = 'prod/app';

const MAPPING = githubWebIdentityMapping(SEED_ACCOUNTS.prod, 'deploy-production');

describe('dist/rolemap credentials: web identity per job, with a shared cache directory', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let unitDir: string;
  const jobTokens: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.addRole({ arn: ROLE_ARN, trust: { oidcSubjects: [PRODUCTION], maxSessionDuration: SEED_MAX_SESSION_DURATION } });
    jobTokens[PRODUCTION] = emulator.github.addJob(PRODUCTION);
    jobTokens[STAGING] = emulator.github.addJob(STAGING);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    const root = path.join(sandbox.home, 'live');
    unitDir = path.join(root, UNIT);
    fs.mkdirSync(unitDir, { recursive: true });
    fs.writeFileSync(path.join(root, 'rolemap.yaml'), MAPPING);
    emulator.resetCalls();
  });
  afterEach(() => sandbox.cleanup());

  /** One matrix leg: the same run, attempt and job name; its own request token. */
  function runLeg(subject: string): Promise<RolemapRun> {
    return runRolemap([], {
      cwd: unitDir,
      env: {
        ...sandbox.env,
        ...emulator.env(),
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: jobTokens[subject],
        ...GITHUB_PUSH_JOB_ENV,
      },
    });
  }

  function stsSubjects(): Array<{ subject: string | undefined; result: string | undefined }> {
    return emulator
      .callLog()
      .filter((call) => call.action === 'AssumeRoleWithWebIdentity')
      .map((call) => ({ subject: call.subject, result: call.result }));
  }

  async function expectProductionCredentials(run: RolemapRun): Promise<void> {
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(
      new RegExp(`^arn:aws:sts::${SEED_ACCOUNTS.prod}:assumed-role/deploy-production/`),
    );
  }

  function expectRefused(run: RolemapRun): void {
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(run.stderr).toContain('AccessDenied');
    expect(run.stderr).toContain(STAGING);
    expect(run.stderr).not.toContain('remembered this answer');
  }

  it("production first: the staging leg is refused by STS, not handed production's cached credentials", async () => {
    await expectProductionCredentials(await runLeg(PRODUCTION));
    expectRefused(await runLeg(STAGING));
    expect(stsSubjects()).toStrictEqual([
      { subject: PRODUCTION, result: 'ok' },
      { subject: STAGING, result: 'AccessDenied' },
    ]);
  });

  it("staging first: the production leg gets credentials, not staging's remembered AccessDenied", async () => {
    expectRefused(await runLeg(STAGING));
    await expectProductionCredentials(await runLeg(PRODUCTION));
    expect(stsSubjects()).toStrictEqual([
      { subject: STAGING, result: 'AccessDenied' },
      { subject: PRODUCTION, result: 'ok' },
    ]);
  });

  it('no cache file name or content holds a request token', async () => {
    await runLeg(PRODUCTION);
    await runLeg(STAGING);
    const files = fs.readdirSync(sandbox.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = `${file}\n${fs.statSync(path.join(sandbox.cacheDir, file)).isFile() ? fs.readFileSync(path.join(sandbox.cacheDir, file), 'utf8') : ''}`;
      for (const token of Object.values(jobTokens)) expect(text).not.toContain(token);
    }
  });
});
