/**
 * IAM Identity Center through the built binary: `rolemap login` / `logout`, credentials from the
 * token with the developer's overrides, refresh, and an expired login, against the emulator's
 * SSO-OIDC and portal service. The steps share one emulator and one sandbox HOME and run in order,
 * as a developer would: log in, use, refresh, log out.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_DEVELOPER } from '../emulator/seed';
import { createSsoService, type SsoControl } from '../emulator/sso';
import { startSsoEmulator } from './fixtures/startSsoEmulator';
import {
  EXAMPLES_LIVE,
  makeSandbox,
  parseTerragruntJson,
  ROLEMAP_BIN,
  runRolemap,
  type RolemapRun,
  type Sandbox,
} from './runRolemap';

const START_URL = 'https://acme.awsapps.com/start';
const SSO_REGION = 'us-east-1';
const ACCESS_TOKEN_TTL_SECONDS = 3600;
const DEV_UNIT = path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc');
const PROD_UNIT = path.join(EXAMPLES_LIVE, 'prod/us-east-1/vpc');
const MAPPING_FILE = path.join(EXAMPLES_LIVE, 'rolemap.yaml');

const USER_CONFIG = `version: 1
sso: {start_url: ${START_URL}, region: ${SSO_REGION}}
overrides:
  - paths: ["dev/**"]
    role: AdministratorAccess
    auth: sso
  - paths: ["prod/**"]
    role: AdministratorAccess
    auth: sso
`;

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function tokenFileIn(home: string): string {
  return path.join(home, '.aws', 'sso', 'cache', `${sha1(START_URL)}.json`);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function field(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`${key} is not a string in ${JSON.stringify(Object.keys(record))}`);
  return value;
}

/** Whole-second UTC, as the AWS CLI writes SSO timestamps. */
function cliTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

