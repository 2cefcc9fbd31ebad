import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { fromSso } from '../../src/auth/sso/fromSso';
import { login } from '../../src/auth/sso/login';
import { logout } from '../../src/auth/sso/logout';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_ACCOUNT, SSO_REGION, SSO_ROLE, SSO_START_URL, ssoRequest } from './fixtures/ssoRequest';

let harness: SsoHarness;
let home: string;
let messages: string[];

const tokenFile = (id: string): string =>
  path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);

function common() {
  return {
    startUrl: SSO_START_URL,
    region: SSO_REGION,
    env: { ...harness.env(), HOME: home },
    notify: (message: string) => messages.push(message),
    now: () => harness.now(),
  };
}

const doLogin = () => login({ ...common(), noBrowser: true, sleep: async () => undefined });

beforeEach(async () => {
  harness = await startSsoHarness();
  harness.control.assign(SSO_ACCOUNT, SSO_ROLE);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-logout-'));
  messages = [];
});

afterEach(async () => {
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('logout', () => {
  it('signs out at the portal and removes the token file', async () => {
    await doLogin();
    const stored = JSON.parse(fs.readFileSync(tokenFile(SSO_START_URL), 'utf8')) as Record<string, string>;

    const result = await logout(common());

    expect(result).toEqual({ removed: [tokenFile(SSO_START_URL)], signedOut: true });
    expect(harness.calls('Logout')).toBe(1);
    expect(fs.existsSync(tokenFile(SSO_START_URL))).toBe(false);
    await expect(fromSso({ request: ssoRequest(), env: common().env })()).rejects.toMatchObject({ kind: 'sso-login-required' });
    const shown = messages.join('\n');
    for (const secret of [stored['accessToken'], stored['refreshToken'], stored['clientSecret']]) expect(shown).not.toContain(secret);
  });

  it('signs out again after a 503 from the portal', async () => {
    await doLogin();
    harness.faults.failNext(1, 503, 'Logout');

    const result = await logout(common());

    expect(result).toEqual({ removed: [tokenFile(SSO_START_URL)], signedOut: true });
    expect(harness.calls('Logout')).toBe(2);
    expect(messages.join('\n')).not.toContain('Could not sign out');
  });

  it('removes an expired token without asking the portal', async () => {
    await doLogin();
    harness.advanceClock(3601);

    const result = await logout(common());

    expect(result).toEqual({ removed: [tokenFile(SSO_START_URL)], signedOut: false });
    expect(harness.calls('Logout')).toBe(0);
  });

  it('removes the sso-session file and the start-URL file of the same portal', async () => {
    await doLogin();
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(home, '.aws', 'config'), `[sso-session acme]\nsso_start_url = ${SSO_START_URL}\nsso_region = ${SSO_REGION}\n`);
    await doLogin();

    const result = await logout(common());

    expect(result.removed.sort()).toEqual([tokenFile('acme'), tokenFile(SSO_START_URL)].sort());
    // The second login wrote its token under both names: one sign-in to end.
    expect(harness.calls('Logout')).toBe(1);
  });

  it('does nothing, and says so, when not logged in', async () => {
    const result = await logout(common());

    expect(result).toEqual({ removed: [], signedOut: false });
    expect(harness.calls('Logout')).toBe(0);
    expect(messages).toEqual([`Not logged in to ${SSO_START_URL}; nothing to do.`]);
  });
});
