import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SEED_DEVELOPER } from '../emulator/seed';
import { startEmulatorProcess, type EmulatorProcess } from '../emulator/startEmulatorProcess';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap, untilStderr } from './fixtures/startRolemap';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';

const UNIT = 'prod/us-east-1/app';
/**
 * Far below the 75 s that every one of these cases used to wait (or the 90 s after which it
 * failed), and far above what any of them needs, so a loaded machine does not make it flaky.
 */
const BOUND_MS = 40_000;

/** Terragrunt's view of a call: its exit code, and stderr as lines. */
function outcome(run: RolemapRun): { code: number | null; stderr: string[] } {
  return { code: run.code, stderr: run.stderr.split('\n').filter((line) => line !== '') };
}

describe('dist/rolemap credentials: odd locks, unusable caches and slow waits (issue 8 items 2, 4, 6)', () => {
  let emulator: EmulatorProcess;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    env = {
      ...sandbox.env,
      ...emulator.env(),
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
    };
    cwd = tree.unitDir(UNIT);
    await emulator.reset();
  });
  afterEach(() => {
    sandbox.cleanup();
  });

  async function assumeRoleCalls(): Promise<number> {
    return (await emulator.callCounts())['AssumeRole'] ?? 0;
  }

  /** The unit's cache key id, found by one call whose entry is then removed (so the next call misses). */
  async function keyIdOfUnit(): Promise<string> {
    const first = await runRolemap([], { cwd, env });
    expect(outcome(first)).toStrictEqual({ code: 0, stderr: [] });
    const [entry] = listCacheFiles(sandbox.cacheDir).credentials;
    if (entry === undefined) throw new Error('no credential entry was written');
    fs.rmSync(entry);
    await emulator.reset();
    return /credentials-([0-9a-f]{64})\.json$/.exec(entry)?.[1] ?? '';
  }

  const ODD_LOCKS: Array<[string, (lockPath: string) => void]> = [
    ['an empty file (an older rolemap killed between creating and writing its lock)', (p) => fs.writeFileSync(p, '')],
    ['a partly written owner', (p) => fs.writeFileSync(p, '{"pid":12')],
    ['garbage', (p) => fs.writeFileSync(p, 'not a lock at all\n')],
    ['a directory', (p) => fs.mkdirSync(path.join(p, 'inside'), { recursive: true })],
    ['a FIFO', (p) => execFileSync('mkfifo', [p])],
    ['a symbolic link', (p) => fs.symlinkSync('/nonexistent/target', p)],
  ];

  it.each(ODD_LOCKS)('breaks %s at the lock path: answers at once with one AssumeRole', async (_case, plant) => {
    const lockPath = path.join(sandbox.cacheDir, `lock-${await keyIdOfUnit()}`);
    plant(lockPath);

    const run = await runRolemap([], { cwd, env, timeoutMs: BOUND_MS });
    expect({ ...outcome(run), assumeRoleCalls: await assumeRoleCalls() }).toStrictEqual({ code: 0, stderr: [], assumeRoleCalls: 1 });
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(fs.readdirSync(sandbox.cacheDir).filter((name) => name.startsWith('lock-'))).toStrictEqual([]);
  }, BOUND_MS + 20_000);

  const DAMAGED: Array<[string, string]> = [
    ['empty', ''],
    ['truncated JSON', '{"version":1,"parts":{"partition":"aws"'],
    ['null', 'null'],
    ['an array', '[1,2,3]'],
    ['a string', '"credentials"'],
    ['a newer format', '{"version":2,"anything":true}'],
    ['the right version and the wrong shape', '{"version":1,"parts":{"tags":"none"},"credentials":[],"obtainedAt":7,"key":{},"failedAt":"soon","audience":"nobody"}'],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['binary bytes', '\u0000\u00ff\ufffe'],
  ];

  it.each(DAMAGED)('treats a credentials entry, failure record and lock that are %s as a miss, never a crash', async (_case, content) => {
    const id = await keyIdOfUnit();
    for (const name of [`credentials-${id}.json`, `failure-${id}.json`, `lock-${id}`]) fs.writeFileSync(path.join(sandbox.cacheDir, name), content, { mode: 0o600 });

    const run = await runRolemap([], { cwd, env, timeoutMs: BOUND_MS });
    expect({ code: run.code, warnings: outcome(run).stderr.filter((line) => !line.includes('ignoring a corrupt cache entry')), assumeRoleCalls: await assumeRoleCalls() }).toStrictEqual({
      code: 0,
      warnings: [],
      assumeRoleCalls: 1,
    });
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
  }, BOUND_MS + 20_000);

  it('breaks a lock dated in the future whose file is old, even when its pid is alive', async () => {
    const lockPath = path.join(sandbox.cacheDir, `lock-${await keyIdOfUnit()}`);
    // The jest process is alive on this host; a day ahead, the lock would never age.
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, hostname: os.hostname(), createdAt: Date.now() + 86_400_000, token: 'future' }));
    const tenMinutesAgo = (Date.now() - 600_000) / 1000;
    fs.utimesSync(lockPath, tenMinutesAgo, tenMinutesAgo);

    const run = await runRolemap([], { cwd, env, timeoutMs: BOUND_MS });
    expect({ ...outcome(run), assumeRoleCalls: await assumeRoleCalls() }).toStrictEqual({ code: 0, stderr: [], assumeRoleCalls: 1 });
  }, BOUND_MS + 20_000);

  it('says on stderr who holds the lock when a wait on a holder it cannot vouch for lasts, and goes on once it is released', async () => {
    const lockPath = path.join(sandbox.cacheDir, `lock-${await keyIdOfUnit()}`);
    // A holder on another host (a cache shared over NFS): its pid cannot be checked from here.
    const owner = { pid: 4242, hostname: 'build-agent-7', createdAt: Date.now(), token: 'elsewhere' };
    fs.writeFileSync(lockPath, JSON.stringify(owner));
    const waiter = startRolemap([], { cwd, env, timeoutMs: BOUND_MS });
    // Release the lock once the waiter has said why it waits.
    await untilStderr(waiter, (stderr) => stderr.includes('\n'));
    fs.rmSync(lockPath, { force: true });
    const run = await waiter.done;

    expect(run.code).toBe(0);
    expect(outcome(run).stderr).toStrictEqual([
      expect.stringMatching(/waited \d+s for another rolemap obtaining arn:aws:iam::333333333333:role\/terragrunt-plan: the cache lock .* is held by pid 4242 on build-agent-7 since .*, which cannot be confirmed to be a rolemap at work .*; the lock is judged stale and broken in at most \d+s if it is not released\.$/),
    ]);
    expect(await assumeRoleCalls()).toBe(1);
  }, BOUND_MS + 20_000);

  it('answers without the cache on a disk that takes no more data, with one warning', async () => {
    // ulimit -f 0: every write to a file fails (EFBIG), as on a full disk; stdout and stderr are pipes.
    const run = await new Promise<RolemapRun>((resolve) => {
      const child = spawn('sh', ['-c', 'ulimit -f 0 && exec "$0" "$1"', process.execPath, ROLEMAP_BIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

    expect(run.code).toBe(0);
    expect(printedCredentials(run.stdout).ACCESS_KEY_ID).toMatch(/^ASIA/);
    // (Saving the compiled mapping file fails too, and says so on its own line.)
    const cacheWarnings = outcome(run).stderr.filter((line) => !line.includes('compiled mapping'));
    expect(cacheWarnings).toHaveLength(1);
    expect(cacheWarnings[0]).toMatch(/not using the credential cache for this call: Could not create the cache lock .*EFBIG/);
    expect(await assumeRoleCalls()).toBe(1);
  });

  it('keeps single flight when a directory stands where the entry belongs: 20 processes, one AssumeRole, at most one warning each', async () => {
    const entry = path.join(sandbox.cacheDir, `credentials-${await keyIdOfUnit()}.json`);
    fs.mkdirSync(path.join(entry, 'inside'), { recursive: true });

    const runs = await Promise.all(Array.from({ length: 20 }, () => startRolemap([], { cwd, env, nice: 10, timeoutMs: 120_000 }).done));

    expect(runs.map((run) => run.code)).toStrictEqual(runs.map(() => 0));
    // At most the one line about the directory; a wait that lasts on a loaded machine may add its own notice.
    const warnings = runs.map((run) => outcome(run).stderr.filter((line) => !/waited \d+s for another rolemap/.test(line)));
    expect(warnings.filter((lines) => lines.length > 1)).toStrictEqual([]);
    expect(new Set(runs.map((run) => printedCredentials(run.stdout).ACCESS_KEY_ID)).size).toBe(1);
    expect(await assumeRoleCalls()).toBe(1);
    expect(fs.statSync(entry).isFile()).toBe(true);
  }, 150_000);

  it('cache clear removes directories and broken-lock leftovers under rolemap names, so cache list is empty', async () => {
    const id = await keyIdOfUnit();
    fs.mkdirSync(path.join(sandbox.cacheDir, `credentials-${id}.json`, 'inside'), { recursive: true });
    fs.mkdirSync(path.join(sandbox.cacheDir, `lock-${id}.breaking-0a1b2c`, 'inside'), { recursive: true });
    fs.writeFileSync(path.join(sandbox.cacheDir, `lock-${id}.breaking-3d4e5f`), '');
    fs.writeFileSync(path.join(sandbox.cacheDir, 'notes.txt'), 'not rolemap\'s');

    const before = await runRolemap(['cache', 'list'], { cwd, env });
    expect(before.stdout).toContain('`rolemap cache clear` removes it');
    const clear = await runRolemap(['cache', 'clear'], { cwd, env });
    // Before any other call, which may write compiled mappings (and, under a Node other than the
    // build's, code caches) again.
    const left = fs.readdirSync(sandbox.cacheDir);
    const after = await runRolemap(['cache', 'list'], { cwd, env });

    expect([clear.code, after.code, after.stdout.trim()]).toStrictEqual([0, 0, `${sandbox.cacheDir}: empty`]);
    expect(left).toStrictEqual(['notes.txt']);
  });
});
