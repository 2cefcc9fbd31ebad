/**
 * Issue 12 item 4: two IAM Identity Center portals in one mapping tree, through the built
 * dist/rolemap against the emulator, whose account assignments are per portal (a token of one
 * portal gets nothing in an account only the other portal has). Also the developer's base
 * profiles per partition and account, as explain and validate see them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Emulator } from '../emulator';
import { SEED_ACCOUNTS } from '../emulator/seed';
import type { SsoControl } from '../emulator/sso';
import { callerArnOf, type PrintedCredentials } from './fixtures/callerArnOf';
import { makeSandbox, parseTerragruntJson, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';
import { runInProcess } from './runInProcess';
import { startSsoEmulator } from './fixtures/startSsoEmulator';

const ACME = 'https://acme.awsapps.com/start';
const EMEA = 'https://emea.awsapps.com/start';

/** Line 12 holds `sso: emea` of the stage mapping (its value at column 10), for the validate test. */
const MAPPING_FILE = `version: 1
accounts:
  dev: "${SEED_ACCOUNTS.dev}"
  stage: "${SEED_ACCOUNTS.stage}"
sso_sessions:
  acme: {start_url: "${ACME}", region: us-east-1}
  emea: {start_url: "${EMEA}", region: eu-west-1}
sso: acme
defaults: {region: us-east-1, auth: sso}
mappings:
  - paths: ["stage/**"]
    sso: emea
    account: stage
    role: Admin
  - {paths: ["dev/**"], account: dev, role: Admin}
  - {paths: ["crossed/**"], account: stage, role: Admin}
  - {paths: ["shared-a/**"], account: dev, role: ReadOnly}
  - {paths: ["shared-b/**"], account: dev, role: ReadOnly, sso: emea}
  - {paths: ["cn/**"], account: "555555555555", role: tg, region: cn-north-1, auth: assume}
`;
const UNITS = ['stage/app', 'dev/app', 'crossed/app', 'shared-a/app', 'shared-b/app', 'cn/app'];

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

