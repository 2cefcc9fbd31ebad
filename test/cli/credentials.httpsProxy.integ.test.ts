/**
 * AWS calls through the proxy of HTTPS_PROXY (README, "Behind a proxy"), as the AWS CLI makes
 * them: a CONNECT tunnel to the AWS host, TLS to the host inside it, NO_PROXY's hosts direct, the
 * proxy's credentials from the URL and never shown, and its refusals said with their fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS } from '../emulator/seed';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { GITHUB_PUSH_JOB_ENV, githubWebIdentityMapping } from './fixtures/githubActionsJob';
import { printedCredentials } from './fixtures/printedCredentials';
import { startConnectProxy, type ConnectProxy } from './fixtures/startConnectProxy';
import { startSsoEmulator } from './fixtures/startSsoEmulator';
import { awsEndpointsAt, PROXY_CA, startTlsFront, type TlsFront } from './fixtures/startTlsFront';
import { SSO_UNIT_PERMISSION_SET, writeSsoUnit } from './fixtures/writeSsoUnit';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const DEV = LIVE_TREE_ACCOUNTS['dev'] ?? '';
const UNIT = 'dev/us-east-1/app';

describe('dist/rolemap credentials through HTTPS_PROXY', () => {
  let emulator: Emulator;
  let sts: TlsFront;
  let proxy: ConnectProxy;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;
  let stsHost: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    sts = await startTlsFront(emulator.url);
    stsHost = new URL(sts.url).host;
  });
  afterAll(async () => {
    await sts.close();
    await emulator.close();
  });
  beforeEach(async () => {
    proxy = await startConnectProxy();
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    env = developerEnv(sandbox, emulator, { AWS_ENDPOINT_URL_STS: sts.url, AWS_CA_BUNDLE: PROXY_CA });
    emulator.resetCalls();
  });
  afterEach(async () => {
    await proxy.close();
    sandbox.cleanup();
  });

  it('asks STS through one tunnel to its host; the credentials act as the role', async () => {
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env: { ...env, HTTPS_PROXY: proxy.url } });

    expect({ code: run.code, stderr: run.stderr, tunnels: proxy.tunnels(), authorizations: proxy.authorizations(), assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      tunnels: [stsHost],
      authorizations: [''],
      assumeRoleCalls: 1,
    });
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(new RegExp(`^arn:aws:sts::${DEV}:assumed-role/terragrunt-plan/`));
  });

  it('reads https_proxy before HTTPS_PROXY, as curl and the AWS CLI do', async () => {
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env: { ...env, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: proxy.url } });
    expect({ code: run.code, stderr: run.stderr, tunnels: proxy.tunnels() }).toStrictEqual({ code: 0, stderr: '', tunnels: [stsHost] });
  });

  it("goes direct to NO_PROXY's hosts, and through the proxy to the others", async () => {
    const cwd = tree.unitDir(UNIT);
    const direct = await runRolemap([], { cwd, env: { ...env, HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' } });
    expect({ code: direct.code, stderr: direct.stderr, tunnels: proxy.tunnels(), assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      tunnels: [],
      assumeRoleCalls: 1,
    });

    await runRolemap(['cache', 'clear'], { cwd, env });
    const proxied = await runRolemap([], { cwd, env: { ...env, HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.2' } });
    expect({ code: proxied.code, tunnels: proxy.tunnels(), assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, tunnels: [stsHost], assumeRoleCalls: 2 });
  });

  it("sends the URL's user and password to the proxy, and never shows the password: a 407 is said with its fix, once, without retrying", async () => {
    const cwd = tree.unitDir(UNIT);
    const withPassword = `http://build%40corp:p%3As3cret@${new URL(proxy.url).host}`;
    proxy.refuseWith = 407;

    const refused = await runRolemap([], { cwd, env: { ...env, HTTPS_PROXY: withPassword, ROLEMAP_LOG_LEVEL: 'debug' } });

    expect({ code: refused.code, stdout: refused.stdout, tunnels: proxy.tunnels(), assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 1,
      stdout: '',
      tunnels: [stsHost],
      assumeRoleCalls: 0,
    });
    expect(proxy.authorizations()).toStrictEqual([`Basic ${Buffer.from('build@corp:p:s3cret').toString('base64')}`]);
    expect(refused.stderr).toMatch(/^rolemap: Could not assume \S+ as env:\S+: the proxy in HTTPS_PROXY refused to open a tunnel to AWS \(HTTP 407\)$/m);
    expect(refused.stderr).toMatch(/^ {2}hint: HTTP 407: the proxy wants credentials; put them in the URL/m);
    expect(refused.stderr).not.toContain('s3cret');
    expect(refused.stderr).not.toContain(Buffer.from('build@corp:p:s3cret').toString('base64'));

    proxy.refuseWith = undefined;
    const run = await runRolemap([], { cwd, env: { ...env, HTTPS_PROXY: withPassword } });
    expect({ code: run.code, stderr: run.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
  });

  it('calls an unusable HTTPS_PROXY a usage error (exit 2) without repeating it', async () => {
    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env: { ...env, HTTPS_PROXY: 'socks5://me:s3cret@127.0.0.1:1080' } });
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^rolemap: HTTPS_PROXY names a socks5 proxy; rolemap goes through http:\/\/ and https:\/\/ proxies\.$/m);
    expect(run.stderr).not.toContain('s3cret');
  });
});

describe('dist/rolemap login and credentials with auth: sso through HTTPS_PROXY', () => {
  const START_URL = 'https://acme.awsapps.com/start';

  it('signs in at SSO-OIDC, gets role credentials from the portal and checks them with STS, all through the tunnel', async () => {
    const { emulator, sso } = await startSsoEmulator();
    sso.assign(SEED_ACCOUNTS.dev, SSO_UNIT_PERMISSION_SET);
    const front = await startTlsFront(emulator.url);
    const proxy = await startConnectProxy();
    const sandbox = makeSandbox();
    try {
      const unitDir = writeSsoUnit(sandbox.home, START_URL);
      const env = { ...sandbox.env, ...awsEndpointsAt(front.url), AWS_CA_BUNDLE: PROXY_CA, HTTPS_PROXY: proxy.url };

      const login = await runRolemap(['login', '--start-url', START_URL, '--region', 'us-east-1', '--no-browser'], { cwd: unitDir, env });
      expect(login.code).toBe(0);
      const loginTunnels = proxy.tunnels().length;
      emulator.resetCalls();
      const run = await runRolemap([], { cwd: unitDir, env });

      expect({ code: run.code, stderr: run.stderr, calls: emulator.callCounts() }).toStrictEqual({
        code: 0,
        stderr: '',
        calls: { GetRoleCredentials: 1, GetCallerIdentity: 1 },
      });
      expect(printedCredentials(run.stdout).ACCESS_KEY_ID).not.toBe('');
      expect(loginTunnels).toBeGreaterThan(0);
      // The portal and STS, each through a tunnel to the one front.
      expect(new Set(proxy.tunnels())).toStrictEqual(new Set([new URL(front.url).host]));
      expect(proxy.tunnels().length - loginTunnels).toBeGreaterThanOrEqual(2);
    } finally {
      sandbox.cleanup();
      await proxy.close();
      await front.close();
      await emulator.close();
    }
  });
});


describe('dist/rolemap credentials with auth: web-identity in a GitHub Actions job behind HTTPS_PROXY', () => {
  let emulator: Emulator;
  let sts: TlsFront;
  let github: TlsFront;
  let proxy: ConnectProxy;
  let sandbox: Sandbox;
  let unitDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    // Two fronts, so that the proxy's log tells the token request from the STS call.
    sts = await startTlsFront(emulator.url);
    github = await startTlsFront(emulator.url);
  });
  afterAll(async () => {
    await github.close();
    await sts.close();
    await emulator.close();
  });
  beforeEach(async () => {
    proxy = await startConnectProxy();
    sandbox = makeSandbox();
    const root = path.join(sandbox.home, 'live');
    unitDir = path.join(root, 'prod', 'app');
    fs.mkdirSync(unitDir, { recursive: true });
    fs.writeFileSync(path.join(root, 'rolemap.yaml'), githubWebIdentityMapping(SEED_ACCOUNTS.prod, 'terragrunt'));
    const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN } = emulator.env();
    const tokenUrl = new URL(ACTIONS_ID_TOKEN_REQUEST_URL);
    env = {
      ...sandbox.env,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_CA_BUNDLE: PROXY_CA,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${github.url}${tokenUrl.pathname}${tokenUrl.search}`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      // How a self-hosted runner behind a TLS-inspecting proxy trusts it for its Node actions.
      NODE_EXTRA_CA_CERTS: PROXY_CA,
      HTTPS_PROXY: proxy.url,
      ...GITHUB_PUSH_JOB_ENV,
    };
    emulator.resetCalls();
  });
  afterEach(async () => {
    await proxy.close();
    sandbox.cleanup();
  });

  it("asks GitHub for the token and STS for the role, each through the proxy's tunnel", async () => {
    const run = await runRolemap([], { cwd: unitDir, env });

    expect({ code: run.code, stderr: run.stderr, tunnels: proxy.tunnels(), calls: emulator.callCounts() }).toStrictEqual({
      code: 0,
      stderr: '',
      tunnels: [new URL(github.url).host, new URL(sts.url).host],
      calls: { GitHubToken: 1, AssumeRoleWithWebIdentity: 1 },
    });
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(new RegExp(`^arn:aws:sts::${SEED_ACCOUNTS.prod}:assumed-role/terragrunt/`));
  });

  it('says a refused tunnel to GitHub with the fix, once, and asks nothing of STS', async () => {
    proxy.refuseWith = 403;
    const run = await runRolemap([], { cwd: unitDir, env });

    expect({ code: run.code, stdout: run.stdout, tunnels: proxy.tunnels(), calls: emulator.callCounts() }).toStrictEqual({
      code: 1,
      stdout: '',
      tunnels: [new URL(github.url).host],
      calls: {},
    });
    expect(run.stderr).toMatch(/^rolemap: Could not get a web identity token from GitHub Actions: the proxy in HTTPS_PROXY refused to open a tunnel to GitHub \(HTTP 403\)$/m);
    expect(run.stderr).toMatch(/^ {2}hint: .*HTTP 403: its policy blocks the GitHub host/m);
  });
});
