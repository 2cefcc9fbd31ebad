/**
 * rolemap takes the same base identity as the AWS CLI (README, "How credentials are obtained"): in
 * each environment, the real `aws sts get-caller-identity` (AWS CLI v1 on botocore) and `rolemap
 * explain` / `rolemap credentials` run side by side against the emulator, and name the same
 * identity.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type EmulatedUser, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_DEVELOPER } from '../emulator/seed';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const AWS_CLI_MISSING = spawnSync('aws', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (AWS_CLI_MISSING) process.stdout.write('baseIdentity.awsCli: the AWS CLI (`aws`) is not installed; skipping the side-by-side tests\n');

const UNIT = 'prod/us-east-1/app';

function user(name: string, keySuffix: string): EmulatedUser {
  return {
    arn: `arn:aws:iam::${SEED_ACCOUNTS.base}:user/${name}`,
    accessKeyId: `AKIAEMULATOR${keySuffix}`,
    secretAccessKey: `${name}-secret-access-key`,
  };
}

const OPS = user('ops', 'OPSPROFILE00');
const DEFAULT_PROFILE_USER = user('dflt', 'DFLTPROFILE0');
const PROFILES: Record<string, EmulatedUser> = { ops: OPS, dflt: DEFAULT_PROFILE_USER };
const DEVELOPER_KEYS = { AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey };

/** Environments, and the identity both tools must take there. */
const CASES: Array<[string, Record<string, string>, EmulatedUser, string]> = [
  ['environment keys and AWS_PROFILE: the keys win', { ...DEVELOPER_KEYS, AWS_PROFILE: 'ops' }, SEED_DEVELOPER, 'environment keys'],
  ['AWS_PROFILE alone', { AWS_PROFILE: 'ops' }, OPS, 'profile ops (AWS_PROFILE)'],
  ['AWS_DEFAULT_PROFILE and AWS_PROFILE: AWS_DEFAULT_PROFILE wins', { AWS_DEFAULT_PROFILE: 'dflt', AWS_PROFILE: 'ops' }, DEFAULT_PROFILE_USER, 'profile dflt (AWS_DEFAULT_PROFILE)'],
  ['environment keys alone', DEVELOPER_KEYS, SEED_DEVELOPER, 'environment keys'],
];

/** `aws sts get-caller-identity` in `env`: the ARN the CLI acts as. */
function awsCallerArn(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`aws sts get-caller-identity exited ${String(code)}: ${stderr}`));
      else resolve((JSON.parse(stdout) as { Arn: string }).Arn);
    });
  });
}

(AWS_CLI_MISSING ? describe.skip : describe)('the base identity: rolemap beside `aws sts get-caller-identity`', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulator();
    for (const profileUser of Object.values(PROFILES)) emulator.addUser(profileUser);
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    const credentialsFile = sandbox.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '';
    fs.mkdirSync(path.dirname(credentialsFile), { recursive: true });
    fs.writeFileSync(
      credentialsFile,
      Object.entries(PROFILES)
        .map(([name, u]) => `[${name}]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`)
        .join('\n'),
    );
  });
  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.resetCalls();
    // Each case asks AWS afresh: a credential cached for one identity would only hide the next.
    fs.rmSync(sandbox.cacheDir, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (_what, extra, expected, source) => {
    const env = { ...sandbox.env, AWS_ENDPOINT_URL_STS: emulator.url, AWS_DEFAULT_REGION: 'us-east-1', ...extra };

    const cliArn = await awsCallerArn(env);
    expect(cliArn).toBe(expected.arn);

    const explain = await runRolemap(['explain', '--json'], { cwd: tree.unitDir(UNIT), env });
    expect(explain.code).toBe(0);
    const report = JSON.parse(explain.stdout) as { auth: { kind: string }; base: { source: string; identity: string } };
    expect(report.auth.kind).toBe('assume');
    expect(report.base.source.startsWith(source)).toBe(true);
    // explain shows a key id by its last four characters, as `aws configure list` does.
    const named = report.base.identity.startsWith('env:')
      ? report.base.identity.slice('env:'.length)
      : `****************${PROFILES[report.base.identity.slice('profile:'.length)]?.accessKeyId.slice(-4) ?? '?'}`;
    expect(named).toBe(`****************${expected.accessKeyId.slice(-4)}`);

    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const assumed = emulator.callLog().filter((call) => call.action === 'AssumeRole');
    expect(assumed.map((call) => call.callerArn)).toStrictEqual([cliArn]);
  }, 60_000);
});
