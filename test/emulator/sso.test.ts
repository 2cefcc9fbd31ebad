import { GetRoleCredentialsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  type CreateTokenCommandOutput,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';

import { startSsoHarness, type SsoHarness } from '../auth/fixtures/ssoHarness';

const ACCOUNT = '111111111111';
const ROLE = 'AdministratorAccess';
const START_URL = 'https://acme.awsapps.com/start';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let harness: SsoHarness;
let oidc: SSOOIDCClient;
let portal: SSOClient;

beforeEach(async () => {
  harness = await startSsoHarness();
  const common = { region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } };
  oidc = new SSOOIDCClient({ ...common, endpoint: harness.url });
  portal = new SSOClient({ ...common, endpoint: harness.url });
});

afterEach(async () => {
  oidc.destroy();
  portal.destroy();
  await harness.close();
});

async function register(scopes?: string[]) {
  const r = await oidc.send(new RegisterClientCommand({ clientName: 'test', clientType: 'public', ...(scopes ? { scopes } : {}) }));
  return { clientId: r.clientId ?? '', clientSecret: r.clientSecret ?? '', clientSecretExpiresAt: r.clientSecretExpiresAt };
}

async function deviceLogin(
  scopes: string[] = ['sso:account:access'],
  startUrl = START_URL,
): Promise<CreateTokenCommandOutput & { clientId: string; clientSecret: string }> {
  const client = await register(scopes);
  const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl }));
  const token = await oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }));
  return { ...token, ...client };
}

