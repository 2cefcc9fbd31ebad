import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';

import { fromSso } from '../../src/auth/sso/fromSso';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_ACCOUNT, SSO_REGION, SSO_ROLE, SSO_START_URL, ssoRequest } from './fixtures/ssoRequest';

const run = promisify(execFile);
const CHILD = path.join(__dirname, 'fixtures', 'ssoCredentialsChild.ts');
const REPO = path.resolve(__dirname, '..', '..');
const PROCESSES = 30;
const IN_PROCESS = 10;

let harness: SsoHarness;
let home: string;

beforeEach(async () => {
  harness = await startSsoHarness();
  harness.control.assign(SSO_ACCOUNT, SSO_ROLE);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-refresh-'));
});

afterEach(async () => {
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A token file as `aws sso login` (sso-session form) leaves it, with the access token already expired. */
async function writeExpiredRefreshableToken(file: string): Promise<string> {
  const oidc = new SSOOIDCClient({ region: SSO_REGION, endpoint: harness.url, maxAttempts: 1 });
  try {
    const r = await oidc.send(new RegisterClientCommand({ clientName: 'botocore', clientType: 'public', scopes: ['sso:account:access'] }));
    const client = { clientId: r.clientId ?? '', clientSecret: r.clientSecret ?? '' };
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: SSO_START_URL }));
    const token = await oidc.send(
      new CreateTokenCommand({ ...client, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode }),
    );
    const cliTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        startUrl: SSO_START_URL,
        region: SSO_REGION,
        accessToken: token.accessToken,
        expiresAt: cliTime(harness.now() - 60e3),
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        registrationExpiresAt: cliTime((r.clientSecretExpiresAt ?? 0) * 1000),
        refreshToken: token.refreshToken,
      }),
    );
    return token.refreshToken ?? '';
  } finally {
    oidc.destroy();
  }
}

describe('fromSso (refresh across processes)', () => {
  it(`makes exactly one refresh for ${PROCESSES} processes and ${IN_PROCESS} in-process calls at once`, async () => {
    const file = path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(SSO_START_URL).digest('hex')}.json`);
    const oldRefreshToken = await writeExpiredRefreshableToken(file);
    const before = harness.calls('CreateToken');
    const env = { ...process.env, ...harness.env(), HOME: home };

    const children = Array.from({ length: PROCESSES }, () =>
      run(process.execPath, ['--import', 'tsx', CHILD], { cwd: REPO, env, timeout: 90_000 }).then(
        ({ stdout }) => JSON.parse(stdout) as { ok: boolean; accessKeyId?: string; kind?: string },
      ),
    );
    const local = Array.from({ length: IN_PROCESS }, () =>
      fromSso({ request: ssoRequest(), env: { ...harness.env(), HOME: home } })().then(
        (c) => ({ ok: true, accessKeyId: c.accessKeyId }),
        (error: unknown) => ({ ok: false, kind: String((error as { kind?: unknown }).kind) }),
      ),
    );
    const results = await Promise.all([...children, ...local]);

    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(harness.calls('CreateToken') - before).toBe(1);
    expect(harness.calls('GetRoleCredentials')).toBe(PROCESSES + IN_PROCESS);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(stored['refreshToken']).not.toBe(oldRefreshToken);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual([path.basename(file)]);
  }, 180_000);
});
