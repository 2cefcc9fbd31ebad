/**
 * refreshSsoProfileToken: which profiles' tokens rolemap refreshes before the SDK chain runs for
 * `auth: assume`, against the emulator's SSO-OIDC service.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { refreshSsoProfileToken } from '../../src/auth/sso/refreshSsoProfileToken';
import { CredentialsError } from '../../src/errors';
import { cliTime, seedSsoToken } from '../cli/fixtures/seedSsoToken';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_REGION, SSO_START_URL } from './fixtures/ssoRequest';

const CONFIG = `[sso-session acme]
sso_start_url = ${SSO_START_URL}
sso_region = ${SSO_REGION}

[profile sso]
sso_session = acme
sso_account_id = 999999999999
sso_role_name = DeveloperAccess

[profile chained]
role_arn = arn:aws:iam::111111111111:role/hop
source_profile = sso

[profile loop-a]
source_profile = loop-b

[profile loop-b]
source_profile = loop-a

[profile keys]
aws_access_key_id = AKIAEXAMPLE
`;

let harness: SsoHarness;
let home: string;
let env: Record<string, string>;
let file: string;

beforeEach(async () => {
  harness = await startSsoHarness();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-profile-'));
  fs.mkdirSync(path.join(home, '.aws'));
  fs.writeFileSync(path.join(home, '.aws', 'config'), CONFIG);
  env = { ...harness.env(), HOME: home };
  file = path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('acme').digest('hex')}.json`);
});

afterEach(async () => {
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const expiresAt = (): number => Date.parse(String((JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)['expiresAt']));

describe('refreshSsoProfileToken', () => {
  it.each([
    ['the sso-session profile itself', 'sso'],
    ['a role profile whose source_profile is the sso-session profile', 'chained'],
  ])('refreshes the token of %s when it has less than 15 minutes left', async (_what, profile) => {
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() + 10 * 60_000 });
    const before = harness.calls('CreateToken');

    await refreshSsoProfileToken({ profile, env });

    expect(harness.calls('CreateToken') - before).toBe(1);
    expect(expiresAt()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it.each([
    ['a token with more than 15 minutes left', 'sso', 20 * 60_000],
    ['a profile with keys', 'keys', -60_000],
    ['a source_profile loop', 'loop-a', -60_000],
    ['a profile that does not exist', 'nobody', -60_000],
  ])('leaves alone %s', async (_what, profile, leftMs) => {
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() + leftMs });
    const before = harness.calls('CreateToken');

    await refreshSsoProfileToken({ profile, env });

    expect(harness.calls('CreateToken') - before).toBe(0);
  });

  it('takes AWS_PROFILE when no source_profile is given', async () => {
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });

    await refreshSsoProfileToken({ profile: undefined, env: { ...env, AWS_PROFILE: 'sso' } });

    expect(expiresAt()).toBeGreaterThan(Date.now());
  });

  it('says how to log in again when the session is gone, naming the sso-session', async () => {
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
    // The refresh token is spent by a login that is then forgotten: the service refuses it.
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...stored, refreshToken: 'aorNotKnownToTheService', expiresAt: cliTime(Date.now() - 60_000) }));

    // Waits out the 10 s in which another tool could still save a rotated token, then gives up.
    const error = await refreshSsoProfileToken({ profile: 'sso', env }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ kind: 'sso-login-required', hint: expect.stringContaining('aws sso login --sso-session acme') });
  }, 30_000);
});
