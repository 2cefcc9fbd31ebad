import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSandbox, ON_BUILD_NODE, runRolemap } from '../cli/runRolemap';
import { SEED_DEVELOPER, startEmulator } from '../emulator';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
/** What a cache hit must never load (docs/performance.md, "How a call stays cheap"; the build's HOT_FORBIDDEN). */
const FORBIDDEN = /^(?:node:)?(?:crypto|util)$|^(?:pino|yaml|minimatch)$|^@aws-sdk\/|^@smithy\/|vendor\//;

/** Runs scripts/build.mjs's hot-bundle check on a metafile, in a Node that loads ES modules. */
function problemsOf(metafile: unknown): string[] {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import { hotBundleProblems } from ${JSON.stringify(path.join(ROOT, 'scripts/build.mjs'))}; process.stdout.write(JSON.stringify(hotBundleProblems(${JSON.stringify(metafile)})));`],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

const metafileImporting = (imports: { path: string; kind: string; external?: boolean; original?: string }[], input = 'src/cli/main.ts') => ({
  inputs: { [input]: { bytes: 1, imports } },
  outputs: {},
});

describe('the hot bundle (dist/rolemap.cjs) and what a cache hit loads', () => {
  it.each([
    ['node:crypto, even lazily', metafileImporting([{ path: 'node:crypto', kind: 'require-call', external: true }])],
    ['node:util', metafileImporting([{ path: 'node:util', kind: 'import-statement', external: true }])],
    ['pino from dist/vendor', metafileImporting([{ path: './vendor/pino.cjs', kind: 'require-call', external: true, original: 'pino' }])],
    ['the AWS SDK', metafileImporting([{ path: '@aws-sdk/client-sts', kind: 'dynamic-import', external: true }])],
    ['yaml bundled in', metafileImporting([], 'node_modules/yaml/dist/index.js')],
    ['minimatch bundled in', metafileImporting([], 'node_modules/minimatch/dist/esm/index.js')],
  ])('the build check refuses a hot bundle that reaches %s', (_case, metafile) => {
    expect(problemsOf(metafile)).toHaveLength(1);
  });

  it('the build check accepts a hot bundle that reaches only node:fs and rolemap libs', () => {
    expect(problemsOf(metafileImporting([{ path: 'node:fs', kind: 'import-statement', external: true }, { path: './lib/fromAssumeRole.cjs', kind: 'require-call', external: true }]))).toStrictEqual([]);
  });

  it('dist/rolemap.cjs requires no forbidden module, directly or lazily', () => {
    const required = [...fs.readFileSync(path.join(DIST, 'rolemap.cjs'), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
    expect(required.filter((name) => FORBIDDEN.test(name))).toStrictEqual([]);
    expect(required.filter((name) => name.startsWith('./lib/')).length).toBeGreaterThan(5);
  });

  /** Records what a run of dist/rolemap loads: Node's own modules, and the .cjs files it reads or requires. */
  const probe = path.join(os.tmpdir(), `rolemap-probe-${process.pid}.cjs`);
  beforeAll(() => {
    fs.writeFileSync(
      probe,
      // dist/rolemap loads its own files itself (with their code caches): seen as reads of .cjs
      // files. A hit reads no source map (.map) either.
      "const fs = require('fs');\nconst read = fs.readFileSync;\nconst files = new Set();\nfs.readFileSync = function (file, ...rest) { if (typeof file === 'string' && /\\.(cjs|map)$/.test(file)) files.add(file); return read.call(this, file, ...rest); };\nprocess.on('exit', () => fs.writeSync(2, 'LOADED ' + JSON.stringify({ native: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)), files: [...new Set([...Object.keys(require.cache), ...files])] }) + '\\n'));\n",
    );
  });
  afterAll(() => fs.rmSync(probe, { force: true }));

  async function probed(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; native: string[]; files: string[] }> {
    const run = await runRolemap([], { cwd, env: { ...env, NODE_OPTIONS: `--require ${probe}` } });
    const line = run.stderr.split('\n').find((l) => l.startsWith('LOADED ')) ?? 'LOADED {"native":[],"files":[]}';
    const loaded = JSON.parse(line.slice('LOADED '.length)) as { native: string[]; files: string[] };
    return {
      ...run,
      stderr: run.stderr.split('\n').filter((l) => !l.startsWith('LOADED ')).join('\n'),
      native: loaded.native,
      files: loaded.files.filter((file) => file !== probe).map((file) => path.relative(DIST, file)).sort(),
    };
  }

  function unitTree(home: string): string {
    const tree = path.join(home, 'live');
    const unit = path.join(tree, 'app');
    fs.mkdirSync(unit, { recursive: true });
    fs.writeFileSync(path.join(tree, 'rolemap.yaml'), 'version: 1\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app"]\n    account: "111111111111"\n    role: terragrunt\n');
    return unit;
  }

  it('a cache hit through dist/rolemap loads no lib, nothing vendored, not node:crypto, and not node:os where HOME and USER are set', async () => {
    const sandbox = makeSandbox();
    try {
      const unit = unitTree(sandbox.home);
      const env = { ...sandbox.env, AWS_ACCESS_KEY_ID: 'AKIAHOTBUNDLETEST000', AWS_SECRET_ACCESS_KEY: 'hot-bundle-test' };
      // A credential in the cache, written by rolemap's own store as a miss would have.
      const seed = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/build/seedHit.ts'), unit], { cwd: ROOT, env, encoding: 'utf8' });
      expect(seed.stderr).toBe('');
      const hit = await probed(unit, env);
      expect({ code: hit.code, stderr: hit.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect(JSON.parse(hit.stdout)).toMatchObject({ awsCredentials: { ACCESS_KEY_ID: 'ASIAHOTBUNDLESEED000' } });
      expect(hit.native.filter((name) => /^(crypto|internal\/crypto)/.test(name))).toStrictEqual([]);
      expect(hit.native).not.toContain('os');
      // The probe rides in NODE_OPTIONS, so dist/rolemap takes its path for V8 options, in dist/launch.cjs.
      expect(hit.files).toStrictEqual(['launch.cjs', 'rolemap', 'rolemap.cjs']);
    } finally {
      sandbox.cleanup();
    }
  });

  (ON_BUILD_NODE ? it : it.skip)('under the Node that built dist/, a cache hit needs dist/rolemap, the bundle and its code cache, and nothing of dist/launch.cjs or the libs', () => {
    const sandbox = makeSandbox();
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-fast-path-'));
    try {
      for (const file of ['rolemap', 'rolemap.cjs', 'rolemap.codecache', 'package.json']) fs.copyFileSync(path.join(DIST, file), path.join(copy, file));
      const unit = unitTree(sandbox.home);
      const env = { ...sandbox.env, AWS_ACCESS_KEY_ID: 'AKIAHOTBUNDLETEST000', AWS_SECRET_ACCESS_KEY: 'hot-bundle-test' };
      const seed = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/build/seedHit.ts'), unit], { cwd: ROOT, env, encoding: 'utf8' });
      expect(seed.stderr).toBe('');
      const hit = spawnSync(process.execPath, [path.join(copy, 'rolemap')], { cwd: unit, env, encoding: 'utf8' });
      expect({ status: hit.status, stderr: hit.stderr }).toStrictEqual({ status: 0, stderr: '' });
      expect(JSON.parse(hit.stdout)).toMatchObject({ awsCredentials: { ACCESS_KEY_ID: 'ASIAHOTBUNDLESEED000' } });
      // The control: under V8 options the same copy needs dist/launch.cjs, and says so.
      const withOptions = spawnSync(process.execPath, [path.join(copy, 'rolemap')], { cwd: unit, env: { ...env, NODE_OPTIONS: '--max-old-space-size=4096' }, encoding: 'utf8' });
      expect(withOptions.status).not.toBe(0);
      expect(withOptions.stderr).toContain('launch.cjs');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      sandbox.cleanup();
    }
  });

  it('an AssumeRole miss on environment keys loads the STS client (the environment provider in its lib), not the SSO clients, the whole provider chain, zlib or Web Crypto', async () => {
    const sandbox = makeSandbox();
    const emulator = await startEmulator();
    try {
      const unit = unitTree(sandbox.home);
      const env = { ...sandbox.env, ...emulator.env(), AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey };
      const miss = await probed(unit, env);
      expect(miss.code).toBe(0);
      expect(emulator.calls('AssumeRole')).toBe(1);
      const sdkLibs = miss.files.filter((file) => /^lib\/(client|credentialProvider)/.test(file));
      expect(sdkLibs).toStrictEqual(['lib/clientSts.cjs']);
      // The SDK's CRC32 loads zlib only when called (src/auth/sdk/zlibCrc32OnDemand.ts); STS never calls it.
      expect(miss.native).not.toContain('zlib');
      // The SDK's invocation ids come from node:crypto (src/auth/sdk/nodeCryptoGlobal.ts), not Node's Web Crypto global.
      expect(miss.native).not.toContain('internal/crypto/webcrypto');
      // The SDK parses the shared config files as rolemap read them (src/auth/loadSdk.ts), reading none itself.
      expect(miss.native).not.toContain('fs/promises');
      // The libs get the error classes from the hot bundle: one copy per process, no file for them.
      expect(miss.files).not.toContain('lib/errors.cjs');
      // The STS client's own default credential chain is left out of its lib (rolemap gives it credentials).
      expect(fs.readFileSync(path.join(DIST, 'lib/clientSts.cjs'), 'utf8')).not.toContain('fromNodeProviderChain');
    } finally {
      await emulator.close();
      sandbox.cleanup();
    }
  });

  it("a miss still takes the AWS config file's settings (endpoint_url, handed to the SDK as rolemap read the file), and reads no file through node:fs/promises", async () => {
    const sandbox = makeSandbox();
    const emulator = await startEmulator();
    try {
      const unit = unitTree(sandbox.home);
      const endpoint = emulator.env().AWS_ENDPOINT_URL_STS;
      const configFile = path.join(sandbox.home, '.aws/config');
      fs.mkdirSync(path.dirname(configFile), { recursive: true });
      fs.writeFileSync(configFile, `[default]\nendpoint_url = ${endpoint}\n`);
      // No endpoint in the environment: only the config file can send the call to the emulator.
      const env = { ...sandbox.env, AWS_CONFIG_FILE: configFile, AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey };
      expect(Object.keys(env).filter((name) => name.startsWith('AWS_ENDPOINT_URL'))).toStrictEqual([]);
      const miss = await probed(unit, env);
      expect({ code: miss.code, stderr: miss.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect(emulator.calls('AssumeRole')).toBe(1);
      expect(miss.native).not.toContain('fs/promises');
    } finally {
      await emulator.close();
      sandbox.cleanup();
    }
  });
});
