/**
 * Issue 7, items 6 to 11: SSO sessions beside the real AWS tools, through the built dist/rolemap
 * against the emulator (in its own process where calls are counted across parallel processes).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SEED_ACCOUNTS } from '../emulator/seed';
import { printedCredentials } from './fixtures/printedCredentials';
import { cliTime, seedSsoToken } from './fixtures/seedSsoToken';
import { startRolemap } from './fixtures/startRolemap';
import { startSsoEmulatorProcess, type SsoEmulatorProcess } from './fixtures/startSsoEmulatorProcess';
import { makeSandbox, type RolemapRun, type Sandbox } from './runRolemap';

const START_URL = 'https://acme.awsapps.com/start';
const SSO_REGION = 'us-east-1';
const SESSION = 'acme';
/** The permission set the SSO user holds in the base account; its role is the base identity of `auth: assume`. */
const BASE_PERMISSION_SET = 'DeveloperAccess';
const ROLES = Array.from({ length: 20 }, (_, i) => `role-${String(i + 1).padStart(2, '0')}`);
const PROCESS_TIMEOUT_MS = 150_000;
/** How long after rolemap's refused grant the other tool saves its token: well inside rolemap's 10 s wait. */
const OTHER_WRITER_DELAY_MS = 1_500;

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function tokenFile(home: string, id: string): string {
  return path.join(home, '.aws', 'sso', 'cache', `${sha1(id)}.json`);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** ~/.aws/config with an sso-session and a profile using it, as `aws configure sso` writes them. */
function writeAwsConfig(sandbox: Sandbox, extra = ''): void {
  const file = sandbox.env['AWS_CONFIG_FILE'] ?? path.join(sandbox.home, '.aws', 'config');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      `[sso-session ${SESSION}]`,
      `sso_start_url = ${START_URL}`,
      `sso_region = ${SSO_REGION}`,
      'sso_registration_scopes = sso:account:access',
      '',
      '[profile dev-sso]',
      `sso_session = ${SESSION}`,
      `sso_account_id = ${SEED_ACCOUNTS.base}`,
      `sso_role_name = ${BASE_PERMISSION_SET}`,
      `region = ${SSO_REGION}`,
      '',
      extra,
    ].join('\n'),
  );
}

/** A live tree whose unit uNN maps to role-NN in the dev account with `auth: assume`. */
function writeRoleTree(root: string): (role: string) => string {
  const lines = ['version: 1', 'accounts:', `  dev: "${SEED_ACCOUNTS.dev}"`, 'defaults:', '  region: us-east-1', '  auth: assume', 'mappings:'];
  for (const role of ROLES) lines.push(`  - paths: ["${role}/**"]`, '    account: dev', `    role: ${role}`);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'rolemap.yaml'), `${lines.join('\n')}\n`);
  for (const role of ROLES) {
    fs.mkdirSync(path.join(root, role, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, role, 'app', 'terragrunt.hcl'), '');
  }
  return (role) => path.join(root, role, 'app');
}

function runOneOfMany(args: readonly string[], cwd: string, env: Record<string, string>): Promise<RolemapRun> {
  return startRolemap(args, { cwd, env, nice: 10, timeoutMs: PROCESS_TIMEOUT_MS }).done;
}

