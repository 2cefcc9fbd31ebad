/**
 * Writes the shipped code caches (run by scripts/build.mjs): dist/rolemap.codecache for
 * dist/rolemap.cjs and dist/lib/<name>.codecache for each lib a cache miss loads, after real runs,
 * so that they hold the bytecode of every function those runs call.
 *
 * Staged in a temporary directory: a mapping file for one unit, and the local emulator (in this
 * process) as STS with the seeded developer's keys, which never leave this process. First a real
 * miss (one AssumeRole through the full AWS SDK), then a hit, each run exactly as dist/rolemap
 * runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Script } from 'node:vm';
import { createLoader, shippedCodeCache } from '../src/launch/loader';
import { RACY_WINDOW_MS } from '../src/locate/loadCompiled';
import { SEED_DEVELOPER, startEmulator } from '../test/emulator';

const DIST = resolve(__dirname, '..', 'dist');
const BUNDLE = join(DIST, 'rolemap.cjs');
const HIT_ONLY = '--hit-only';

/** The two ways a process ends (process.reallyExit is process.exit's last step; src/cli/exitProcess.ts). */
interface ProcessExits {
  exit: (code?: number) => void;
  reallyExit: (code?: number) => void;
}

/** One run of dist/rolemap in this process; returns every script it compiled, by name. */
async function runOnce(env: Record<string, string>, cwd: string): Promise<Map<string, Script>> {
  const scripts = new Map<string, Script>();
  const { load } = createLoader(DIST, {
    read: () => undefined,
    compiled: (name, script) => scripts.set(name, script),
  });
  const exits = process as unknown as ProcessExits;
  const real: ProcessExits = { exit: exits.exit, reallyExit: exits.reallyExit };
  const code = await new Promise<number>((done) => {
    process.env = { ...env };
    process.chdir(cwd);
    process.argv = [process.argv[0] ?? 'node', join(DIST, 'rolemap')];
    // The bundle ends by either (src/cli/exitProcess.ts); caught so that its caches can be saved.
    exits.exit = exits.reallyExit = (exitCode?: number) => done(exitCode ?? 0);
    load(BUNDLE);
  });
  Object.assign(exits, real);
  if (code !== 0) throw new Error(`the training run exited ${code}`);
  return scripts;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'rolemap-train-'));
  const emulator = await startEmulator();
  try {
    const unit = join(root, 'live', 'app');
    mkdirSync(unit, { recursive: true });
    writeFileSync(
      join(root, 'live', 'rolemap.yaml'),
      'version: 1\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app"]\n    account: "111111111111"\n    role: terragrunt\n',
    );
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: join(root, 'home'),
      USER: 'training',
      ROLEMAP_CACHE_DIR: join(root, 'cache'),
      AWS_CONFIG_FILE: join(root, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_STS: emulator.env().AWS_ENDPOINT_URL_STS,
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
    };
    // A mapping file edited moments ago is compared in full on every call until its timestamps can
    // vouch for it (loadCompiledMapping): a hit trained on it would ship that comparison's code in
    // the cache that every later hit deserialises. Users' mapping files are older.
    await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS + 500));
    const miss = await runOnce(env, unit);
    if (emulator.calls('AssumeRole') !== 1) throw new Error(`the training miss made ${emulator.calls('AssumeRole')} AssumeRole calls`);
    if (!miss.has('lib/fromAssumeRole.cjs')) throw new Error('the training miss did not load lib/fromAssumeRole.cjs');
    for (const [name, script] of miss) if (name !== 'rolemap.cjs') writeFileSync(shippedCodeCache(DIST, name), script.createCachedData());
    // The bundle's cache from a hit alone, in a fresh process (V8 would reuse this process's
    // compiled functions): V8 deserializes all of a cache up front, so functions only a miss
    // needs would make every hit pay for them.
    const hit = spawnSync(process.execPath, ['--import', 'tsx', __filename, HIT_ONLY, unit], { env, cwd: resolve(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
    if (hit.status !== 0) throw new Error('the training hit failed (see above)');
    if (!existsSync(shippedCodeCache(DIST, 'rolemap.cjs'))) throw new Error('the training hit ended without writing its code cache');
    if (emulator.calls('AssumeRole') !== 1) throw new Error('the training hit asked STS');
  } finally {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The hit, in its own process: writes dist/rolemap.codecache. */
async function trainHit(unit: string): Promise<void> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  const scripts = await runOnce(env, unit);
  const bundle = scripts.get('rolemap.cjs');
  if (bundle === undefined || scripts.has('lib/fromAssumeRole.cjs')) throw new Error('the training hit was not a hit');
  writeFileSync(shippedCodeCache(DIST, 'rolemap.cjs'), bundle.createCachedData());
}

(process.argv[2] === HIT_ONLY ? trainHit(process.argv[3] ?? '') : main()).catch((error: unknown) => {
  process.stderr.write(`trainCodeCache: ${String(error)}\n`);
  process.exitCode = 1;
});
