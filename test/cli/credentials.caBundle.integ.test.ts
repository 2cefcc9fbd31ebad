/**
 * AWS calls through a proxy that inspects TLS (README, "Behind a corporate proxy"): the proxy's
 * certificate is refused with the fix in the hint; AWS_CA_BUNDLE, else the ca_bundle of the
 * profile in effect, makes its CA the one trusted, as for the AWS CLI; and a bad one is a usage
 * error that leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_DEVELOPER } from '../emulator/seed';
import type { SsoControl } from '../emulator/sso';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { seedSsoToken } from './fixtures/seedSsoToken';
import { startSsoEmulator } from './fixtures/startSsoEmulator';
import { awsEndpointsAt, OTHER_CA, PROXY_CA, startTlsFront, type TlsFront } from './fixtures/startTlsFront';
import { SSO_UNIT_PERMISSION_SET, writeSsoUnit } from './fixtures/writeSsoUnit';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const DEV = LIVE_TREE_ACCOUNTS['dev'] ?? '';
const UNIT = 'dev/us-east-1/app';
const UNTRUSTED = /^rolemap: Could not assume \S+ as env:\S+: the server's TLS certificate is not trusted \([A-Z_]+\)$/m;

describe('dist/rolemap credentials through a proxy that inspects TLS (AWS_CA_BUNDLE)', () => {
  let emulator: Emulator;
  let front: TlsFront;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    front = await startTlsFront(emulator.url);
  });
  afterAll(async () => {
    await front.close();
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    env = developerEnv(sandbox, emulator, { AWS_ENDPOINT_URL_STS: front.url });
    emulator.resetCalls();
  });
  afterEach(() => sandbox.cleanup());

  it("refuses the proxy's certificate once, without retrying, with AWS_CA_BUNDLE in the hint; the same call with it gets credentials", async () => {
    const cwd = tree.unitDir(UNIT);
    const handshakesBefore = front.connections();

    const refused = await runRolemap([], { cwd, env });
    expect({ code: refused.code, stdout: refused.stdout, handshakes: front.connections() - handshakesBefore, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 1,
      stdout: '',
      handshakes: 1,
      assumeRoleCalls: 0,
    });
    expect(refused.stderr).toMatch(UNTRUSTED);
    expect(refused.stderr).toMatch(/^ {2}hint: If a proxy inspects TLS on your network, set AWS_CA_BUNDLE to the absolute path of a PEM file/m);
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);

    const trusted = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: PROXY_CA } });
    expect({ code: trusted.code, stderr: trusted.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
    expect(await callerArnOf(emulator, printedCredentials(trusted.stdout))).toMatch(new RegExp(`^arn:aws:sts::${DEV}:assumed-role/terragrunt-plan/`));
    expect(listCacheFiles(sandbox.cacheDir).locks).toStrictEqual([]);
  });

  it("trusts only the bundle's certificates: a bundle without the proxy's CA is refused like no bundle", async () => {
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env: { ...env, AWS_CA_BUNDLE: OTHER_CA } });
    expect({ code: run.code, stdout: run.stdout, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 1, stdout: '', assumeRoleCalls: 0 });
    expect(run.stderr).toMatch(UNTRUSTED);
  });

  it('calls a bad AWS_CA_BUNDLE a usage error (exit 2) that names it and the fix, and leaves no lock or failure behind', async () => {
    const cwd = tree.unitDir(UNIT);
    const notPem = path.join(sandbox.home, 'not-a-bundle.txt');
    fs.writeFileSync(notPem, 'corporate proxy CA: ask IT\n');
    const cases: Array<[string, RegExp]> = [
      ['proxy-ca.pem', /^rolemap: AWS_CA_BUNDLE is "proxy-ca\.pem", which is not an absolute path\.$/m],
      [path.join(sandbox.home, 'missing.pem'), /^rolemap: AWS_CA_BUNDLE: \S+missing\.pem does not exist\.$/m],
      [sandbox.home, /^rolemap: AWS_CA_BUNDLE: \S+ is a directory, not a regular file\.$/m],
      [notPem, /^rolemap: AWS_CA_BUNDLE: \S+not-a-bundle\.txt holds no PEM certificate \(no "-----BEGIN CERTIFICATE-----" line\)\.$/m],
    ];
    for (const [value, message] of cases) {
      const run = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: value } });
      expect({ value, code: run.code, stdout: run.stdout }).toStrictEqual({ value, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^ {2}hint: Set AWS_CA_BUNDLE to the absolute path of a PEM file of CA certificates/m);
      const files = listCacheFiles(sandbox.cacheDir);
      expect({ value, locks: files.locks, failures: files.failures, credentials: files.credentials }).toStrictEqual({ value, locks: [], failures: [], credentials: [] });
    }
    expect(emulator.calls('AssumeRole')).toBe(0);

    const fixed = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: PROXY_CA } });
    expect({ code: fixed.code, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, assumeRoleCalls: 1 });
  });

  it('reads AWS_CA_BUNDLE only to call AWS: a cache hit neither needs nor checks it', async () => {
    const cwd = tree.unitDir(UNIT);
    const miss = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: PROXY_CA } });
    expect(miss.code).toBe(0);
    const hit = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: path.join(sandbox.home, 'moved-away.pem') } });
    expect({ code: hit.code, stderr: hit.stderr, stdout: hit.stdout, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: miss.stdout,
      assumeRoleCalls: 1,
    });
  });

  /** The AWS config file, for a profile's ca_bundle. */
  function writeAwsConfig(text: string): void {
    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(env['AWS_CONFIG_FILE'] ?? '', text);
  }

  it("trusts [default]'s ca_bundle; AWS_CA_BUNDLE wins over it", async () => {
    writeAwsConfig(`[default]\nregion = us-east-1\nca_bundle = ${PROXY_CA}\n`);
    const cwd = tree.unitDir(UNIT);

    const overridden = await runRolemap([], { cwd, env: { ...env, AWS_CA_BUNDLE: OTHER_CA } });
    expect({ code: overridden.code, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 1, assumeRoleCalls: 0 });
    expect(overridden.stderr).toMatch(UNTRUSTED);

    const run = await runRolemap([], { cwd, env });
    expect({ code: run.code, stderr: run.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(new RegExp(`^arn:aws:sts::${DEV}:assumed-role/terragrunt-plan/`));
  });

  it("takes the profile AWS_PROFILE names, not [default], as the AWS CLI does without --profile", async () => {
    writeAwsConfig(`[default]\nca_bundle = ${OTHER_CA}\n[profile corp]\nca_bundle = ${PROXY_CA}\n[profile bare]\nregion = us-east-1\n`);
    const cwd = tree.unitDir(UNIT);

    const bare = await runRolemap([], { cwd, env: { ...env, AWS_PROFILE: 'bare' } });
    expect({ code: bare.code, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 1, assumeRoleCalls: 0 });
    expect(bare.stderr).toMatch(UNTRUSTED);

    const corp = await runRolemap([], { cwd, env: { ...env, AWS_PROFILE: 'corp' } });
    expect({ code: corp.code, stderr: corp.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
  });

  it("takes the base profile's when rolemap's config names one (source_profile), as `aws --profile` does", async () => {
    writeAwsConfig(`[default]\nca_bundle = ${OTHER_CA}\n[profile base]\nregion = us-east-1\nca_bundle = ${PROXY_CA}\n`);
    fs.writeFileSync(
      env['AWS_SHARED_CREDENTIALS_FILE'] ?? '',
      `[base]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
    );
    const userConfig = path.join(sandbox.home, 'rolemap-user.yaml');
    fs.writeFileSync(userConfig, 'version: 1\nsource_profile: base\n');

    const run = await runRolemap([], {
      cwd: tree.unitDir(UNIT),
      env: { ...env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, ROLEMAP_USER_CONFIG: userConfig },
    });
    expect({ code: run.code, stderr: run.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
  });

  it("calls a profile's unusable ca_bundle a usage error (exit 2) that names the profile and the file", async () => {
    writeAwsConfig('[default]\nca_bundle = certs/proxy.pem\n');
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });
    expect({ code: run.code, stdout: run.stdout, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 2, stdout: '', assumeRoleCalls: 0 });
    expect(run.stderr).toContain(`rolemap: ca_bundle of profile default in ${env['AWS_CONFIG_FILE'] ?? ''} is "certs/proxy.pem", which is not an absolute path.`);
    expect(run.stderr).toMatch(/^ {2}hint: Set ca_bundle in that profile, or AWS_CA_BUNDLE, to the absolute path of a PEM file/m);
    expect(listCacheFiles(sandbox.cacheDir).locks).toStrictEqual([]);
  });
});

describe('dist/rolemap login and credentials with auth: sso through a proxy that inspects TLS (AWS_CA_BUNDLE)', () => {
  const START_URL = 'https://acme.awsapps.com/start';
  let emulator: Emulator;
  let front: TlsFront;
  let sandbox: Sandbox;
  let unitDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    let sso: SsoControl;
    ({ emulator, sso } = await startSsoEmulator());
    sso.assign(SEED_ACCOUNTS.dev, SSO_UNIT_PERMISSION_SET);
    front = await startTlsFront(emulator.url);
    sandbox = makeSandbox();
    unitDir = writeSsoUnit(sandbox.home, START_URL);
    // The portal, its OIDC service and STS (the account check) all behind the proxy.
    env = { ...sandbox.env, ...awsEndpointsAt(front.url) };
  });
  afterAll(async () => {
    sandbox.cleanup();
    await front.close();
    await emulator.close();
  });

  it('refuses the login without AWS_CA_BUNDLE; with it, logs in and gets credentials checked with STS', async () => {
    const login = ['login', '--start-url', START_URL, '--region', 'us-east-1', '--no-browser'];
    const refused = await runRolemap(login, { cwd: unitDir, env });
    expect({ code: refused.code, calls: emulator.callCounts() }).toStrictEqual({ code: 1, calls: {} });
    expect(refused.stderr).toMatch(/: the server's TLS certificate is not trusted \([A-Z_]+\)$/m);
    expect(refused.stderr).toMatch(/^ {2}hint: If a proxy inspects TLS on your network, set AWS_CA_BUNDLE/m);

    const trusted = { ...env, AWS_CA_BUNDLE: PROXY_CA };
    expect((await runRolemap(login, { cwd: unitDir, env: trusted })).code).toBe(0);
    emulator.resetCalls();
    const run = await runRolemap([], { cwd: unitDir, env: trusted });
    expect({ code: run.code, stderr: run.stderr, calls: emulator.callCounts() }).toStrictEqual({
      code: 0,
      stderr: '',
      calls: { GetRoleCredentials: 1, GetCallerIdentity: 1 },
    });
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).not.toBe('');
  });

  it('a refresh refused at the handshake spends nothing: the same call with AWS_CA_BUNDLE refreshes the token at once', async () => {
    await runRolemap(['cache', 'clear'], { cwd: unitDir, env });
    // An expired access token with its refresh token, as `aws sso login` leaves one after a day.
    const tokenFile = path.join(sandbox.home, '.aws', 'sso', 'cache', `${createHash('sha1').update(START_URL).digest('hex')}.json`);
    await seedSsoToken({ url: emulator.url, startUrl: START_URL, region: 'us-east-1', files: [tokenFile], expiresAtMs: Date.now() - 60_000 });
    emulator.resetCalls();

    const refused = await runRolemap([], { cwd: unitDir, env });
    expect({ code: refused.code, stdout: refused.stdout, calls: emulator.callCounts() }).toStrictEqual({ code: 1, stdout: '', calls: {} });
    expect(refused.stderr).toMatch(/: the server's TLS certificate is not trusted \([A-Z_]+\)$/m);

    // Nothing reached the service, so the refresh token is not taken for spent: no waiting out a
    // settle window, no new login.
    const run = await runRolemap([], { cwd: unitDir, env: { ...env, AWS_CA_BUNDLE: PROXY_CA } });
    expect({ code: run.code, stderr: run.stderr, calls: emulator.callCounts() }).toStrictEqual({
      code: 0,
      stderr: '',
      calls: { CreateToken: 1, GetRoleCredentials: 1, GetCallerIdentity: 1 },
    });
  });
});