describe('issue 7.6: an SSO profile as the base of auth: assume (dist/rolemap)', () => {
  let emulator: SsoEmulatorProcess;
  let sandbox: Sandbox;

  beforeAll(async () => {
    emulator = await startSsoEmulatorProcess({
      assign: [[SEED_ACCOUNTS.base, BASE_PERMISSION_SET]],
      roles: ROLES.map((role) => `arn:aws:iam::${SEED_ACCOUNTS.dev}:role/${role}`),
    });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it(
    'issue 7.6: 20 processes over 20 roles, base an sso-session profile whose token expired: one CreateToken, all 20 get credentials',
    async () => {
      writeAwsConfig(sandbox);
      const file = tokenFile(sandbox.home, SESSION);
      const seeded = await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      const unitDir = writeRoleTree(path.join(sandbox.home, 'live'));
      const env = { ...sandbox.env, ...emulator.env(), AWS_PROFILE: 'dev-sso' };
      await emulator.resetCalls();
      const before = await emulator.ssoState();

      const runs = await Promise.all(ROLES.map((role) => runOneOfMany([], unitDir(role), env)));

      expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(runs.map(() => ({ code: 0, stderr: '' })));
      const keyIds = new Set(runs.map((r) => printedCredentials(r.stdout).ACCESS_KEY_ID));
      expect(keyIds.size).toBe(ROLES.length);
      const counts = await emulator.callCounts();
      const after = await emulator.ssoState();
      expect({ createToken: counts['CreateToken'], invalidGrants: after.invalidGrants - before.invalidGrants, assumeRole: counts['AssumeRole'] }).toStrictEqual({
        createToken: 1,
        invalidGrants: 0,
        assumeRole: ROLES.length,
      });
      const stored = readJson(file);
      expect(stored['refreshToken']).not.toBe(seeded.refreshToken);
      expect(Date.parse(String(stored['expiresAt']))).toBeGreaterThan(Date.now());
    },
    PROCESS_TIMEOUT_MS + 30_000,
  );

  it(
    'issue 7.6: a legacy SSO profile named by the user config\'s source_profile, token expired but refreshable: 5 processes, one CreateToken, all succeed',
    async () => {
      writeAwsConfig(
        sandbox,
        [
          '[profile legacy-base]',
          `sso_start_url = ${START_URL}`,
          `sso_region = ${SSO_REGION}`,
          `sso_account_id = ${SEED_ACCOUNTS.base}`,
          `sso_role_name = ${BASE_PERMISSION_SET}`,
          '',
        ].join('\n'),
      );
      const userConfig = path.join(sandbox.home, 'rolemap-user.yaml');
      fs.writeFileSync(userConfig, 'version: 1\nsource_profile: legacy-base\n');
      const file = tokenFile(sandbox.home, START_URL);
      await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      const unitDir = writeRoleTree(path.join(sandbox.home, 'live'));
      const env = { ...sandbox.env, ...emulator.env(), ROLEMAP_USER_CONFIG: userConfig };
      const roles = ROLES.slice(0, 5);
      await emulator.resetCalls();

      const runs = await Promise.all(roles.map((role) => runOneOfMany([], unitDir(role), env)));

      expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(runs.map(() => ({ code: 0, stderr: '' })));
      const counts = await emulator.callCounts();
      expect({ createToken: counts['CreateToken'], assumeRole: counts['AssumeRole'] }).toStrictEqual({ createToken: 1, assumeRole: roles.length });
      expect(Date.parse(String(readJson(file)['expiresAt']))).toBeGreaterThan(Date.now());
    },
    PROCESS_TIMEOUT_MS,
  );
});

/** A live tree whose unit NAME/app maps to permission set NAME in the dev account with `auth: sso`. */
function writeSsoTree(root: string, permissionSets: readonly string[]): (name: string) => string {
  const lines = [
    'version: 1',
    'accounts:',
    `  dev: "${SEED_ACCOUNTS.dev}"`,
    `sso: {start_url: "${START_URL}", region: ${SSO_REGION}}`,
    'defaults:',
    '  region: us-east-1',
    '  auth: sso',
    'mappings:',
  ];
  for (const name of permissionSets) lines.push(`  - paths: ["${name}/**"]`, '    account: dev', `    role: ${name}`);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'rolemap.yaml'), `${lines.join('\n')}\n`);
  for (const name of permissionSets) {
    fs.mkdirSync(path.join(root, name, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, name, 'app', 'terragrunt.hcl'), '');
  }
  return (name) => path.join(root, name, 'app');
}

/** Rotates the refresh token of `file` at the emulator, as another tool would, without saving the answer. */
async function refreshElsewhere(url: string, file: string): Promise<Record<string, unknown>> {
  const { CreateTokenCommand, SSOOIDCClient } = await import('@aws-sdk/client-sso-oidc');
  const stored = readJson(file);
  const oidc = new SSOOIDCClient({ region: SSO_REGION, endpoint: url, maxAttempts: 1 });
  try {
    const answer = await oidc.send(
      new CreateTokenCommand({
        clientId: String(stored['clientId']),
        clientSecret: String(stored['clientSecret']),
        grantType: 'refresh_token',
        refreshToken: String(stored['refreshToken']),
      }),
    );
    return {
      ...stored,
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken,
      expiresAt: cliTime(Date.now() + (answer.expiresIn ?? 0) * 1000),
    };
  } finally {
    oidc.destroy();
  }
}

