import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { developerEnv } from './fixtures/developerEnv';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap } from './fixtures/startRolemap';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, parseTerragruntJson, ROLEMAP_BIN, runRolemap, type Sandbox } from './runRolemap';

const UNIT = 'prod/us-east-1/app';
const NO_CACHE_FILES = { credentials: [], failures: [], locks: [], other: [] };

/** The one credential entry in a cache directory; fails the test when there is not exactly one. */
function onlyCredentialFile(cacheDir: string): string {
  const { credentials } = listCacheFiles(cacheDir);
  expect(credentials).toHaveLength(1);
  return credentials[0] ?? '';
}

/** Middle slices too, so that a log that shortens a secret is still caught. */
function secretFragments(secret: string): string[] {
  return [secret, secret.slice(Math.floor(secret.length / 2) - 8, Math.floor(secret.length / 2) + 8)];
}

describe('dist/rolemap credentials and its cache on disk (docs/architecture.md, "The cache")', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    env = developerEnv(sandbox, emulator);
    cwd = tree.unitDir(UNIT);
    emulator.resetCalls();
    emulator.faults.clear();
  });
  afterEach(() => {
    sandbox.cleanup();
  });

  it('treats a truncated cache entry as a miss: asks STS again and rewrites the entry', async () => {
    const first = await runRolemap([], { cwd, env });
    expect(first.code).toBe(0);
    const file = onlyCredentialFile(sandbox.cacheDir);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));

    const second = await runRolemap([], { cwd, env });
    expect({ code: second.code, stderr: second.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      assumeRoleCalls: 2,
    });
    const printed = printedCredentials(second.stdout);
    expect(printed.ACCESS_KEY_ID).not.toBe(printedCredentials(first.stdout).ACCESS_KEY_ID);
    const entry = JSON.parse(fs.readFileSync(onlyCredentialFile(sandbox.cacheDir), 'utf8')) as { credentials: { accessKeyId: string } };
    expect(entry.credentials.accessKeyId).toBe(printed.ACCESS_KEY_ID);
  });

  it('warns once and bypasses a cache directory that others can write (0777), writing nothing there', async () => {
    fs.mkdirSync(sandbox.cacheDir, { recursive: true });
    fs.chmodSync(sandbox.cacheDir, 0o777);

    const run = await runRolemap([], { cwd, env });
    expect(run.code).toBe(0);
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(sandbox.cacheDir);
    expect(lines[0]).toContain('chmod 700');
    expect(listCacheFiles(sandbox.cacheDir)).toStrictEqual(NO_CACHE_FILES);
  });

  it('uses an entry with more than min_ttl left, and replaces one with less', async () => {
    const first = await runRolemap([], { cwd, env });
    const hit = await runRolemap([], { cwd, env });
    expect({ codes: [first.code, hit.code], assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ codes: [0, 0], assumeRoleCalls: 1 });
    expect(printedCredentials(hit.stdout)).toStrictEqual(printedCredentials(first.stdout));

    // The mapping's min_ttl is 900 s: leave the cached credential 300 s, as if it were 55 minutes old.
    const file = onlyCredentialFile(sandbox.cacheDir);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { credentials: { expiration: string }; obtainedAt: string };
    entry.credentials.expiration = new Date(Date.now() + 300_000).toISOString();
    entry.obtainedAt = new Date(Date.now() - 3300_000).toISOString();
    fs.writeFileSync(file, JSON.stringify(entry));

    const refreshed = await runRolemap([], { cwd, env });
    expect({ code: refreshed.code, stderr: refreshed.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 0,
      stderr: '',
      assumeRoleCalls: 2,
    });
    expect(printedCredentials(refreshed.stdout).ACCESS_KEY_ID).not.toBe(printedCredentials(first.stdout).ACCESS_KEY_ID);
    // What Terragrunt's unit gets outlives min_ttl again.
    const expiration = (parseTerragruntJson(refreshed.stdout)['envs'] as Record<string, string>)['AWS_CREDENTIAL_EXPIRATION'] ?? '';
    expect(Date.parse(expiration) - Date.now()).toBeGreaterThan(900_000);
  });

  it.each(['text', 'json'])('never logs a secret at ROLEMAP_LOG_LEVEL=trace, ROLEMAP_LOG_FORMAT=%s (miss and hit)', async (format) => {
    const traced = { ...env, ROLEMAP_LOG_LEVEL: 'trace', ROLEMAP_LOG_FORMAT: format };
    const miss = await runRolemap([], { cwd, env: traced });
    const hit = await runRolemap([], { cwd, env: traced });
    expect({ codes: [miss.code, hit.code], assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ codes: [0, 0], assumeRoleCalls: 1 });
    const printed = printedCredentials(miss.stdout);
    expect(printedCredentials(hit.stdout)).toStrictEqual(printed);

    // The test could not fail if nothing were logged.
    expect(miss.stderr.trim()).not.toBe('');
    expect(hit.stderr.trim()).not.toBe('');
    const stderr = miss.stderr + hit.stderr;
    if (format === 'json') {
      for (const line of stderr.trimEnd().split('\n')) expect(typeof (JSON.parse(line) as Record<string, unknown>)['msg']).toBe('string');
    }
    const secrets = [printed.SECRET_ACCESS_KEY, printed.SESSION_TOKEN, SEED_DEVELOPER.secretAccessKey].flatMap(secretFragments);
    expect(secrets.filter((secret) => stderr.includes(secret))).toStrictEqual([]);
  });

  it('answers a cache hit from a copy of dist/ without its vendored libraries, and that copy needs no node_modules', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-dist-copy-'));
    try {
      const dist = path.join(outside, 'dist');
      fs.cpSync(path.dirname(ROLEMAP_BIN), dist, { recursive: true });
      const bin = path.join(dist, path.basename(ROLEMAP_BIN));
      const ancestors = outside.split(path.sep).map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || path.sep);
      expect(ancestors.filter((dir) => fs.existsSync(path.join(dir, 'node_modules')))).toStrictEqual([]);

      const version = await startRolemap(['--version'], { cwd, env, bin }).done;
      expect({ code: version.code, stderr: version.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect(version.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version);

      // A miss runs the AWS SDK (bundled into dist/lib, one lib per package), yaml and minimatch (dist/vendor): no node_modules needed.
      const miss = await startRolemap([], { cwd, env, bin }).done;
      expect({ code: miss.code, stderr: miss.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });

      // A hit must load none of them (nor pino, when nothing is logged).
      const vendor = path.join(dist, 'vendor');
      const removed = fs.readdirSync(vendor).filter((name) => /^(yaml\.cjs|minimatch\.cjs|pino\.cjs)$/.test(name));
      expect(removed).toEqual(expect.arrayContaining(['yaml.cjs', 'minimatch.cjs']));
      for (const name of removed) fs.rmSync(path.join(vendor, name), { recursive: true });
      // The AWS SDK packages, each in its own lib, and the auth kinds and commands that load them.
      const sdkLibs = ['clientSts', 'clientSso', 'clientSsoOidc', 'credentialProviders', 'fromAssumeRole', 'fromWebIdentity', 'fromSso', 'login', 'logout'].map((name) =>
        path.join(dist, 'lib', `${name}.cjs`),
      );
      expect(fs.readFileSync(path.join(dist, 'lib', 'clientSts.cjs'), 'utf8')).toContain('AssumeRoleCommand');
      for (const file of sdkLibs) fs.rmSync(file);

      const hit = await startRolemap([], { cwd, env, bin }).done;
      expect({ code: hit.code, stderr: hit.stderr, assumeRoleCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeRoleCalls: 1 });
      expect(printedCredentials(hit.stdout)).toStrictEqual(printedCredentials(miss.stdout));

      // The control: the stripped copy really lacks what a miss needs.
      const strippedMiss = await startRolemap([], { cwd, env: { ...env, ROLEMAP_CACHE_DIR: path.join(outside, 'empty-cache') }, bin }).done;
      expect({ code: strippedMiss.code, stdout: strippedMiss.stdout }).toStrictEqual({ code: 1, stdout: '' });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('`rolemap env` prints export lines that a POSIX shell evaluates to the same credentials', async () => {
    const json = await runRolemap([], { cwd, env });
    const printed = printedCredentials(json.stdout);
    const script = 'eval "$("$0" "$1" env "$2")" && printf "%s\\n%s\\n%s\\n%s" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_REGION"';
    const shell = await promisify(execFile)('sh', ['-c', script, process.execPath, ROLEMAP_BIN, cwd], { env, cwd: sandbox.home });
    expect(shell.stdout.split('\n')).toStrictEqual([printed.ACCESS_KEY_ID, printed.SECRET_ACCESS_KEY, printed.SESSION_TOKEN, 'us-east-1']);
    // One line for the human: what the shell now has and how to undo it; no secret.
    expect(shell.stderr.replace(/until \S+\. /, 'until T. ')).toBe(
      'rolemap: these lines give this shell arn:aws:iam::333333333333:role/terragrunt-plan until T. A later rolemap (Terragrunt) in this shell will not use them as a base. Undo with: eval "$(rolemap env --unset)"\n',
    );
    expect(emulator.calls('AssumeRole')).toBe(1);
  });

  it('ROLEMAP_NO_CACHE=1 asks STS on every call and writes nothing to the cache directory', async () => {
    const uncached = { ...env, ROLEMAP_NO_CACHE: '1' };
    const runs = [await runRolemap([], { cwd, env: uncached }), await runRolemap([], { cwd, env: uncached })];
    expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toStrictEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    expect(emulator.calls('AssumeRole')).toBe(2);
    const [a, b] = runs.map((r) => printedCredentials(r.stdout).ACCESS_KEY_ID);
    expect(a).not.toBe(b);
    expect(listCacheFiles(sandbox.cacheDir)).toStrictEqual(NO_CACHE_FILES);
  });
});
