import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { login } from '../../src/auth/sso/login';
import { RETRY_MAX_ATTEMPTS } from '../../src/constants';
import { CredentialsError } from '../../src/errors';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_REGION, SSO_START_URL } from './fixtures/ssoRequest';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

let harness: SsoHarness;
let home: string;
let messages: string[];
let sleeps: number[];
let opened: string[];

beforeEach(async () => {
  harness = await startSsoHarness();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-login-'));
  messages = [];
  sleeps = [];
  opened = [];
});

afterEach(async () => {
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** login() wired to the emulator, a temp home, an instant sleep and a recording browser. */
function runLogin(extra: Partial<Parameters<typeof login>[0]> = {}) {
  return login({
    startUrl: SSO_START_URL,
    region: SSO_REGION,
    noBrowser: true,
    env: { ...harness.env(), HOME: home },
    notify: (message) => messages.push(message),
    now: () => harness.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    openBrowser: async (url) => {
      opened.push(url);
    },
    ...extra,
  });
}

function tokenFile(id = SSO_START_URL): string {
  return path.join(home, '.aws', 'sso', 'cache', `${sha1(id)}.json`);
}

function readTokenFile(id?: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(tokenFile(id), 'utf8')) as Record<string, string>;
}

const CLI_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('login', () => {
  it('logs in non-interactively, polling at the server interval and 5 s slower after slow_down', async () => {
    harness.control.approveAfterPolls(3);
    harness.control.slowDownOnPoll(2);

    const result = await runLogin();

    // Polls: 1 pending, 2 slow_down, 3 pending, 4 approved; interval 1 s, then 6 s.
    expect(sleeps).toEqual([1000, 1000, 6000, 6000]);
    expect(harness.calls('CreateToken')).toBe(4);
    expect(harness.calls('RegisterClient')).toBe(1);
    expect(result).toEqual({ paths: [tokenFile()], expiresAt: expect.stringMatching(CLI_TIME), refreshable: true });
  });

  it('writes the token where and as the AWS CLI does, 0600 in a 0700 directory', async () => {
    const before = harness.now();
    await runLogin();
    const after = harness.now();

    const file = readTokenFile();
    expect(file).toEqual({
      startUrl: SSO_START_URL,
      region: SSO_REGION,
      accessToken: expect.any(String),
      expiresAt: expect.stringMatching(CLI_TIME),
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      registrationExpiresAt: expect.stringMatching(CLI_TIME),
      refreshToken: expect.any(String),
    });
    // An hour from the whole second the token was issued in, between the two readings.
    const expiresAt = Date.parse(file['expiresAt'] ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600 * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Math.floor(after / 1000) * 1000 + 3600 * 1000);
    expect(fs.statSync(tokenFile()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(tokenFile())).mode & 0o777).toBe(0o700);
  });

  it('never shows a token or the client secret, only the URL and the user code', async () => {
    await runLogin();

    const file = readTokenFile();
    const secrets = [file['accessToken'], file['refreshToken'], file['clientSecret']];
    const shown = messages.join('\n');
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(shown).toMatch(/https?:\/\/\S+user_code=[A-Z2-7]{4}-[A-Z2-7]{4}/);
  });

  it('reuses the cached client registration until it nears expiry', async () => {
    await runLogin();
    await runLogin();
    expect(harness.calls('RegisterClient')).toBe(1);

    harness.advanceClock(90 * 86400 - 3600);
    await runLogin();
    expect(harness.calls('RegisterClient')).toBe(2);
  });

  it('registers afresh when the service no longer knows the cached registration', async () => {
    await runLogin();
    harness.control.expireRegistrations();
    // The file still says the registration is good for 90 days; the service disagrees.
    await runLogin();
    expect(harness.calls('RegisterClient')).toBe(2);
    expect(harness.calls('StartDeviceAuthorization')).toBe(3);
  });

  it('registers again after a 503 from RegisterClient, and logs in', async () => {
    harness.faults.failNext(1, 503, 'RegisterClient');

    const result = await runLogin();

    expect(harness.calls('RegisterClient')).toBe(2);
    expect(result).toEqual({ paths: [tokenFile()], expiresAt: expect.stringMatching(CLI_TIME), refreshable: true });
    expect(readTokenFile()).toMatchObject({ startUrl: SSO_START_URL });
  });

  it('starts the device authorization again after throttling, and logs in', async () => {
    harness.faults.throttleNext(1, 'StartDeviceAuthorization');

    await runLogin();

    expect(harness.calls('StartDeviceAuthorization')).toBe(2);
    expect(readTokenFile()).toMatchObject({ startUrl: SSO_START_URL });
  });

  it('polls past a throttled or failed poll at the poll interval, and logs in', async () => {
    harness.control.approveAfterPolls(1);
    harness.faults.throttleNext(1, 'CreateToken');
    harness.faults.failNext(1, 503, 'CreateToken');

    await runLogin();

    // Polls: 1 throttled, 2 HTTP 503, 3 pending, 4 approved; each after the 1 s interval.
    expect(harness.calls('CreateToken')).toBe(4);
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
    expect(readTokenFile()).toMatchObject({ startUrl: SSO_START_URL });
  });

  it('gives up when polls keep failing, with what failed', async () => {
    harness.faults.failNext(100, 500, 'CreateToken');

    const error = await runLogin().then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'server', retryable: true });
    expect(harness.calls('CreateToken')).toBe(RETRY_MAX_ATTEMPTS);
  });

  it('says the code expired when nobody approves it in time', async () => {
    harness.control.approveAfterPolls(Number.MAX_SAFE_INTEGER);
    const error = await runLogin({
      sleep: async (ms) => {
        sleeps.push(ms);
        harness.advanceClock(100);
      },
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'expired-token', message: 'The login code expired before it was approved in the browser' });
    expect(fs.existsSync(tokenFile())).toBe(false);
  });

  it('says the login was denied when the person refuses it', async () => {
    harness.control.denyNext();
    const error = await runLogin().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'access-denied', message: 'The login was denied in the browser' });
    expect(fs.existsSync(tokenFile())).toBe(false);
  });

  it.each([
    ['a terminal with a display', { noBrowser: false, isTTY: true, platform: 'linux' as const, env: { DISPLAY: ':0' } }, 1],
    ['--no-browser', { noBrowser: true, isTTY: true, platform: 'linux' as const, env: { DISPLAY: ':0' } }, 0],
    ['no terminal', { noBrowser: false, isTTY: false, platform: 'darwin' as const, env: {} }, 0],
  ])('opens the verification page (or not) with %s', async (_what, context, times) => {
    await runLogin({ noBrowser: context.noBrowser, isTTY: context.isTTY, platform: context.platform, env: { ...harness.env(), HOME: home, ...context.env } });
    expect(opened).toHaveLength(times);
    for (const url of opened) expect(url).toMatch(/user_code=/);
  });

  it('stores the token under the sso-session name when ~/.aws/config has one for the start URL, and under the start URL', async () => {
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(home, '.aws', 'config'),
      `[profile dev]\nsso_session = acme\nsso_account_id = 111111111111\n\n[sso-session acme]\nsso_start_url = ${SSO_START_URL}/\nsso_region = ${SSO_REGION}\n`,
    );

    const result = await runLogin();

    expect(result.paths).toStrictEqual([tokenFile('acme'), tokenFile()]);
    expect(readTokenFile('acme')).toMatchObject({ startUrl: SSO_START_URL, region: SSO_REGION });
  });
});