/** The SDK exception name a call fails with, or "ok". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('createSsoService: sso-oidc', () => {
  it('registers a client whose secret expires in 90 days', async () => {
    const before = harness.now();
    const client = await register(['sso:account:access']);
    const after = harness.now();
    // In seconds, 90 days from the second of registering, between the two readings.
    expect(client.clientSecretExpiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 90 * 86400);
    expect(client.clientSecretExpiresAt).toBeLessThanOrEqual(Math.floor(after / 1000) + 90 * 86400);
    expect(harness.calls('RegisterClient')).toBe(1);
  });

  it('answers each device-code poll as configured: pending, slow_down, then the token', async () => {
    harness.control.approveAfterPolls(3);
    harness.control.slowDownOnPoll(2);
    const client = await register(['sso:account:access']);
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
    expect(device).toMatchObject({ expiresIn: 600, interval: 1, verificationUriComplete: expect.stringContaining(device.userCode ?? '?') });
    const poll = () => oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }));
    const results = [await outcome(poll()), await outcome(poll()), await outcome(poll()), await outcome(poll()), await outcome(poll())];
    expect(results).toEqual([
      'AuthorizationPendingException',
      'SlowDownException',
      'AuthorizationPendingException',
      'ok',
      'InvalidGrantException',
    ]);
    expect(harness.control.tokensIssued).toBe(1);
  });

  it('gives the OAuth error code in the exception', async () => {
    harness.control.approveAfterPolls(1);
    const client = await register();
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
    const error = await oidc
      .send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AuthorizationPendingException', error: 'authorization_pending', $metadata: { httpStatusCode: 400 } });
  });

  it.each([
    ['denyNext', 'AccessDeniedException', (h: SsoHarness) => h.control.denyNext()],
    ['expireDeviceCodes', 'ExpiredTokenException', (h: SsoHarness) => h.control.expireDeviceCodes()],
    ['a device code older than its lifetime', 'ExpiredTokenException', (h: SsoHarness) => h.advanceClock(601)],
  ])('refuses the device code after %s with %s', async (_what, expected, act) => {
    const client = await register();
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
    act(harness);
    expect(await outcome(oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode })))).toBe(
      expected,
    );
  });

  it.each([
    ['with the sso:account:access scope', ['sso:account:access'], true],
    ['without it', [], false],
  ])('issues a refresh token only %s', async (_what, scopes, expected) => {
    const token = await deviceLogin(scopes);
    expect(token.refreshToken !== undefined).toBe(expected);
    expect(token.expiresIn).toBe(3600);
  });

  it('rotates refresh tokens: a used one is refused with invalid_grant', async () => {
    const first = await deviceLogin();
    const refresh = (refreshToken: string | undefined) =>
      oidc.send(new CreateTokenCommand({ clientId: first.clientId, clientSecret: first.clientSecret, grantType: 'refresh_token', refreshToken }));
    const second = await refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await outcome(refresh(first.refreshToken))).toBe('InvalidGrantException');
    expect(await outcome(refresh(second.refreshToken))).toBe('ok');
    expect(harness.control.tokensIssued).toBe(3);
  });

  it('with createTokenDelayMs, spends the refresh token on arrival and answers late: a client that gives up and retries is refused', async () => {
    const first = await deviceLogin();
    harness.control.createTokenDelayMs = 1_000;
    const impatient = new SSOOIDCClient({
      region: 'us-east-1',
      endpoint: harness.url,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const refresh = (client: SSOOIDCClient) =>
      client.send(new CreateTokenCommand({ clientId: first.clientId, clientSecret: first.clientSecret, grantType: 'refresh_token', refreshToken: first.refreshToken }));
    try {
      expect(await outcome(refresh(impatient))).toBe('TimeoutError');
    } finally {
      impatient.destroy();
    }
    harness.control.createTokenDelayMs = 0;
    expect(await outcome(refresh(oidc))).toBe('InvalidGrantException');
    expect(harness.control.invalidGrants).toBe(1);
  });

  it.each([
    ['a wrong secret', (c: { clientId: string; clientSecret: string }) => ({ ...c, clientSecret: 'wrong' }), 401],
    ['an unknown client', (c: { clientId: string; clientSecret: string }) => ({ ...c, clientId: 'nobody' }), 401],
  ])('refuses %s with invalid_client', async (_what, spoil, status) => {
    const client = spoil(await register());
    const error = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidClientException', error: 'invalid_client', $metadata: { httpStatusCode: status } });
  });

  it('refuses an expired registration', async () => {
    const client = await register();
    harness.control.expireRegistrations();
    expect(await outcome(oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL })))).toBe('InvalidClientException');
  });
});

describe('createSsoService: portal', () => {
  it('returns role credentials for an assigned permission set', async () => {
    harness.control.assign(ACCOUNT, ROLE);
    const { accessToken } = await deviceLogin();
    const { roleCredentials } = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: ACCOUNT, roleName: ROLE }));
    expect(roleCredentials).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(Number),
    });
    expect(roleCredentials?.expiration).toBeGreaterThan(harness.now() + 3500 * 1000);
  });

  it('keeps each portal\'s assignments to its own tokens, also after a refresh; an assignment without a portal serves every portal', async () => {
    const other = 'https://other.awsapps.com/start';
    harness.control.assign(ACCOUNT, ROLE, undefined, `${START_URL}/`);
    harness.control.assign('222222222222', ROLE, undefined, other);
    harness.control.assign('333333333333', 'ReadOnly');
    const acme = await deviceLogin();
    const theirs = await deviceLogin(undefined, `${other}#/`);
    const refreshed = await oidc.send(
      new CreateTokenCommand({ clientId: theirs.clientId, clientSecret: theirs.clientSecret, grantType: 'refresh_token', refreshToken: theirs.refreshToken }),
    );
    const get = (accessToken: string | undefined, accountId: string, roleName = ROLE) =>
      outcome(portal.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName })));
    expect([
      await get(acme.accessToken, ACCOUNT),
      await get(acme.accessToken, '222222222222'),
      await get(theirs.accessToken, '222222222222'),
      await get(theirs.accessToken, ACCOUNT),
      await get(refreshed.accessToken, '222222222222'),
      await get(refreshed.accessToken, ACCOUNT),
      await get(acme.accessToken, '333333333333', 'ReadOnly'),
      await get(theirs.accessToken, '333333333333', 'ReadOnly'),
    ]).toStrictEqual(['ok', 'ForbiddenException', 'ok', 'ForbiddenException', 'ok', 'ForbiddenException', 'ok', 'ok']);
  });

  it('makes role credentials known to STS as the session of the permission set\'s reserved role', async () => {
    const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
    harness.control.assign(ACCOUNT, ROLE);
    const { accessToken } = await deviceLogin();
    const { roleCredentials: c } = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: ACCOUNT, roleName: ROLE }));
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: harness.url,
      maxAttempts: 1,
      credentials: { accessKeyId: c?.accessKeyId ?? '', secretAccessKey: c?.secretAccessKey ?? '', sessionToken: c?.sessionToken ?? '' },
    });
    try {
      const caller = await sts.send(new GetCallerIdentityCommand({}));
      expect({ account: caller.Account, arn: caller.Arn }).toEqual({
        account: ACCOUNT,
        arn: expect.stringMatching(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_${ROLE}_[0-9a-f]{16}/alice$`)),
      });
    } finally {
      sts.destroy();
    }
  });

  it.each([
    ['an unassigned role', async () => (await deviceLogin()).accessToken, 'ReadOnlyAccess', 'ForbiddenException', 403],
    ['an unknown token', async () => 'not-a-token', ROLE, 'UnauthorizedException', 401],
    [
      'an expired token',
      async () => {
        const { accessToken } = await deviceLogin();
        harness.advanceClock(3601);
        return accessToken;
      },
      ROLE,
      'UnauthorizedException',
      401,
    ],
  ])('refuses %s', async (_what, getToken, roleName, name, status) => {
    harness.control.assign(ACCOUNT, ROLE);
    const accessToken = await getToken();
    const error = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: ACCOUNT, roleName })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
  });

  it('Logout ends the session: the access token and its refresh token stop working', async () => {
    harness.control.assign(ACCOUNT, ROLE);
    const token = await deviceLogin();
    await portal.send(new LogoutCommand({ accessToken: token.accessToken }));
    expect(harness.calls('Logout')).toBe(1);
    expect(await outcome(portal.send(new GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId: ACCOUNT, roleName: ROLE })))).toBe(
      'UnauthorizedException',
    );
    expect(
      await outcome(
        oidc.send(new CreateTokenCommand({ clientId: token.clientId, clientSecret: token.clientSecret, grantType: 'refresh_token', refreshToken: token.refreshToken })),
      ),
    ).toBe('InvalidGrantException');
  });
});
