import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { repoWith } from './fixtures/badInput';
import { developerEnv } from './fixtures/developerEnv';
import { writeLiveTree } from './fixtures/writeLiveTree';
import { EXAMPLES_LIVE, makeSandbox, ON_BUILD_NODE, parseTerragruntJson, runRolemap } from './runRolemap';

const DIST = path.resolve(__dirname, '../../dist');
const onBuildNodeIt = ON_BUILD_NODE ? it : it.skip;

describe('dist/rolemap.codecache (the V8 code cache trained at build time)', () => {
  onBuildNodeIt('is accepted by this Node for dist/rolemap.cjs, exactly as dist/rolemap loads it', () => {
    // Run in a fresh process: V8 accepts a cache only under the flags it was made with.
    // compileBundle is what dist/rolemap bundles (src/launch/loader.ts), run here through tsx.
    const check = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { compileBundle } = require(${JSON.stringify(path.resolve(__dirname, '../../src/launch/loader.ts'))});
         const fs = require('fs');
         const script = compileBundle(${JSON.stringify(path.join(DIST, 'rolemap.cjs'))}, fs.readFileSync(${JSON.stringify(path.join(DIST, 'rolemap.codecache'))}));
         process.stdout.write(String(script.cachedDataRejected));`,
      ],
      { encoding: 'utf8' },
    );
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toStrictEqual({ status: 0, stdout: 'false', stderr: '' });
  });

  it.each([
    ['missing', (file: string) => fs.rmSync(file)],
    ['corrupt', (file: string) => fs.writeFileSync(file, Buffer.from('not a code cache'))],
  ])('when %s, rolemap still starts and answers the same', async (_case, spoil) => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-dist-'));
    const sandbox = makeSandbox();
    try {
      fs.cpSync(DIST, copy, { recursive: true });
      spoil(path.join(copy, 'rolemap.codecache'));
      const args = ['explain', '--json', path.join(EXAMPLES_LIVE, 'prod/us-east-1/app')];
      const expected = await runRolemap(args, { cwd: sandbox.home, env: sandbox.env });
      const run = spawnSync(process.execPath, [path.join(copy, 'rolemap'), ...args], { cwd: sandbox.home, env: sandbox.env, encoding: 'utf8' });
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toStrictEqual({ status: 0, stdout: expected.stdout, stderr: '' });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      sandbox.cleanup();
    }
  });
});

describe("rolemap's own code cache, for runtimes where V8 rejects the shipped one (issue 11)", () => {
  const UNIT = 'prod/us-east-1/app';
  let emulator: Emulator;
  let sandbox: ReturnType<typeof makeSandbox>;
  let cwd: string;
  let env: Record<string, string>;
  // A V8 flag changes V8's flag hash, so the cache trained at build time is rejected.
  const withV8Flag = (): Record<string, string> => ({ ...env, NODE_OPTIONS: '--max-old-space-size=4096' });
  /** `rolemap credentials` in the unit: a miss (one AssumeRole) the first time, then hits. */
  const credentials = (callEnv: Record<string, string>): ReturnType<typeof runRolemap> => runRolemap([], { cwd, env: callEnv });
  const codeCaches = (): { name: string; ino: number; mode: number; uid: number }[] =>
    fs
      .readdirSync(sandbox.cacheDir)
      .filter((name) => name.startsWith('codecache-'))
      .map((name) => {
        const stat = fs.lstatSync(path.join(sandbox.cacheDir, name));
        return { name, ino: stat.ino, mode: stat.mode & 0o777, uid: stat.uid };
      });
  const names = (): string[] => (fs.existsSync(sandbox.cacheDir) ? codeCaches().map(({ name }) => name) : []).sort();

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    cwd = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] }).unitDir(UNIT);
    env = developerEnv(sandbox, emulator);
    emulator.resetCalls();
  });
  afterEach(() => sandbox.cleanup());

  onBuildNodeIt('writes none under the Node that built dist/ (the shipped one fits)', async () => {
    expect((await credentials(env)).code).toBe(0);
    expect((await credentials(env)).code).toBe(0);
    expect(codeCaches()).toStrictEqual([]);
  });

  it('writes none back after `cache clear` removed them, so the directory is left empty', async () => {
    await credentials(withV8Flag());
    await credentials(withV8Flag());
    if (codeCaches().length === 0) throw new Error('no code cache was written');
    const clear = await runRolemap(['cache', 'clear'], { cwd: sandbox.home, env: withV8Flag() });
    expect({ code: clear.code, stderr: clear.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(codeCaches()).toStrictEqual([]);
  });

  it('writes them (0600, yours) under a V8 flag, and V8 accepts them from the next call on', async () => {
    expect((await credentials(env)).code).toBe(0);
    const expected = await credentials(env);
    expect(expected.code).toBe(0);
    const first = await credentials(withV8Flag());
    expect(first).toStrictEqual(expected);
    // One for the bundle and one for each lib the calls loaded.
    const written = codeCaches();
    expect(written.length).toBeGreaterThan(0);
    expect(new Set(written.map(({ mode, uid }) => JSON.stringify({ mode, uid })))).toStrictEqual(new Set([JSON.stringify({ mode: 0o600, uid: process.getuid?.() })]));
    expect((fs.statSync(sandbox.cacheDir).mode & 0o777).toString(8)).toBe('700');
    // A rejected cache would be rewritten (a new file renamed over it); an accepted one is left alone.
    expect(await credentials(withV8Flag())).toStrictEqual(expected);
    expect(codeCaches()).toStrictEqual(written);
  });

  it("keeps the bundle's only from a cache hit, a lib's from a call that succeeded, nothing from a failed one", async () => {
    // V8 accepts a kept cache on every later call and rolemap never rewrites an accepted one: one
    // kept from `--version` would hold almost none of a hit's functions, for good.
    expect((await runRolemap(['--version'], { cwd, env: withV8Flag() })).code).toBe(0);
    const afterVersion = names();
    // A mapping file that does not parse: the call loads the config compiler, then fails.
    const broken = repoWith(sandbox.home, 'version: 1\nmappings: [\n').unitDir;
    expect((await runRolemap([], { cwd: broken, env: withV8Flag() })).code).not.toBe(0);
    expect(names()).toStrictEqual(afterVersion);
    // A miss: the config compiler, the auth kind and the STS client are kept; not the bundle.
    const miss = await credentials(withV8Flag());
    expect(miss.code).toBe(0);
    expect(emulator.calls('AssumeRole')).toBe(1);
    const afterMiss = names();
    expect(afterMiss.length).toBeGreaterThan(afterVersion.length);
    // The first hit adds the bundle's, and only that.
    const hit = await credentials(withV8Flag());
    expect(hit.stdout).toBe(miss.stdout);
    expect(emulator.calls('AssumeRole')).toBe(1);
    expect(names().filter((name) => !afterMiss.includes(name))).toHaveLength(1);
    const kept = codeCaches();
    expect((await credentials(withV8Flag())).stdout).toBe(miss.stdout);
    expect(codeCaches()).toStrictEqual(kept);
  });

  it.each([
    ['readable by others (0644)', (file: string) => fs.chmodSync(file, 0o644)],
    ['a symbolic link', (file: string) => {
      fs.renameSync(file, `${file}.real`);
      fs.symlinkSync(`${file}.real`, file);
    }],
  ])('does not use one that is %s, and replaces it', async (_case, spoil) => {
    await credentials(withV8Flag());
    await credentials(withV8Flag());
    // Every one is spoiled; the hit below reads the bundle's, which it must replace rather than use.
    const spoiled = codeCaches().map(({ name }) => {
      spoil(path.join(sandbox.cacheDir, name));
      return { name, ino: fs.lstatSync(path.join(sandbox.cacheDir, name)).ino };
    });
    if (spoiled.length === 0) throw new Error('no code cache was written');
    const run = await credentials(withV8Flag());
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const replaced = spoiled.filter(({ name, ino }) => {
      const after = fs.lstatSync(path.join(sandbox.cacheDir, name));
      return after.ino !== ino && after.isFile() && (after.mode & 0o777) === 0o600;
    });
    expect(replaced).toHaveLength(1);
  });

  it('writes none with ROLEMAP_NO_CACHE=1', async () => {
    for (let call = 0; call < 2; call += 1) {
      const run = await credentials({ ...withV8Flag(), ROLEMAP_NO_CACHE: '1' });
      expect(parseTerragruntJson(run.stdout)).toHaveProperty('awsCredentials');
    }
    expect(names()).toStrictEqual([]);
  });

  it('starts and answers the same when its own cache is garbage', async () => {
    await credentials(withV8Flag());
    const expected = await credentials(withV8Flag());
    for (const { name } of codeCaches()) fs.writeFileSync(path.join(sandbox.cacheDir, name), Buffer.from('not a code cache'));
    expect(await credentials(withV8Flag())).toStrictEqual(expected);
  });
});