describe('rolemap login / credentials / logout with IAM Identity Center (dist/rolemap)', () => {
  let emulator: Emulator;
  let sso: SsoControl;
  let sandbox: Sandbox;
  let env: Record<string, string>;
  let userConfigFile: string;
  let tokenFile: string;
  /** Every stderr of every run, and every secret seen, for the last step. */
  const stderrs: string[] = [];
  const secrets = new Set<string>();

  async function rolemap(args: readonly string[], cwd: string, extra: Record<string, string | undefined> = {}): Promise<RolemapRun> {
    const run = await runRolemap(args, { cwd, env: { ...env, ...extra } });
    stderrs.push(run.stderr);
    return run;
  }

  /** Remembers the token file's secrets, so no stderr may show them. */
  function harvestTokenSecrets(file: string): Record<string, unknown> {
    const token = readJson(file);
    for (const key of ['accessToken', 'refreshToken', 'clientSecret']) {
      const value = token[key];
      if (typeof value === 'string') secrets.add(value);
    }
    return token;
  }

  function harvestCredentialSecrets(stdout: string): Record<string, unknown> {
    const json = parseTerragruntJson(stdout);
    const creds = json['awsCredentials'] as Record<string, unknown>;
    secrets.add(field(creds, 'SECRET_ACCESS_KEY'));
    secrets.add(field(creds, 'SESSION_TOKEN'));
    return json;
  }

  beforeAll(async () => {
    let control: SsoControl | undefined;
    emulator = await startEmulator({
      services: [
        (ctx) => {
          // 1 s between polls keeps the login quick; it is also what the real service answers.
          const service = createSsoService(ctx, { pollIntervalSeconds: 1, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
          control = service.control;
          return service;
        },
      ],
    });
    if (control === undefined) throw new Error('the emulator did not build the SSO service');
    sso = control;
    // Only this permission set: a successful GetRoleCredentials proves rolemap asked for it.
    sso.assign(SEED_ACCOUNTS.dev, 'AdministratorAccess');
    sandbox = makeSandbox();
    userConfigFile = path.join(path.dirname(sandbox.home), 'rolemap-user.yaml');
    fs.writeFileSync(userConfigFile, USER_CONFIG);
    tokenFile = tokenFileIn(sandbox.home);
    const { AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_STS } = emulator.env();
    env = {
      ...sandbox.env,
      AWS_ENDPOINT_URL_SSO,
      AWS_ENDPOINT_URL_SSO_OIDC,
      AWS_ENDPOINT_URL_STS,
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
      ROLEMAP_USER_CONFIG: userConfigFile,
      ROLEMAP_LOG_LEVEL: 'trace',
    };
    secrets.add(SEED_DEVELOPER.secretAccessKey);
  });

  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });

  beforeEach(() => emulator.resetCalls());

  it('login --no-browser shows the URL and code on stderr, polls until approved, and writes the token as the AWS CLI does', async () => {
    sso.approveAfterPolls(1);

    const run = await rolemap(['login', '--start-url', START_URL, '--region', SSO_REGION, '--no-browser'], sandbox.home);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 0, stdout: '' });
    const shown = new RegExp(`${emulator.url}/device\\?user_code=([A-Z2-7]{4}-[A-Z2-7]{4})`).exec(run.stderr);
    expect(shown).not.toBeNull();
    expect(run.stderr).toContain(`code: ${shown?.[1] ?? '?'}`);
    expect(emulator.callCounts()).toStrictEqual({ RegisterClient: 1, StartDeviceAuthorization: 1, CreateToken: 2 });

    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = harvestTokenSecrets(tokenFile);
    expect(Object.keys(token).sort()).toStrictEqual([
      'accessToken',
      'clientId',
      'clientSecret',
      'expiresAt',
      'refreshToken',
      'region',
      'registrationExpiresAt',
      'startUrl',
    ]);
    expect({ startUrl: token['startUrl'], region: token['region'] }).toStrictEqual({ startUrl: START_URL, region: SSO_REGION });
    expect(field(token, 'expiresAt')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(field(token, 'expiresAt'))).toBeGreaterThan(Date.now());
  });

  it('an allowed override (dev/**, AdministratorAccess, auth: sso) gets credentials from the portal', async () => {
    const run = await rolemap([], DEV_UNIT);

    expect(run.code).toBe(0);
    const json = harvestCredentialSecrets(run.stdout);
    expect(Object.keys(json).sort()).toStrictEqual(['awsCredentials', 'envs']);
    // AdministratorAccess is assigned in the dev account only, so this call succeeding names both;
    // GetCallerIdentity checks the account of the credentials it gave.
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1, GetCallerIdentity: 1 });

    const explain = await rolemap(['explain', '--json'], DEV_UNIT);
    expect(explain.code).toBe(0);
    const report = JSON.parse(explain.stdout) as Record<string, unknown>;
    expect({
      roleArn: report['roleArn'],
      auth: (report['auth'] as Record<string, unknown>)['kind'],
      userConfig: report['userConfig'],
      overrides: report['overrides'],
    }).toStrictEqual({
      roleArn: `arn:aws:iam::${SEED_ACCOUNTS.dev}:role/AdministratorAccess`,
      auth: 'sso',
      userConfig: userConfigFile,
      overrides: [
        {
          status: 'applied',
          at: `${userConfigFile}:4`,
          // The role as written or as the ARN it resolves to: both name the permission set.
          changes: { role: expect.stringMatching(/(^|:role\/)AdministratorAccess$/), auth: 'sso' },
          why: `allowed by overrides.allow in ${MAPPING_FILE}`,
        },
      ],
    });
  });

  it('a refused override (prod/**) warns which allow rule is missing and uses the mapping role with the base keys', async () => {
    const explain = await rolemap(['explain', '--json'], PROD_UNIT);
    const report = JSON.parse(explain.stdout) as Record<string, unknown>;
    const overrides = report['overrides'] as Array<Record<string, unknown>>;
    expect(overrides.map((o) => [o['status'], o['at']])).toStrictEqual([['refused', `${userConfigFile}:7`]]);
    const why = field(overrides[0] ?? {}, 'why');
    expect(why).toContain('prod/us-east-1/vpc');

    emulator.resetCalls();
    const run = await rolemap([], PROD_UNIT);

    expect(run.code).toBe(0);
    harvestCredentialSecrets(run.stdout);
    expect(run.stderr).toContain(why);
    expect(emulator.callCounts()).toStrictEqual({ AssumeRole: 1 });
    const [call] = emulator.callLog();
    expect({ roleArn: call?.roleArn, callerArn: call?.callerArn }).toStrictEqual({
      roleArn: `arn:aws:iam::${SEED_ACCOUNTS.prod}:role/terragrunt-plan`,
      callerArn: SEED_DEVELOPER.arn,
    });
  });

  it('with CI=true the developer config is ignored', async () => {
    const run = await rolemap(['explain', '--json'], DEV_UNIT, { CI: 'true' });

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ roleArn: report['roleArn'], userConfig: report['userConfig'], overrides: report['overrides'] }).toStrictEqual({
      roleArn: `arn:aws:iam::${SEED_ACCOUNTS.dev}:role/terragrunt`,
      userConfig: null,
      overrides: [],
    });
  });

  it('an expired access token is refreshed with the refresh token, once, without a login', async () => {
    const before = harvestTokenSecrets(tokenFile);
    // An hour passes for both sides: the portal rejects the old token, and the file says it expired.
    emulator.advanceClock(ACCESS_TOKEN_TTL_SECONDS + 60);
    fs.writeFileSync(tokenFile, JSON.stringify({ ...before, expiresAt: cliTime(Date.now() - 60_000) }), { mode: 0o600 });

    const run = await rolemap([], DEV_UNIT, { ROLEMAP_NO_CACHE: '1' });

    expect(run.code).toBe(0);
    harvestCredentialSecrets(run.stdout);
    expect(emulator.callCounts()).toStrictEqual({ CreateToken: 1, GetRoleCredentials: 1, GetCallerIdentity: 1 });
    const after = harvestTokenSecrets(tokenFile);
    expect(after['accessToken']).not.toBe(before['accessToken']);
    expect(after['refreshToken']).not.toBe(before['refreshToken']);
    expect(Date.parse(field(after, 'expiresAt'))).toBeGreaterThan(Date.now());
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
  });

  it('an expired login without a refresh token fails with "run rolemap login" and never starts a login', async () => {
    const other = makeSandbox();
    try {
      const file = tokenFileIn(other.home);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const accessToken = 'aoaLegacyTokenWithoutRefresh0123456789';
      secrets.add(accessToken);
      // As an older `aws sso login` leaves it: no registration, no refresh token.
      fs.writeFileSync(
        file,
        JSON.stringify({ startUrl: START_URL, region: SSO_REGION, accessToken, expiresAt: cliTime(Date.now() - 60_000) }),
        { mode: 0o600 },
      );

      const run = await rolemap([], DEV_UNIT, { ...other.env, ROLEMAP_USER_CONFIG: userConfigFile, ROLEMAP_LOG_LEVEL: 'trace' });

      expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 1, stdout: '' });
      expect(run.stderr).toContain(`rolemap login --start-url ${START_URL} --region ${SSO_REGION}`);
      // No device authorization, no refresh attempt, no portal call.
      expect(emulator.callCounts()).toStrictEqual({});
    } finally {
      other.cleanup();
    }
  });

  it('logout signs out at the portal and removes the token file', async () => {
    expect(sso.liveRefreshTokens).toBe(1);

    const run = await rolemap(['logout'], sandbox.home);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 0, stdout: '' });
    expect(emulator.callCounts()).toStrictEqual({ Logout: 1 });
    expect(fs.existsSync(tokenFile)).toBe(false);
    expect(sso.liveRefreshTokens).toBe(0);
    // Credentials cached from that session go too (as with `aws sso logout`): the unit that got
    // them earlier must now be told to log in, not be served from the cache.
    expect(run.stderr).toContain('Removed 1 cached credential obtained through that session.');
    const after = await rolemap([], DEV_UNIT);
    expect({ code: after.code, stdout: after.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(after.stderr).toContain('rolemap login');
  });

  it('no SSO token, client secret or AWS secret appears in any stderr, even at ROLEMAP_LOG_LEVEL=trace', () => {
    // access token x2, refresh token x2, client secret, 3 x (secret key, session token), static key, legacy token.
    expect(secrets.size).toBeGreaterThanOrEqual(11);
    expect(stderrs.length).toBeGreaterThanOrEqual(9);
    const leaks = [...secrets].filter((secret) => stderrs.some((stderr) => stderr.includes(secret)));
    expect(leaks).toStrictEqual([]);
  });
});

