import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_DEVELOPER, SEED_MFA_DEVICE, seedRoleArn } from '../emulator/seed';
import { printedCredentials } from './fixtures/printedCredentials';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';

const UNITS = ['dev/vpc', 'dev/app', 'stage/app'];
const HUB_ROLE = `arn:aws:iam::${SEED_ACCOUNTS.base}:role/hub`;
const MFA_ROLES = [seedRoleArn(SEED_ACCOUNTS.dev, 'terragrunt-plan'), seedRoleArn(SEED_ACCOUNTS.stage, 'terragrunt-plan')];

/**
 * dev: the IAM user's keys with an MFA device; other: the same keys and device under another
 * name; hub: a role profile whose role requires MFA, assumed with dev's keys; plain: no MFA.
 */
const AWS_CONFIG = `[profile dev]
mfa_serial = ${SEED_MFA_DEVICE.serial}
region = us-east-1

[profile other]
mfa_serial = ${SEED_MFA_DEVICE.serial}

[profile hub]
role_arn = ${HUB_ROLE}
source_profile = dev
role_session_name = alice-hub

[profile plain]
region = us-east-1
`;
const KEYS = `aws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`;
const AWS_CREDENTIALS = `[dev]\n${KEYS}\n[other]\n${KEYS}\n[plain]\n${KEYS}`;

/**
 * Runs argv on a pseudo-terminal (python3's pty module), types `answer` and Enter once the MFA
 * prompt shows, and returns what the terminal showed and the exit code.
 */
const ON_A_TERMINAL = `
import json, os, pty, sys
argv, answer = json.loads(sys.argv[1]), sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
shown, typed = b'', False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    if not typed and b'MFA code for' in shown:
        os.write(fd, answer.encode() + b'\\n')
        typed = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'shown': shown.decode('utf8', 'replace'), 'code': os.waitstatus_to_exitcode(status)}))
`;

async function onATerminal(argv: string[], answer: string, env: Record<string, string>): Promise<{ shown: string; code: number }> {
  const { stdout } = await promisify(execFile)('python3', ['-c', ON_A_TERMINAL, JSON.stringify(argv), answer], { env, timeout: 30_000 });
  return JSON.parse(stdout) as { shown: string; code: number };
}

/** The one MFA session file in the cache directory; fails the test when there is not exactly one. */
function mfaFiles(cacheDir: string): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((name) => name.startsWith('mfa-')).map((name) => path.join(cacheDir, name)) : [];
}

