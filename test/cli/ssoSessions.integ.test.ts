/**
 * Issue 7, items 6 to 11: SSO sessions beside the real AWS tools, through the built dist/rolemap
 * against the emulator (in its own process where calls are counted across parallel processes).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SEED_ACCOUNTS } from '../emulator/seed';
import { printedCredentials } from './fixtures/printedCredentials';
import { seedSsoToken } from './fixtures/seedSsoToken';
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
});
