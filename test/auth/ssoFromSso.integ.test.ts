import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as ssoSdk from '@aws-sdk/client-sso';
import { LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';

import { fromSso } from '../../src/auth/sso/fromSso';
import { RETRY_MAX_ATTEMPTS } from '../../src/constants';
import { CredentialsError } from '../../src/errors';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_ACCOUNT, SSO_REGION, SSO_ROLE, SSO_START_URL, ssoRequest } from './fixtures/ssoRequest';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
/** The AWS CLI's format: UTC, whole seconds. */
const cliTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let harness: SsoHarness;
let home: string;
let oidc: SSOOIDCClient;

interface IssuedLogin {
  accessToken: string;
  refreshToken: string | undefined;
  clientId: string;
  clientSecret: string;
  clientSecretExpiresAt: number;
}

/** Logs in at the emulator the way `aws sso login` would, returning what the CLI would store. */
async function issueLogin(scopes: string[] = ['sso:account:access']): Promise<IssuedLogin> {
  const r = await oidc.send(new RegisterClientCommand({ clientName: 'botocore-client-acme', clientType: 'public', scopes }));
  const client = { clientId: r.clientId ?? '', clientSecret: r.clientSecret ?? '' };
  const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: SSO_START_URL }));
  const token = await oidc.send(
    new CreateTokenCommand({ ...client, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode }),
  );
  return { accessToken: token.accessToken ?? '', refreshToken: token.refreshToken, ...client, clientSecretExpiresAt: r.clientSecretExpiresAt ?? 0 };
}

function tokenPath(id: string): string {
  return path.join(home, '.aws', 'sso', 'cache', `${sha1(id)}.json`);
}

/** Writes a token file by hand, as the AWS CLI lays it out. */
function writeCliToken(id: string, body: Record<string, string>): void {
  fs.mkdirSync(path.dirname(tokenPath(id)), { recursive: true });
  fs.writeFileSync(tokenPath(id), JSON.stringify(body));
}

/** Retries wait for nothing here: the emulator's faults, not time, are what these tests are about. */
const NO_WAIT = { sleep: () => Promise.resolve() };

function provider(request = ssoRequest(), extraEnv: Record<string, string> = {}) {
  return fromSso({ request, env: { ...harness.env(), HOME: home, ...extraEnv }, now: () => harness.now(), retry: NO_WAIT });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  harness = await startSsoHarness();
  harness.control.assign(SSO_ACCOUNT, SSO_ROLE);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-'));
  oidc = new SSOOIDCClient({ region: SSO_REGION, endpoint: harness.url, maxAttempts: 1 });
});