describe('rolemap login --mfa through dist/rolemap (README, "Base profiles with MFA"; issue 12)', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.addRole({ arn: HUB_ROLE, trust: { principals: [SEED_DEVELOPER.arn], requireMfa: true } });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    fs.mkdirSync(path.join(sandbox.home, '.aws'));
    fs.writeFileSync(path.join(sandbox.home, '.aws/config'), AWS_CONFIG);
    fs.writeFileSync(path.join(sandbox.home, '.aws/credentials'), AWS_CREDENTIALS, { mode: 0o600 });
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: UNITS });
    for (const role of MFA_ROLES) emulator.updateRole(role, { requireMfa: true });
    emulator.resetCalls();
    emulator.faults.clear();
  });
  afterEach(() => {
    for (const role of MFA_ROLES) emulator.updateRole(role, { requireMfa: undefined });
    sandbox.cleanup();
  });

  const envFor = (profile: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...sandbox.env,
    ...emulator.env(),
    AWS_PROFILE: profile,
    ...extra,
  });
  const login = (args: string[], env: Record<string, string>): Promise<RolemapRun> => runRolemap(['login', '--mfa', ...args], { cwd: sandbox.home, env });
  const credentials = (unit: string, env: Record<string, string>): Promise<RolemapRun> => runRolemap([], { cwd: tree.unitDir(unit), env });

  it('asks STS for one session; every unit of a run then uses it as its base, whatever role requires MFA', async () => {
    const env = envFor('dev');
    const loggedIn = await login(['--code', SEED_MFA_DEVICE.code], env);
    expect({ code: loggedIn.code, stdout: loggedIn.stdout }).toStrictEqual({ code: 0, stdout: '' });
    expect(loggedIn.stderr).toMatch(
      new RegExp(`^MFA session for profile dev \\(${SEED_MFA_DEVICE.serial}\\) is valid until \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; rolemap uses it as that profile's base until then\\.`),
    );

    const runs = await Promise.all(UNITS.map((unit) => credentials(unit, env)));
    expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(UNITS.map(() => ({ code: 0, stderr: '' })));
    for (const run of runs) expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(emulator.callCounts()).toStrictEqual({ GetSessionToken: 1, AssumeRole: 2 });
    const assumed = emulator.callLog().filter((e) => e.action === 'AssumeRole');
    expect(assumed.map((e) => ({ roleArn: e.roleArn, callerArn: e.callerArn, result: e.result })).sort((a, b) => String(a.roleArn).localeCompare(String(b.roleArn)))).toStrictEqual(
      MFA_ROLES.map((roleArn) => ({ roleArn, callerArn: SEED_DEVELOPER.arn, result: 'ok' })),
    );

    const [file, ...more] = mfaFiles(sandbox.cacheDir);
    expect(more).toStrictEqual([]);
    expect((fs.statSync(file ?? '').mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(sandbox.cacheDir).mode & 0o777).toString(8)).toBe('700');
  });

  it('a wrong code is a clear error, and nothing is stored', async () => {
    const run = await login(['--code', '000000'], envFor('dev'));
    expect({ code: run.code, stdout: run.stdout, files: mfaFiles(sandbox.cacheDir) }).toStrictEqual({ code: 1, stdout: '', files: [] });
    expect(run.stderr).toBe(
      `rolemap: STS refused the MFA code for ${SEED_MFA_DEVICE.serial} (profile dev): MultiFactorAuthentication failed with invalid MFA one time pass code.\n` +
        "  hint: Enter the current code of that device (each code works once) and check that mfa_serial names your device, the one of profile dev's IAM user.\n",
    );
  });

  it('without a session, a Terragrunt call fails at once with the exact login command, and asks STS nothing', async () => {
    const run = await credentials('dev/vpc', envFor('dev'));
    expect({ code: run.code, stdout: run.stdout, calls: emulator.calls() }).toStrictEqual({ code: 1, stdout: '', calls: 0 });
    expect(run.stderr).toBe(
      `rolemap: Profile dev needs an MFA code (mfa_serial ${SEED_MFA_DEVICE.serial}), which rolemap never asks for during a Terragrunt call, and rolemap has no MFA session for it. Run \`rolemap login --mfa --profile dev\` in a terminal.\n` +
        '  hint: `rolemap login --mfa --profile dev` asks for the code once; every call then uses that session as its base until it expires.\n',
    );
  });

  it('never asks for a code in a credentials call, even on a terminal', async () => {
    const run = await onATerminal([process.execPath, ROLEMAP_BIN, 'credentials', '--dir', tree.unitDir('dev/vpc')], SEED_MFA_DEVICE.code, envFor('dev'));
    expect(run.code).toBe(1);
    expect(run.shown).not.toContain('MFA code for');
    expect(run.shown).toContain('Run `rolemap login --mfa --profile dev` in a terminal.');
    expect(emulator.calls()).toBe(0);
  });

  it('the same keys without MFA are refused by a role that requires it (the emulator enforces the trust)', async () => {
    const run = await credentials('dev/vpc', envFor('plain'));
    expect({ code: run.code, stdout: run.stdout, result: emulator.callLog()[0]?.result }).toStrictEqual({ code: 1, stdout: '', result: 'AccessDenied' });
  });

  it('an expired session, or a damaged file, is the same as none', async () => {
    const env = envFor('dev');
    expect((await login(['--code', SEED_MFA_DEVICE.code], env)).code).toBe(0);
    const [file] = mfaFiles(sandbox.cacheDir);
    const entry = JSON.parse(fs.readFileSync(file ?? '', 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file ?? '', JSON.stringify({ ...entry, expiration: '2020-01-01T00:00:00.000Z' }));

    const expired = await credentials('dev/vpc', env);
    expect({ code: expired.code, stdout: expired.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(expired.stderr).toContain('and its MFA session expired at 2020-01-01T00:00:00.000Z. Run `rolemap login --mfa --profile dev` in a terminal.');

    fs.writeFileSync(file ?? '', '{"version":1,"profile":"dev"');
    const damaged = await credentials('dev/vpc', env);
    expect({ code: damaged.code, stdout: damaged.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(damaged.stderr).toContain('and rolemap has no MFA session for it. Run `rolemap login --mfa --profile dev` in a terminal.');
    expect(emulator.calls('AssumeRole')).toBe(0);
  });

  it('a session belongs to its profile: another profile with the same keys and device never uses it', async () => {
    expect((await login(['--code', SEED_MFA_DEVICE.code], envFor('dev'))).code).toBe(0);
    const run = await credentials('dev/vpc', envFor('other'));
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(run.stderr).toContain('Run `rolemap login --mfa --profile other` in a terminal.');
  });

  it('a role profile with MFA: the session signs the profile role, which then assumes the mapped role', async () => {
    fs.writeFileSync(path.join(sandbox.home, '.aws/config'), AWS_CONFIG.replace('role_session_name = alice-hub\n', `role_session_name = alice-hub\nmfa_serial = ${SEED_MFA_DEVICE.serial}\n`));
    const env = envFor('hub');
    const without = await credentials('dev/vpc', env);
    expect({ code: without.code, stdout: without.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(without.stderr).toContain('Run `rolemap login --mfa --profile hub` in a terminal.');

    expect((await login(['--code', SEED_MFA_DEVICE.code], env)).code).toBe(0);
    const run = await credentials('dev/vpc', env);
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(
      emulator
        .callLog()
        .filter((e) => e.action !== 'GetSessionToken')
        .map((e) => ({ action: e.action, roleArn: e.roleArn, callerArn: e.callerArn, result: e.result })),
    ).toStrictEqual([
      { action: 'AssumeRole', roleArn: HUB_ROLE, callerArn: SEED_DEVELOPER.arn, result: 'ok' },
      { action: 'AssumeRole', roleArn: MFA_ROLES[0], callerArn: `arn:aws:sts::${SEED_ACCOUNTS.base}:assumed-role/hub/alice-hub`, result: 'ok' },
    ]);
  });

  it('asks for the code on the terminal when no --code is given', async () => {
    const env = envFor('dev');
    const run = await onATerminal([process.execPath, ROLEMAP_BIN, 'login', '--mfa'], SEED_MFA_DEVICE.code, env);
    expect(run.code).toBe(0);
    expect(run.shown).toContain(`MFA code for ${SEED_MFA_DEVICE.serial} (profile dev): `);
    expect(run.shown).toContain('MFA session for profile dev');
    expect(mfaFiles(sandbox.cacheDir)).toHaveLength(1);
    expect((await credentials('dev/vpc', env)).code).toBe(0);
    expect(emulator.callCounts()).toStrictEqual({ GetSessionToken: 1, AssumeRole: 1 });
  });

  it('without --profile, takes the profile that rolemap\'s base uses: source_profile in the user config, which wins over AWS_PROFILE', async () => {
    const userConfig = path.join(sandbox.home, 'rolemap-user.yaml');
    fs.writeFileSync(userConfig, 'version: 1\nsource_profile: dev\n');
    const env = envFor('plain', { ROLEMAP_USER_CONFIG: userConfig });
    const run = await login(['--code', SEED_MFA_DEVICE.code], env);
    expect({ code: run.code, profile: /^MFA session for profile (\S+) /.exec(run.stderr)?.[1] }).toStrictEqual({ code: 0, profile: 'dev' });
    expect((await credentials('dev/vpc', env)).code).toBe(0);

    const keys = await login(['--code', SEED_MFA_DEVICE.code], { ...sandbox.env, ...emulator.env(), AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey });
    expect({ code: keys.code, stdout: keys.stdout }).toStrictEqual({ code: 2, stdout: '' });
    expect(keys.stderr).toContain("rolemap: rolemap's base credentials here are environment keys");
    expect(keys.stderr).toContain('hint: Name the profile: `rolemap login --mfa --profile P`.');
  });

  it('a profile without mfa_serial, and no code without a terminal, are usage errors', async () => {
    const plain = await login(['--profile', 'plain', '--code', SEED_MFA_DEVICE.code], envFor('dev'));
    expect({ code: plain.code, stdout: plain.stdout }).toStrictEqual({ code: 2, stdout: '' });
    expect(plain.stderr).toContain('rolemap: Profile plain has no mfa_serial in your AWS config');

    const noTerminal = await login([], envFor('dev'));
    expect({ code: noTerminal.code, stdout: noTerminal.stdout, calls: emulator.calls() }).toStrictEqual({ code: 2, stdout: '', calls: 0 });
    expect(noTerminal.stderr).toBe(
      'rolemap: No --code was given, and stdin is not a terminal to ask for the MFA code on.\n' +
        '  hint: Run `rolemap login --mfa --profile dev` in a terminal, or pass the code: `rolemap login --mfa --profile dev --code 123456`.\n',
    );
  });

  it('explain says whether an MFA session is in use and when it expires, without a secret or an AWS call', async () => {
    const env = envFor('dev');
    const explain = (args: string[]): Promise<RolemapRun> => runRolemap(['explain', ...args], { cwd: tree.unitDir('dev/vpc'), env });
    const before = await explain([]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`MFA session of profile dev (${SEED_MFA_DEVICE.serial}): none; a call fails until you run \`rolemap login --mfa --profile dev\`\n`);

    expect((await login(['--code', SEED_MFA_DEVICE.code], env)).code).toBe(0);
    const [file] = mfaFiles(sandbox.cacheDir);
    const session = JSON.parse(fs.readFileSync(file ?? '', 'utf8')) as { expiration: string; secretAccessKey: string; sessionToken: string; accessKeyId: string };
    emulator.resetCalls();
    const after = await explain(['--json']);
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout) as { base: { mfa: unknown } };
    expect(report.base.mfa).toStrictEqual({
      profile: 'dev',
      mfaSerial: SEED_MFA_DEVICE.serial,
      session: 'in-use',
      expiration: session.expiration,
      login: 'rolemap login --mfa --profile dev',
    });
    expect((await explain([])).stdout).toContain(`MFA session of profile dev (${SEED_MFA_DEVICE.serial}): in use, expires ${session.expiration}\n`);
    expect([session.secretAccessKey, session.sessionToken, session.accessKeyId].filter((secret) => after.stdout.includes(secret))).toStrictEqual([]);
    expect(emulator.calls()).toBe(0);
  });

  it('cache list shows the session without a secret; cache clear removes it', async () => {
    const env = envFor('dev');
    expect((await login(['--code', SEED_MFA_DEVICE.code], env)).code).toBe(0);
    const [file] = mfaFiles(sandbox.cacheDir);
    const session = JSON.parse(fs.readFileSync(file ?? '', 'utf8')) as { expiration: string; secretAccessKey: string; sessionToken: string; accessKeyId: string };
    const list = await runRolemap(['cache', 'list', '--json'], { cwd: sandbox.home, env });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { entries: unknown[] }).entries).toStrictEqual([
      {
        status: 'mfa-session',
        key: path.basename(file ?? '').slice('mfa-'.length, 'mfa-'.length + 12),
        profile: 'dev',
        mfaSerial: SEED_MFA_DEVICE.serial,
        expiration: session.expiration,
        expiresInSeconds: expect.any(Number),
      },
    ]);
    const text = await runRolemap(['cache', 'list'], { cwd: sandbox.home, env });
    expect(text.stdout).toMatch(new RegExp(`\\nvalid +MFA session of profile dev +- +mfa +${SEED_MFA_DEVICE.serial} +\\d+s left\\n`));
    expect([session.secretAccessKey, session.sessionToken, session.accessKeyId].filter((secret) => (list.stdout + text.stdout).includes(secret))).toStrictEqual([]);

    expect((await runRolemap(['cache', 'clear'], { cwd: sandbox.home, env })).code).toBe(0);
    expect(mfaFiles(sandbox.cacheDir)).toStrictEqual([]);
    expect((await credentials('dev/vpc', env)).stderr).toContain('Run `rolemap login --mfa --profile dev` in a terminal.');
  });

  it('logs no secret at trace level, from the login or from the calls that use the session', async () => {
    const env = envFor('dev', { ROLEMAP_LOG_LEVEL: 'trace' });
    const loggedIn = await login(['--code', SEED_MFA_DEVICE.code], env);
    expect(loggedIn.code).toBe(0);
    const run = await credentials('dev/vpc', env);
    expect(run.code).toBe(0);
    const [file] = mfaFiles(sandbox.cacheDir);
    const session = JSON.parse(fs.readFileSync(file ?? '', 'utf8')) as { secretAccessKey: string; sessionToken: string };
    const printed = printedCredentials(run.stdout);
    const secrets = [session.secretAccessKey, session.sessionToken, SEED_DEVELOPER.secretAccessKey, printed.SECRET_ACCESS_KEY, printed.SESSION_TOKEN];
    const stderr = loggedIn.stderr + run.stderr;
    expect(stderr).toContain('sts:GetSessionToken');
    expect(secrets.filter((secret) => stderr.includes(secret) || stderr.includes(secret.slice(10, 30)))).toStrictEqual([]);
  });
});