describe('several SSO portals in one tree (dist/rolemap)', () => {
  let emulator: Emulator;
  let sso: SsoControl;
  let sandbox: Sandbox;
  let root: string;
  let env: Record<string, string>;

  const rolemap = (args: readonly string[], cwd: string, extra: Record<string, string> = {}): Promise<RolemapRun> =>
    runRolemap(args, { cwd, env: { ...env, ...extra } });
  /** For what a command says without AWS (validate, explain): the same command, in process. */
  const inProcess = (args: readonly string[], cwd: string, extra: Record<string, string> = {}): Promise<RolemapRun> =>
    runInProcess(args, { cwd, env: { ...env, ...extra } });
  const unit = (name: string): string => path.join(root, name);
  const tokenFile = (startUrl: string, home = sandbox.home): string => path.join(home, '.aws', 'sso', 'cache', `${sha1(startUrl)}.json`);

  async function accountOf(run: RolemapRun): Promise<string> {
    const json = parseTerragruntJson(run.stdout);
    const arn = await callerArnOf(emulator, json['awsCredentials'] as PrintedCredentials);
    return arn.split(':')[4] ?? '?';
  }

  beforeAll(async () => {
    ({ emulator, sso } = await startSsoEmulator());
    // Each account's Admin is in one portal only; dev's ReadOnly is in both.
    sso.assign(SEED_ACCOUNTS.dev, 'Admin', undefined, ACME);
    sso.assign(SEED_ACCOUNTS.stage, 'Admin', undefined, EMEA);
    sso.assign(SEED_ACCOUNTS.dev, 'ReadOnly', undefined, ACME);
    sso.assign(SEED_ACCOUNTS.dev, 'ReadOnly', undefined, EMEA);
    sandbox = makeSandbox();
    root = path.join(path.dirname(sandbox.home), 'live');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'rolemap.yaml'), MAPPING_FILE);
    for (const name of UNITS) {
      fs.mkdirSync(unit(name), { recursive: true });
      fs.writeFileSync(path.join(unit(name), 'terragrunt.hcl'), '');
    }
    const { AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_STS } = emulator.env();
    env = {
      ...sandbox.env,
      AWS_ENDPOINT_URL_SSO,
      AWS_ENDPOINT_URL_SSO_OIDC,
      AWS_ENDPOINT_URL_STS,
    };
  });

  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });

  beforeEach(() => emulator.resetCalls());

  it('before any login, a unit fails with exit 1, nothing on stdout, and the exact login command for its portal', async () => {
    const [stage, dev] = [await rolemap([], unit('stage/app')), await rolemap([], unit('dev/app'))];
    expect([stage.code, stage.stdout, dev.code, dev.stdout]).toStrictEqual([1, '', 1, '']);
    expect(stage.stderr).toContain('run `rolemap login --sso-session emea`');
    expect(dev.stderr).toContain('run `rolemap login --sso-session acme`');
    expect(emulator.callCounts()).toStrictEqual({});
  });

  it('login without arguments signs in to both portals the tree uses, one after another, each token under its own start URL', async () => {
    const run = await rolemap(['login', '--no-browser'], root);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 0, stdout: '' });
    const first = run.stderr.indexOf(`Portal 1 of 2: ${EMEA} (sso session emea)`);
    const second = run.stderr.indexOf(`Portal 2 of 2: ${ACME} (sso session acme)`);
    expect([first >= 0, second > first]).toStrictEqual([true, true]);
    expect(emulator.callCounts()).toMatchObject({ StartDeviceAuthorization: 2 });
    const startUrls = [ACME, EMEA].map((url) => JSON.parse(fs.readFileSync(tokenFile(url), 'utf8')) as { startUrl: string; region: string });
    expect(startUrls.map((t) => [t.startUrl, t.region])).toStrictEqual([
      [ACME, 'us-east-1'],
      [EMEA, 'eu-west-1'],
    ]);
  });

  it("each unit's credentials come from its own portal and belong to its mapping's account", async () => {
    const dev = await rolemap([], unit('dev/app'));
    const stage = await rolemap([], unit('stage/app'));
    expect([dev.code, stage.code]).toStrictEqual([0, 0]);
    expect([await accountOf(dev), await accountOf(stage)]).toStrictEqual([SEED_ACCOUNTS.dev, SEED_ACCOUNTS.stage]);
  });

  it("a unit mapped to an account of the other portal is refused: one portal's token gets nothing there", async () => {
    const run = await rolemap([], unit('crossed/app'));
    expect([run.code, run.stdout]).toStrictEqual([1, '']);
    expect(run.stderr).toContain(`permission set Admin is assigned to you in account ${SEED_ACCOUNTS.stage}`);
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1 });
  });

  it('the same account and permission set through two portals are two cache entries, each fetched once', async () => {
    const runs = [];
    for (const name of ['shared-a/app', 'shared-b/app', 'shared-a/app', 'shared-b/app']) runs.push(await rolemap([], unit(name)));
    expect(runs.map((r) => r.code)).toStrictEqual([0, 0, 0, 0]);
    expect(emulator.callCounts()).toMatchObject({ GetRoleCredentials: 2 });
    const keys = runs.map((r) => (parseTerragruntJson(r.stdout)['awsCredentials'] as PrintedCredentials).ACCESS_KEY_ID);
    expect([keys[0] === keys[2], keys[1] === keys[3], keys[0] === keys[1]]).toStrictEqual([true, true, false]);
  });

  it('explain names the portal a unit uses, by its session name', async () => {
    const run = await rolemap(['explain', unit('stage/app')], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^portal +${EMEA.replace(/[.]/g, '\\.')}  \\(sso session emea, region eu-west-1\\)$`, 'm'));
    const json = JSON.parse((await rolemap(['explain', unit('dev/app'), '--json'], root)).stdout) as { portal: unknown };
    expect(json.portal).toStrictEqual({ startUrl: ACME, region: 'us-east-1', session: 'acme' });
  });

  it('logout without arguments signs out of both portals and removes both tokens; units then ask for a login again', async () => {
    const run = await rolemap(['logout'], root);
    expect([run.code, run.stdout]).toStrictEqual([0, '']);
    expect(emulator.callCounts()).toStrictEqual({ Logout: 2 });
    expect([fs.existsSync(tokenFile(ACME)), fs.existsSync(tokenFile(EMEA))]).toStrictEqual([false, false]);
    const stage = await rolemap([], unit('stage/app'));
    expect([stage.code, stage.stdout]).toStrictEqual([1, '']);
    expect(stage.stderr).toContain('rolemap login --sso-session emea');
  });

  it('login --sso-session NAME signs in to that portal only; an unknown name is a usage error naming the defined ones', async () => {
    const other = makeSandbox();
    try {
      const homeEnv = { HOME: other.home, AWS_CONFIG_FILE: path.join(other.home, '.aws/config'), ROLEMAP_CACHE_DIR: other.cacheDir };
      const login = await rolemap(['login', '--sso-session', 'emea', '--no-browser'], root, homeEnv);
      expect(login.code).toBe(0);
      expect([fs.existsSync(tokenFile(EMEA, other.home)), fs.existsSync(tokenFile(ACME, other.home))]).toStrictEqual([true, false]);
      const [stage, dev] = [await rolemap([], unit('stage/app'), homeEnv), await rolemap([], unit('dev/app'), homeEnv)];
      expect([stage.code, dev.code]).toStrictEqual([0, 1]);
      expect(dev.stderr).toContain('rolemap login --sso-session acme');

      const unknown = await rolemap(['login', '--sso-session', 'emae', '--no-browser'], root, homeEnv);
      expect([unknown.code, unknown.stdout]).toStrictEqual([2, '']);
      expect(unknown.stderr).toContain('defines no SSO session "emae"');
      expect(unknown.stderr).toContain('acme, emea');
    } finally {
      other.cleanup();
    }
  });

  it('validate refuses a mapping whose portal is not defined, at its line and column', async () => {
    const broken = path.join(path.dirname(sandbox.home), 'broken.yaml');
    fs.writeFileSync(broken, MAPPING_FILE.replace('    sso: emea\n', '    sso: europe\n'));
    const run = await inProcess(['validate', '--config', broken], root);
    expect([run.code, run.stdout]).toStrictEqual([2, '']);
    expect(run.stderr).toContain(`${broken}:12:10`);
    expect(run.stderr).toContain('Defined SSO sessions: acme, emea');
  });

  describe("the developer's base profiles", () => {
    let userConfig: string;
    beforeAll(() => {
      userConfig = path.join(path.dirname(sandbox.home), 'user.yaml');
      fs.writeFileSync(userConfig, 'version: 1\nsource_profile: base\nbase_profiles:\n  aws-cn: cn-base\n  "999999999999": other\n');
    });

    it('explain names the partition base profile for an aws-cn unit and the setting that chose it', async () => {
      const run = await inProcess(['explain', unit('cn/app')], root, { ROLEMAP_USER_CONFIG: userConfig });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('profile cn-base (base_profiles.aws-cn in your rolemap config, which wins like aws --profile)');
    });

    it('validate refuses a base profile that neither AWS file defines, and passes once it is there', async () => {
      const missing = await inProcess(['validate'], root, { ROLEMAP_USER_CONFIG: userConfig });
      expect([missing.code, missing.stdout]).toStrictEqual([2, '']);
      expect(missing.stderr).toContain(`${path.join(root, 'rolemap.yaml')}:19:`);
      expect(missing.stderr).toContain('takes its base from profile "cn-base" (base_profiles.aws-cn');

      fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
      fs.writeFileSync(path.join(sandbox.home, '.aws', 'credentials'), '[cn-base]\naws_access_key_id = AKIAEXAMPLE\n');
      const fixed = await inProcess(['validate'], root, { ROLEMAP_USER_CONFIG: userConfig });
      expect([fixed.code, fixed.stderr]).toStrictEqual([0, '']);
      fs.rmSync(path.join(sandbox.home, '.aws', 'credentials'));
    });
  });
});
