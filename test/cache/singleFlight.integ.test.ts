import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { AwsCredentials } from '../../src/AwsCredentials';
import { cacheKey } from '../../src/cache/cacheKey';
import type { FileStore } from '../../src/cache/createFileStore';
import { singleFlight, type SingleFlightResult } from '../../src/cache/singleFlight';
import { writeCachedCredentials } from '../../src/cache/writeCachedCredentials';
import { CacheError, CredentialsError } from '../../src/errors';
import { deadPid, lockWaiters, makeCredentials, makeParts, makeTempCache, NOW, type TempCache } from './fixtures/cacheFixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'singleFlightChild.ts');
const HOLDER = path.join(__dirname, 'fixtures', 'holdLockChild.ts');

/** Runs a fixture script under tsx, resolving with its stdout when it exits 0. */
function runChild(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    // 'close', not 'exit': only then has all of stdout been read.
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('singleFlight', () => {
  let cache: TempCache;
  const parts = makeParts();
  const key = cacheKey(parts);

  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  it('returns a cached credential without calling obtain', async () => {
    writeCachedCredentials(cache.store, parts, makeCredentials(), NOW);
    const obtain = jest.fn(async () => makeCredentials({ accessKeyId: 'ASIANEW' }));
    await expect(singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, now: () => NOW })).resolves.toStrictEqual({
      credentials: makeCredentials(),
      cacheHit: true,
    });
    expect(obtain).not.toHaveBeenCalled();
  });

  it('on a miss, obtains, stores, and the next call hits', async () => {
    const obtain = jest.fn(async () => makeCredentials());
    const init = { store: cache.store, parts, minTtlSeconds: 900, obtain, now: () => NOW };
    const first = await singleFlight(init);
    const second = await singleFlight(init);
    expect([first, second, obtain.mock.calls.length]).toStrictEqual([
      { credentials: makeCredentials(), cacheHit: false },
      { credentials: makeCredentials(), cacheHit: true },
      1,
    ]);
    expect(fs.readdirSync(cache.dir)).toStrictEqual([`credentials-${key.id}.json`]);
  });

  it('obtains again when the cached credential has less than min_ttl left', async () => {
    writeCachedCredentials(cache.store, parts, makeCredentials({ expiration: new Date(NOW + 600_000).toISOString() }), NOW - 60_000);
    const fresh = makeCredentials({ accessKeyId: 'ASIAFRESH' });
    const result = await singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain: async () => fresh, now: () => NOW });
    expect(result).toStrictEqual({ credentials: fresh, cacheHit: false });
  });

  it('makes parallel callers share one obtain even when its credential has less than min_ttl left', async () => {
    let calls = 0;
    const { onLockWait, allWaiting } = lockWaiters(4);
    const obtain = async (): Promise<AwsCredentials> => {
      calls += 1;
      await allWaiting;
      return makeCredentials({ expiration: new Date(Date.now() + 600_000).toISOString() });
    };
    await Promise.all(Array.from({ length: 5 }, () => singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, onLockWait })));
    expect(calls).toBe(1);
  });

  it('returns the credentials and warns when the cache cannot be written', async () => {
    const failingStore: FileStore = {
      ...cache.store,
      write: () => {
        throw new CacheError('Could not write the cache file X (ENOSPC).');
      },
    };
    const warn = jest.fn();
    const result = await singleFlight({ store: failingStore, parts, minTtlSeconds: 900, obtain: async () => makeCredentials(), now: () => NOW, warn });
    expect([result, warn.mock.calls]).toStrictEqual([
      { credentials: makeCredentials(), cacheHit: false },
      [['Could not write the cache file X (ENOSPC). Parallel callers will ask AWS themselves.']],
    ]);
  });

  it('makes parallel callers in one process share one obtain', async () => {
    let calls = 0;
    const { onLockWait, allWaiting } = lockWaiters(7);
    const obtain = async (): Promise<AwsCredentials> => {
      calls += 1;
      await allWaiting;
      return makeCredentials({ accessKeyId: `ASIA${calls}` });
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, now: () => NOW, onLockWait })),
    );
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.credentials.accessKeyId))).toStrictEqual(new Set(['ASIA1']));
  });

  it('answers without the cache, warning once and naming the lock, when another process holds it too long', async () => {
    const lockPath = cache.store.lockPath(key.id);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, hostname: os.hostname(), createdAt: Date.now(), token: 't' }));
    const obtain = jest.fn(async () => makeCredentials());
    const warn = jest.fn();
    await expect(singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, lockWaitMs: 100, warn })).resolves.toStrictEqual({
      credentials: makeCredentials(),
      cacheHit: false,
    });
    expect(obtain).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls).toStrictEqual([[expect.stringContaining(`Gave up after 0s waiting for the cache lock ${lockPath}, held by pid ${process.pid}`)]]);
  });

  it('bounds the whole obtain by its deadline: fails with a timeout naming the role, and releases the lock at once', async () => {
    const hung = jest.fn(() => new Promise<AwsCredentials>(() => undefined));
    const error = await singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain: hung, deadlineMs: 200 }).catch((caught: unknown) => caught);
    expect(error instanceof CredentialsError && [error.kind, error.message]).toStrictEqual([
      'timeout',
      `Gave up obtaining credentials for ${parts.roleArn} after 0s (base credentials, SSO and STS together).`,
    ]);
    expect(fs.existsSync(cache.store.lockPath(key.id))).toBe(false);
    const next = await singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain: async () => makeCredentials() });
    expect(next.cacheHit).toBe(false);
  }, 10_000);

  describe('across processes', () => {
    async function runChildren(count: number): Promise<{ results: SingleFlightResult[]; obtains: string[] }> {
      const counter = path.join(cache.dir, '..', 'obtains.txt');
      const outputs = await Promise.all(Array.from({ length: count }, () => runChild(CHILD, [cache.dir, counter, '200'])));
      const results = outputs.map((out) => JSON.parse(out) as SingleFlightResult);
      const obtains = fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').trim().split('\n') : [];
      return { results, obtains };
    }

    it('makes 20 parallel processes share one obtain and get identical credentials', async () => {
      const { results, obtains } = await runChildren(20);
      expect(obtains).toHaveLength(1);
      const distinct = new Set(results.map((r) => JSON.stringify(r.credentials)));
      expect(distinct.size).toBe(1);
      expect(results.filter((r) => !r.cacheHit)).toHaveLength(1);
    }, 120_000);

    it('makes 20 parallel processes facing a dead process\'s lock share one obtain', async () => {
      fs.writeFileSync(cache.store.lockPath(key.id), JSON.stringify({ pid: deadPid(), hostname: os.hostname(), createdAt: Date.now(), token: 'dead' }));
      const { results, obtains } = await runChildren(20);
      expect(obtains).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(r.credentials))).size).toBe(1);
    }, 120_000);

    it('completes after the lock holder is killed with SIGKILL', async () => {
      const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, cache.store.lockPath(key.id)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
      });
      holder.removeAllListeners('exit');
      const exited = new Promise((resolve) => holder.on('exit', resolve));
      holder.kill('SIGKILL');
      await exited;

      const obtain = jest.fn(async () => makeCredentials());
      await expect(singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, now: () => NOW })).resolves.toStrictEqual({
        credentials: makeCredentials(),
        cacheHit: false,
      });
      expect(obtain).toHaveBeenCalledTimes(1);
    }, 120_000);
  });
});