describe('rolemap login approved on the emulator verification page (the `npm run emulator` flow)', () => {
  it('completes once the URL it shows is opened, and the code cannot be approved twice', async () => {
    const { emulator, sso: control } = await startSsoEmulator();
    const sandbox = makeSandbox();
    let timer: NodeJS.Timeout | undefined;
    try {
      // As scripts/emulator.ts sets it: polls alone never approve.
      control.approveAfterPolls(Number.MAX_SAFE_INTEGER);
      const { AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC } = emulator.env();
      const child = spawn(process.execPath, [ROLEMAP_BIN, 'login', '--start-url', START_URL, '--region', SSO_REGION, '--no-browser'], {
        cwd: sandbox.home,
        env: { ...sandbox.env, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          const found = /http:\/\/\S+\/device\?user_code=\S+/.exec(stderr);
          if (found) resolve(found[0]);
        });
        child.on('close', () => reject(new Error(`login exited before showing a URL: ${stderr}`)));
      });

      const approval = await fetch(url);

      expect(approval.status).toBe(200);
      expect(await exited).toBe(0);
      expect(emulator.calls('CreateToken')).toBeGreaterThanOrEqual(1);
      expect(Object.keys(readJson(tokenFileIn(sandbox.home)))).toContain('accessToken');
      // A used code cannot be approved again.
      expect((await fetch(url)).status).toBe(404);
    } finally {
      clearTimeout(timer);
      sandbox.cleanup();
      await emulator.close();
    }
  });
});