/** Resolves once `check` is true, asking every 25 ms; rejects after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const hasBotocore = ((): boolean => {
  try {
    execFileSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs a python3 script with botocore; returns its stdout. */
function botocore(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', script], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`botocore failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('issue 7, items 7 to 11: SSO sessions beside other tools (dist/rolemap)', () => {
  const PERMISSION_SETS = ROLES.slice(0, 10);
  let emulator: SsoEmulatorProcess;
  let sandbox: Sandbox;
  let unitDir: (name: string) => string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startSsoEmulatorProcess({
      assign: [[SEED_ACCOUNTS.base, BASE_PERMISSION_SET], ...PERMISSION_SETS.map((name): [string, string] => [SEED_ACCOUNTS.dev, name])],
    });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    sandbox = makeSandbox();
    unitDir = writeSsoTree(path.join(sandbox.home, 'live'), PERMISSION_SETS);
    env = { ...sandbox.env, ...emulator.env() };
    await emulator.setCreateTokenDelayMs(0);
  });
  afterEach(() => sandbox.cleanup());

  it(
    'issue 7.7: another tool spends the refresh token and saves late: 10 parallel calls wait for its file, send one refused grant, and all succeed',
    async () => {
      const file = tokenFile(sandbox.home, START_URL);
      await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      const saved = await refreshElsewhere(emulator.url, file);
      await emulator.resetCalls();
      const before = await emulator.ssoState();

      const runs = Promise.all(PERMISSION_SETS.map((name) => runOneOfMany([], unitDir(name), env)));
      // The other tool saves its rotated token a while after rolemap has been refused.
      await until(async () => (await emulator.ssoState()).invalidGrants > before.invalidGrants, 60_000, 'a refused grant');
      await new Promise((resolve) => setTimeout(resolve, OTHER_WRITER_DELAY_MS));
      fs.writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
      const results = await runs;

      expect(results.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(results.map(() => ({ code: 0, stderr: '' })));
      const after = await emulator.ssoState();
      expect({ createToken: (await emulator.callCounts())['CreateToken'], invalidGrants: after.invalidGrants - before.invalidGrants }).toStrictEqual({
        createToken: 1,
        invalidGrants: 1,
      });
      expect(readJson(file)['refreshToken']).toBe(saved['refreshToken']);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'issue 7.7: a refresh token spent elsewhere and never saved: 10 parallel calls send it once, then all are told to log in',
    async () => {
      const file = tokenFile(sandbox.home, START_URL);
      await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      await refreshElsewhere(emulator.url, file);
      await emulator.resetCalls();
      const before = await emulator.ssoState();

      const results = await Promise.all(PERMISSION_SETS.map((name) => runOneOfMany([], unitDir(name), env)));

      expect(results.map((r) => ({ code: r.code, stdout: r.stdout }))).toStrictEqual(results.map(() => ({ code: 1, stdout: '' })));
      for (const r of results) expect(r.stderr).toContain(`rolemap login --start-url ${START_URL} --region ${SSO_REGION}`);
      const after = await emulator.ssoState();
      expect({ createToken: (await emulator.callCounts())['CreateToken'], invalidGrants: after.invalidGrants - before.invalidGrants }).toStrictEqual({
        createToken: 1,
        invalidGrants: 1,
      });
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'issue 7.7: beside real botocore refreshing the same sso-session with a slow answer, 10 parallel calls all succeed with botocore\'s token',
    async () => {
      if (!hasBotocore) {
        process.stdout.write('skipped: python3 botocore is not installed\n');
        return;
      }
      writeAwsConfig(sandbox);
      const file = tokenFile(sandbox.home, SESSION);
      await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      await emulator.resetCalls();
      const before = await emulator.ssoState();
      await emulator.setCreateTokenDelayMs(5_000);

      const boto = botocore(
        [
          'from botocore.session import Session',
          'from botocore.tokens import SSOTokenProvider',
          "token = SSOTokenProvider(Session(profile='dev-sso')).load_token().get_frozen_token()",
          'print(token.expiration.isoformat())',
        ].join('\n'),
        { ...env, AWS_PROFILE: 'dev-sso' },
      );
      // botocore's grant has arrived (and spent the refresh token); rolemap's will be answered at once.
      await until(async () => ((await emulator.callCounts())['CreateToken'] ?? 0) >= 1, 60_000, "botocore's grant");
      await emulator.setCreateTokenDelayMs(0);
      const results = await Promise.all(PERMISSION_SETS.map((name) => runOneOfMany([], unitDir(name), env)));
      const botoExpiry = await boto;

      expect(results.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual(results.map(() => ({ code: 0, stderr: '' })));
      expect(Date.parse(botoExpiry.trim())).toBeGreaterThan(Date.now());
      const after = await emulator.ssoState();
      // botocore's grant, and at most one refused grant from rolemap: nobody retried a spent token.
      expect((await emulator.callCounts())['CreateToken']).toBeLessThanOrEqual(2);
      expect(after.invalidGrants - before.invalidGrants).toBeLessThanOrEqual(1);
      expect(after.liveRefreshTokens).toBeGreaterThan(0);
      expect(Date.parse(String(readJson(file)['expiresAt']))).toBeGreaterThan(Date.now());
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'issue 7.8: a CreateToken answer slower than 10 s is waited for, sent once, and the rotated refresh token is saved',
    async () => {
      const file = tokenFile(sandbox.home, START_URL);
      await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
      await emulator.setCreateTokenDelayMs(12_000);
      await emulator.resetCalls();
      const before = await emulator.ssoState();

      const slow = await runOneOfMany([], unitDir(PERMISSION_SETS[0] ?? ''), env);

      expect({ code: slow.code, stderr: slow.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect((await emulator.callCounts())['CreateToken']).toBe(1);
      // The saved refresh token is the live one: the next refresh works.
      await emulator.setCreateTokenDelayMs(0);
      fs.writeFileSync(file, JSON.stringify({ ...readJson(file), expiresAt: cliTime(Date.now() - 60_000) }), { mode: 0o600 });
      const next = await runOneOfMany([], unitDir(PERMISSION_SETS[1] ?? ''), env);
      expect({ code: next.code, stderr: next.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect((await emulator.callCounts())['CreateToken']).toBe(2);
      expect((await emulator.ssoState()).invalidGrants - before.invalidGrants).toBe(0);
    },
    PROCESS_TIMEOUT_MS,
  );

  it('issue 7.9: an expired token that cannot be refreshed does not shadow a refreshable one that expired earlier', async () => {
    writeAwsConfig(sandbox);
    const legacy = tokenFile(sandbox.home, START_URL);
    const session = tokenFile(sandbox.home, SESSION);
    await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [session], expiresAtMs: Date.now() - 2 * 3600_000 });
    fs.writeFileSync(
      legacy,
      JSON.stringify({ startUrl: START_URL, region: SSO_REGION, accessToken: 'aoaLegacyExpired', expiresAt: cliTime(Date.now() - 60_000) }),
      { mode: 0o600 },
    );
    await emulator.resetCalls();

    const run = await runOneOfMany([], unitDir(PERMISSION_SETS[0] ?? ''), env);

    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(await emulator.callCounts()).toEqual({ CreateToken: 1, GetRoleCredentials: 1, GetCallerIdentity: 1 });
    expect(Date.parse(String(readJson(session)['expiresAt']))).toBeGreaterThan(Date.now());
  });

  it('issue 7.10: login does not reuse a registration from an `aws sso login` legacy file made without sso:account:access', async () => {
    const legacy = tokenFile(sandbox.home, START_URL);
    const old = await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: SSO_REGION, files: [legacy], accountAccessScope: false });
    expect(old.refreshToken).toBeUndefined();
    await emulator.resetCalls();

    const run = await runOneOfMany(['login', '--start-url', START_URL, '--region', SSO_REGION, '--no-browser'], sandbox.home, env);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 0, stdout: '' });
    expect(run.stderr).toContain('will be refreshed automatically');
    expect((await emulator.callCounts())['RegisterClient']).toBe(1);
    const token = readJson(legacy);
    expect(typeof token['refreshToken']).toBe('string');
    expect(token['clientId']).not.toBe(old.clientId);
  });

  /** ~/.aws/config with a legacy profile (start URL with a trailing "/") and an sso-session profile for one portal. */
  function writeTwoProfileConfig(): void {
    writeAwsConfig(
      sandbox,
      [
        '[profile legacy]',
        `sso_start_url = ${START_URL}/`,
        `sso_region = ${SSO_REGION}`,
        `sso_account_id = ${SEED_ACCOUNTS.dev}`,
        `sso_role_name = ${PERMISSION_SETS[0] ?? ''}`,
        `region = ${SSO_REGION}`,
        '',
        '[profile modern]',
        `sso_session = ${SESSION}`,
        `sso_account_id = ${SEED_ACCOUNTS.dev}`,
        `sso_role_name = ${PERMISSION_SETS[1] ?? ''}`,
        `region = ${SSO_REGION}`,
        '',
      ].join('\n'),
    );
  }

  it('issue 7.11: after one login, botocore gets credentials for both the legacy profile and the sso-session profile of the portal', async () => {
    writeTwoProfileConfig();
    const names = [SESSION, START_URL, `${START_URL}/`];

    const login = await runOneOfMany(['login', '--start-url', START_URL, '--region', SSO_REGION, '--no-browser'], sandbox.home, env);

    expect({ code: login.code, stdout: login.stdout }).toStrictEqual({ code: 0, stdout: '' });
    const tokens = names.map((name) => (fs.existsSync(tokenFile(sandbox.home, name)) ? readJson(tokenFile(sandbox.home, name)) : {}));
    expect(tokens.map((t) => typeof t['accessToken'])).toStrictEqual(['string', 'string', 'string']);
    expect(new Set(tokens.map((t) => t['accessToken'])).size).toBe(1);
    for (const name of names) expect(fs.statSync(tokenFile(sandbox.home, name)).mode & 0o777).toBe(0o600);
    if (!hasBotocore) {
      process.stdout.write('skipped the botocore part: python3 botocore is not installed\n');
      return;
    }
    await emulator.resetCalls();
    const out = await botocore(
      [
        'from botocore.session import Session',
        "for profile in ('legacy', 'modern'):",
        '    creds = Session(profile=profile).get_credentials().get_frozen_credentials()',
        "    print(profile, creds.access_key.startswith('ASIA'))",
      ].join('\n'),
      env,
    );
    expect(out.trim().split('\n')).toStrictEqual(['legacy True', 'modern True']);
    expect((await emulator.callCounts())['GetRoleCredentials']).toBe(2);
  });

  it('issue 7.11: login --sso-session NAME also stores the token under NAME, and logout --sso-session NAME removes every name', async () => {
    writeTwoProfileConfig();
    const names = [SESSION, START_URL, `${START_URL}/`, 'extra'];

    const login = await runOneOfMany(
      ['login', '--start-url', START_URL, '--region', SSO_REGION, '--sso-session', 'extra', '--no-browser'],
      sandbox.home,
      env,
    );

    expect({ code: login.code, stdout: login.stdout }).toStrictEqual({ code: 0, stdout: '' });
    expect(names.filter((name) => !fs.existsSync(tokenFile(sandbox.home, name)))).toStrictEqual([]);
    expect(new Set(names.map((name) => readJson(tokenFile(sandbox.home, name))['accessToken'])).size).toBe(1);

    const logout = await runOneOfMany(['logout', '--start-url', START_URL, '--region', SSO_REGION, '--sso-session', 'extra'], sandbox.home, env);
    expect({ code: logout.code, stdout: logout.stdout }).toStrictEqual({ code: 0, stdout: '' });
    expect(names.filter((name) => fs.existsSync(tokenFile(sandbox.home, name)))).toStrictEqual([]);
  });
});