afterEach(async () => {
  oidc.destroy();
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('fromSso', () => {
  it.each([
    [
      'a legacy `aws sso login` file under the start URL key',
      SSO_START_URL,
      '',
      (l: IssuedLogin, now: number) => ({ startUrl: SSO_START_URL, region: SSO_REGION, accessToken: l.accessToken, expiresAt: cliTime(now + 3000e3) }),
    ],
    [
      'an early CLI v2 file whose expiresAt ends in UTC',
      SSO_START_URL,
      '',
      (l: IssuedLogin, now: number) => ({
        startUrl: SSO_START_URL,
        region: SSO_REGION,
        accessToken: l.accessToken,
        expiresAt: cliTime(now + 3000e3).replace('Z', 'UTC'),
      }),
    ],
    [
      'an sso-session file named in ~/.aws/config',
      'acme',
      `[sso-session acme]\nsso_start_url = ${SSO_START_URL}\nsso_region = ${SSO_REGION}\nsso_registration_scopes = sso:account:access\n`,
      (l: IssuedLogin, now: number) => ({
        startUrl: SSO_START_URL,
        region: SSO_REGION,
        accessToken: l.accessToken,
        expiresAt: cliTime(now + 3000e3),
        clientId: l.clientId,
        clientSecret: l.clientSecret,
        registrationExpiresAt: cliTime(l.clientSecretExpiresAt * 1000),
        refreshToken: l.refreshToken ?? '',
      }),
    ],
  ])('uses %s', async (_what, id, config, body) => {
    const issued = await issueLogin();
    writeCliToken(id, body(issued, harness.now()));
    fs.writeFileSync(path.join(home, '.aws', 'config'), config);

    const credentials = await provider()();

    expect(credentials).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      // As STS names it when asked with the credentials (GetCallerIdentity): the real principal.
      principalArn: expect.stringMatching(new RegExp(`^arn:aws:sts::${SSO_ACCOUNT}:assumed-role/AWSReservedSSO_${SSO_ROLE}_[0-9a-f]+/alice$`)),
    });
    expect(Date.parse(credentials.expiration)).toBeGreaterThan(harness.now() + 3500e3);
    expect(harness.calls('GetRoleCredentials')).toBe(1);
    expect(harness.calls('CreateToken')).toBe(1);
  });

  it.each([
    ['no token file', () => undefined],
    [
      'an expired token without a refresh token',
      (l: IssuedLogin, now: number) =>
        writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: l.accessToken, expiresAt: cliTime(now - 60e3) }),
    ],
    [
      'an expired token whose client registration has expired',
      (l: IssuedLogin, now: number) =>
        writeCliToken(SSO_START_URL, {
          startUrl: SSO_START_URL,
          region: SSO_REGION,
          accessToken: l.accessToken,
          expiresAt: cliTime(now - 60e3),
          clientId: l.clientId,
          clientSecret: l.clientSecret,
          registrationExpiresAt: cliTime(now - 1e3),
          refreshToken: l.refreshToken ?? '',
        }),
    ],
    [
      'a token file for another start URL',
      (l: IssuedLogin, now: number) =>
        writeCliToken(SSO_START_URL, { startUrl: 'https://other.awsapps.com/start', accessToken: l.accessToken, expiresAt: cliTime(now + 3000e3) }),
    ],
    [
      'a truncated token file',
      () => {
        writeCliToken(SSO_START_URL, {});
        fs.writeFileSync(tokenPath(SSO_START_URL), '{"accessToken": "tru');
      },
    ],
  ])('asks for `rolemap login` on %s, and never starts a device authorization', async (_what, setup) => {
    const issued = await issueLogin();
    setup(issued, harness.now());
    const before = { start: harness.calls('StartDeviceAuthorization'), token: harness.calls('CreateToken') };

    const error = await failure(provider()());

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      kind: 'sso-login-required',
      roleArn: `arn:aws:iam::${SSO_ACCOUNT}:role/${SSO_ROLE}`,
      baseIdentity: SSO_START_URL,
      hint: `run \`rolemap login --start-url ${SSO_START_URL} --region ${SSO_REGION}\``,
    });
    expect(harness.calls('StartDeviceAuthorization')).toBe(before.start);
    expect(harness.calls('CreateToken')).toBe(before.token);
    expect(harness.calls('GetRoleCredentials')).toBe(0);
  });

  it('refreshes an expired token, survives rotation, and refreshes again with the rotated token', async () => {
    const issued = await issueLogin();
    const file = tokenPath(SSO_START_URL);
    writeCliToken(SSO_START_URL, {
      startUrl: SSO_START_URL,
      region: SSO_REGION,
      accessToken: issued.accessToken,
      expiresAt: cliTime(harness.now() - 1000),
      clientId: issued.clientId,
      clientSecret: issued.clientSecret,
      registrationExpiresAt: cliTime(issued.clientSecretExpiresAt * 1000),
      refreshToken: issued.refreshToken ?? '',
    });

    await provider()();
    const afterFirst = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(afterFirst['refreshToken']).not.toBe(issued.refreshToken);
    expect(Date.parse(afterFirst['expiresAt'] ?? '')).toBeGreaterThan(harness.now());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(harness.calls('CreateToken')).toBe(2);

    // The emulator now refuses the old refresh token...
    const reuse = await oidc
      .send(new CreateTokenCommand({ clientId: issued.clientId, clientSecret: issued.clientSecret, grantType: 'refresh_token', refreshToken: issued.refreshToken }))
      .catch((e: unknown) => e);
    expect(reuse).toMatchObject({ name: 'InvalidGrantException' });

    // ...and rolemap carries on: no refresh while fresh, then one with the rotated token.
    await provider()();
    expect(harness.calls('CreateToken')).toBe(3);
    harness.advanceClock(3600);
    await provider()();
    expect(harness.calls('CreateToken')).toBe(4);
    expect(harness.calls('GetRoleCredentials')).toBe(3);
  });

  it('asks for a login when the refresh token has been revoked', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, {
      startUrl: SSO_START_URL,
      region: SSO_REGION,
      accessToken: issued.accessToken,
      expiresAt: cliTime(harness.now() - 1000),
      clientId: issued.clientId,
      clientSecret: issued.clientSecret,
      registrationExpiresAt: cliTime(issued.clientSecretExpiresAt * 1000),
      refreshToken: 'aor-revoked',
    });

    const error = await failure(provider()());

    expect(error).toMatchObject({ kind: 'sso-login-required', retryable: false });
    expect(harness.calls('GetRoleCredentials')).toBe(0);
  });

  it('asks for a login when the portal no longer accepts the token (signed out elsewhere)', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: issued.accessToken, expiresAt: cliTime(harness.now() + 3000e3) });
    const portal = new SSOClient({ region: SSO_REGION, endpoint: harness.url });
    await portal.send(new LogoutCommand({ accessToken: issued.accessToken }));
    portal.destroy();

    const error = await failure(provider()());

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'sso-login-required', hint: expect.stringContaining('rolemap login') });
  });

  it('says which permission set is missing when the portal refuses the role', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: issued.accessToken, expiresAt: cliTime(harness.now() + 3000e3) });

    const error = await failure(provider(ssoRequest({ roleName: 'ReadOnlyAccess' }))());

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      kind: 'access-denied',
      retryable: false,
      roleArn: `arn:aws:iam::${SSO_ACCOUNT}:role/ReadOnlyAccess`,
      hint: `check that permission set ReadOnlyAccess is assigned to you in account ${SSO_ACCOUNT} (the role name must be the permission set name)`,
    });
    expect((error as Error).message).not.toContain(issued.accessToken);
  });

  it('gets through a throttled portal call (the SDK retries it)', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: issued.accessToken, expiresAt: cliTime(harness.now() + 3000e3) });
    harness.faults.throttleNext(1, 'GetRoleCredentials');

    await expect(provider()()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
    expect(harness.calls('GetRoleCredentials')).toBe(2);
  });

  it('retries a portal call that failed with a 5xx or was throttled, as STS calls are, through the client it is given', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: issued.accessToken, expiresAt: cliTime(harness.now() + 3000e3) });
    harness.faults.failNext(1, 503, 'GetRoleCredentials');
    harness.faults.throttleNext(1, 'GetRoleCredentials');
    const waits: number[] = [];
    const regions: string[] = [];
    // No AWS_ENDPOINT_URL_SSO: only the injected client, one attempt per call, knows the emulator.
    const { AWS_ENDPOINT_URL_SSO: _portal, ...env } = harness.env();
    const credentials = fromSso({
      request: ssoRequest(),
      env: { ...env, HOME: home },
      now: () => harness.now(),
      retry: { random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
      ssoClient: async (region) => {
        regions.push(region);
        return { client: new SSOClient({ region, endpoint: harness.url, maxAttempts: 1 }), sdk: ssoSdk };
      },
    });

    await expect(credentials()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
    expect(harness.calls('GetRoleCredentials')).toBe(3);
    // withRetries' full jitter: half of 100 ms, then half of 200 ms.
    expect(waits).toStrictEqual([50, 100]);
    expect(regions).toStrictEqual([SSO_REGION]);
  });

  it('reports a portal that keeps failing as a retryable server error', async () => {
    const issued = await issueLogin();
    writeCliToken(SSO_START_URL, { startUrl: SSO_START_URL, region: SSO_REGION, accessToken: issued.accessToken, expiresAt: cliTime(harness.now() + 3000e3) });
    harness.faults.failNext(10, 500, 'GetRoleCredentials');

    const error = await failure(provider()());

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'server', retryable: true, roleArn: `arn:aws:iam::${SSO_ACCOUNT}:role/${SSO_ROLE}` });
    expect(harness.calls('GetRoleCredentials')).toBe(RETRY_MAX_ATTEMPTS);
    expect((error as Error).message).toContain(`gave up after ${RETRY_MAX_ATTEMPTS} attempts`);
  });
});
