/**
 * botocore and rolemap share one IAM Identity Center token file (README, "How credentials are
 * obtained"): a token that botocore refreshed and wrote back is used by rolemap as it is, with no
 * CreateToken of its own, and rolemap can refresh later with the refresh token botocore rotated.
 * Runs the real botocore (python3) against the emulator's SSO-OIDC and portal; skipped, saying so,
 * where botocore is not importable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Emulator } from '../emulator';
import { SEED_ACCOUNTS } from '../emulator/seed';
import type { SsoControl } from '../emulator/sso';
import { startSsoEmulator } from './fixtures/startSsoEmulator';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const START_URL = 'https://acme.awsapps.com/start';
const SSO_REGION = 'us-east-1';
const SESSION = 'acme';

const botocore = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' });
const botocoreMissing =
  botocore.error !== undefined ? botocore.error.message : botocore.status !== 0 ? (botocore.stderr.trim().split('\n').pop() ?? 'import failed') : undefined;

const AWS_CONFIG = `[sso-session ${SESSION}]
sso_start_url = ${START_URL}
sso_region = ${SSO_REGION}
sso_registration_scopes = sso:account:access

[profile dev-admin]
sso_session = ${SESSION}
sso_account_id = ${SEED_ACCOUNTS.dev}
sso_role_name = AdministratorAccess
region = ${SSO_REGION}
`;

const MAPPING = `version: 1
accounts:
  dev: "${SEED_ACCOUNTS.dev}"
defaults:
  region: ${SSO_REGION}
  auth: sso
sso:
  start_url: ${START_URL}
  region: ${SSO_REGION}
mappings:
  - paths: ["dev/**"]
    account: dev
    role: AdministratorAccess
`;

/** botocore's credentials for a profile, as the AWS CLI would get them; prints only the key id's prefix. */
const BOTOCORE_CREDENTIALS = `
import botocore.session
credentials = botocore.session.Session(profile="dev-admin").get_credentials().get_frozen_credentials()
print(credentials.access_key[:4])
`;

/** Runs python3 without blocking this process, which also serves the emulator. */
function python(script: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Whole-second UTC, as the AWS CLI and botocore write SSO timestamps. */
const ssoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

(botocoreMissing === undefined ? describe : describe.skip)('botocore and rolemap on one SSO token file', () => {
  let emulator: Emulator;
  let sso: SsoControl;
  let sandbox: Sandbox;
  let env: Record<string, string>;
  let tokenFile: string;
  let unit: string;

  beforeAll(async () => {
    ({ emulator, sso } = await startSsoEmulator());
    sso.assign(SEED_ACCOUNTS.dev, 'AdministratorAccess');
    sandbox = makeSandbox();
    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(sandbox.home, '.aws/config'), AWS_CONFIG);
    const live = path.join(sandbox.home, 'live');
    unit = path.join(live, 'dev/vpc');
    fs.mkdirSync(unit, { recursive: true });
    fs.writeFileSync(path.join(live, 'rolemap.yaml'), MAPPING);
    // botocore names the token file of an sso-session after the session's name.
    tokenFile = path.join(sandbox.home, '.aws/sso/cache', `${createHash('sha1').update(SESSION).digest('hex')}.json`);
    const { AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_STS } = emulator.env();
    env = { ...sandbox.env, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_STS };
  });

  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });

  /** Moves the token's expiry to two minutes from now: inside both botocore's and rolemap's refresh windows. */
  /** Every copy of the token (`rolemap login` writes it under each name the AWS config uses) expires in two minutes. */
  function expireSoon(): void {
    const dir = path.dirname(tokenFile);
    for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.json'))) {
      const file = path.join(dir, name);
      const token = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (typeof token['accessToken'] !== 'string') continue;
      fs.writeFileSync(file, JSON.stringify({ ...token, expiresAt: ssoTime(Date.now() + 120_000) }));
    }
  }

  const tokenField = (key: string): unknown => (JSON.parse(fs.readFileSync(tokenFile, 'utf8')) as Record<string, unknown>)[key];

  it('a token botocore refreshed and wrote is used by rolemap with no further CreateToken', async () => {
    sso.approveAfterPolls(1);
    const login = await runRolemap(['login', '--start-url', START_URL, '--region', SSO_REGION, '--no-browser'], { cwd: sandbox.home, env });
    expect({ code: login.code, tokenFile: fs.existsSync(tokenFile) }).toStrictEqual({ code: 0, tokenFile: true });
    expect(tokenField('refreshToken')).toEqual(expect.any(String));

    expireSoon();
    const before = { accessToken: tokenField('accessToken'), refreshToken: tokenField('refreshToken') };
    emulator.resetCalls();
    const aws = await python(BOTOCORE_CREDENTIALS, env);
    expect({ status: aws.status, stdout: aws.stdout.trim(), stderr: aws.stderr.trim().split('\n').pop() }).toStrictEqual({ status: 0, stdout: 'ASIA', stderr: '' });
    // botocore refreshed (one refresh_token grant) and wrote the rotated tokens back.
    expect(emulator.callCounts()).toStrictEqual({ CreateToken: 1, GetRoleCredentials: 1 });
    expect(tokenField('accessToken')).not.toBe(before.accessToken);
    expect(tokenField('refreshToken')).not.toBe(before.refreshToken);
    expect(Date.parse(String(tokenField('expiresAt')))).toBeGreaterThan(Date.now() + 600_000);

    emulator.resetCalls();
    const run = await runRolemap([], { cwd: unit, env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(emulator.calls('CreateToken')).toBe(0);
    expect(emulator.calls('GetRoleCredentials')).toBe(1);
  });

  it('rolemap refreshes later with the refresh token botocore rotated', async () => {
    expireSoon();
    const rotatedByBotocore = tokenField('refreshToken');
    emulator.resetCalls();
    const run = await runRolemap(['cache', 'clear'], { cwd: unit, env });
    expect(run.code).toBe(0);
    const again = await runRolemap([], { cwd: unit, env });
    expect({ code: again.code, stderr: again.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(emulator.calls('CreateToken')).toBe(1);
    expect(tokenField('refreshToken')).not.toBe(rotatedByBotocore);
    expect(Date.parse(String(tokenField('expiresAt')))).toBeGreaterThan(Date.now() + 600_000);
  });
});

if (botocoreMissing !== undefined) {
  it.skip(`botocore interop: skipped, python3 cannot import botocore (${botocoreMissing})`, () => undefined);
}
