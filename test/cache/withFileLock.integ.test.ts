import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { withFileLock } from '../../src/cache/withFileLock';
import { CacheError } from '../../src/errors';
import { deadPid, makeTempCache, type TempCache } from './fixtures/cacheFixtures';

const KEY = 'c'.repeat(64);
const STALE_MS = 60_000;

describe('withFileLock', () => {
  let cache: TempCache;
  let lockPath: string;

  beforeEach(() => {
    cache = makeTempCache();
    lockPath = cache.store.lockPath(KEY);
  });
  afterEach(() => cache.cleanup());

  function plantLock(owner: Record<string, unknown>): string {
    const text = JSON.stringify(owner);
    fs.writeFileSync(lockPath, text, { mode: 0o600 });
    return text;
  }

  it('runs fn while the lock file exists, with our pid in it, and removes it afterwards', async () => {
    const seen = await withFileLock(lockPath, async () => JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number; hostname: string }, {
      waitMs: 1000,
      staleMs: STALE_MS,
    });
    expect([seen.pid, seen.hostname, fs.existsSync(lockPath)]).toStrictEqual([process.pid, os.hostname(), false]);
  });

  it('releases the lock when fn throws', async () => {
    await expect(withFileLock(lockPath, async () => Promise.reject(new Error('boom')), { waitMs: 1000, staleMs: STALE_MS })).rejects.toThrow('boom');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('lets one caller at a time in', async () => {
    let inside = 0;
    let most = 0;
    const run = () =>
      withFileLock(
        lockPath,
        async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside -= 1;
        },
        { waitMs: 30_000, staleMs: STALE_MS },
      );
    await Promise.all(Array.from({ length: 10 }, run));
    expect(most).toBe(1);
  });

  it('breaks a lock whose owner is a dead process of this host', async () => {
    plantLock({ pid: deadPid(), hostname: os.hostname(), createdAt: Date.now(), token: 'dead-owner' });
    await expect(withFileLock(lockPath, async () => 'ran', { waitMs: 5_000, staleMs: STALE_MS })).resolves.toBe('ran');
    expect(fs.readdirSync(cache.dir)).toStrictEqual([]);
  });

  it('breaks a lock older than staleMs whose owner lives on another host', async () => {
    plantLock({ pid: process.pid, hostname: 'elsewhere', createdAt: Date.now() - STALE_MS - 1000, token: 'old' });
    await expect(withFileLock(lockPath, async () => 'ran', { waitMs: 5_000, staleMs: STALE_MS })).resolves.toBe('ran');
  });

  it('breaks an ownerless (empty) lock file once it is older than the grace period', async () => {
    fs.writeFileSync(lockPath, '');
    const old = (Date.now() - STALE_MS - 1000) / 1000;
    fs.utimesSync(lockPath, old, old);
    await expect(withFileLock(lockPath, async () => 'ran', { waitMs: 5_000, staleMs: STALE_MS })).resolves.toBe('ran');
  });

  it('does not break a fresh ownerless lock file (its creator may be writing it)', async () => {
    fs.writeFileSync(lockPath, '');
    await expect(withFileLock(lockPath, async () => 'ran', { waitMs: 200, staleMs: STALE_MS })).rejects.toThrow(CacheError);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe('');
  });

  it('does not break a live process\'s lock before staleMs, and says who holds it and what to do', async () => {
    const createdAt = Date.now() - 1000;
    const planted = plantLock({ pid: process.pid, hostname: os.hostname(), createdAt, token: 'alive' });
    const fn = jest.fn(async () => 'ran');
    const error = await withFileLock(lockPath, fn, { waitMs: 0, staleMs: STALE_MS }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheError);
    expect(error instanceof CacheError && [error.message, error.hint]).toStrictEqual([
      `Gave up after 0s waiting for the cache lock ${lockPath}, held by pid ${process.pid} on ${os.hostname()} since ${new Date(createdAt).toISOString()}.`,
      'If no rolemap process is still running, run `rolemap cache clear` (or delete that lock file).',
    ]);
    expect([fn.mock.calls.length, fs.readFileSync(lockPath, 'utf8')]).toStrictEqual([0, planted]);
  });

  it('breaks a live process\'s lock once it is older than staleMs (its pid may have been reused)', async () => {
    const createdAt = Date.now();
    plantLock({ pid: process.pid, hostname: os.hostname(), createdAt, token: 'hung' });
    const now = () => createdAt + STALE_MS + 1;
    await expect(withFileLock(lockPath, async () => 'ran', { waitMs: 5_000, staleMs: STALE_MS, now })).resolves.toBe('ran');
  });

  it('starts the wait again when the lock changes hands, so a waiter outlasts a queue of holders', async () => {
    // Driven by the waiter's own polls, on a clock the test moves: no sleep decides the outcome.
    const started = Date.now();
    let clock = 0;
    let polls = 0;
    plantLock({ pid: process.pid, hostname: os.hostname(), createdAt: started, token: 'first-holder' });
    const whileWaiting = (): undefined => {
      polls += 1;
      if (polls === 3) {
        clock = 1000;
        const next = `${lockPath}.next`;
        fs.writeFileSync(next, JSON.stringify({ pid: process.pid, hostname: os.hostname(), createdAt: started, token: 'second-holder' }));
        fs.renameSync(next, lockPath);
      }
      // 2400 ms after the first holder took it, but 1400 ms after the second did: within waitMs of each.
      if (polls === 6) clock = 2400;
      if (polls === 9) fs.unlinkSync(lockPath);
      return undefined;
    };
    const waited = withFileLock(lockPath, async () => 'ran', {
      waitMs: 1500,
      staleMs: STALE_MS,
      pollMs: 1,
      now: () => started + clock,
      monotonic: () => clock,
      whileWaiting,
    });
    await expect(waited).resolves.toBe('ran');
  });

  it('tells onSlowWait who holds a lock of another host, and when it will be judged stale, once', async () => {
    const owner = { pid: process.pid, hostname: 'elsewhere', createdAt: Date.now(), token: 'slow' };
    plantLock(owner);
    let clock = 0;
    const onSlowWait = jest.fn();
    const whileWaiting = (): undefined => {
      clock += 1000;
      if (clock === 8000) fs.unlinkSync(lockPath);
      return undefined;
    };
    const options = { waitMs: 30_000, staleMs: STALE_MS, pollMs: 1, noticeMs: 5000, monotonic: () => clock, onSlowWait, whileWaiting };
    await withFileLock(lockPath, async () => undefined, options);
    expect(onSlowWait.mock.calls).toStrictEqual([[{ lockPath, holder: owner, waitedMs: 5000, staleInMs: STALE_MS - 5000 }]]);
  });

  it('waits quietly on a live holder of this host, however long', async () => {
    plantLock({ pid: process.pid, hostname: os.hostname(), createdAt: Date.now(), token: 'busy' });
    let clock = 0;
    const onSlowWait = jest.fn();
    const whileWaiting = (): undefined => {
      clock += 1000;
      if (clock === 8000) fs.unlinkSync(lockPath);
      return undefined;
    };
    const options = { waitMs: 30_000, staleMs: STALE_MS, pollMs: 1, noticeMs: 5000, monotonic: () => clock, onSlowWait, whileWaiting };
    await withFileLock(lockPath, async () => undefined, options);
    expect(onSlowWait).not.toHaveBeenCalled();
  });

  it('tells onWait who holds the lock, once', async () => {
    const owner = { pid: process.pid, hostname: os.hostname(), createdAt: Date.now(), token: 'holder' };
    plantLock(owner);
    const onWait = jest.fn();
    // The holder lets go after the waiter has polled five times: onWait must not be told again on each poll.
    let polls = 0;
    const whileWaiting = (): undefined => {
      if (++polls === 5) fs.unlinkSync(lockPath);
      return undefined;
    };
    await withFileLock(lockPath, async () => undefined, { waitMs: 10_000, staleMs: STALE_MS, pollMs: 1, onWait, whileWaiting });
    expect([onWait.mock.calls, polls]).toStrictEqual([[[owner]], 5]);
  });

  it('stops waiting when whileWaiting has an answer, without running fn', async () => {
    plantLock({ pid: process.pid, hostname: os.hostname(), createdAt: Date.now(), token: 'holder' });
    let polls = 0;
    const fn = jest.fn(async () => 'ran');
    const answer = await withFileLock(lockPath, fn, {
      waitMs: 10_000,
      staleMs: STALE_MS,
      whileWaiting: () => (++polls >= 3 ? 'answered' : undefined),
    });
    expect([answer, fn.mock.calls.length, fs.existsSync(lockPath)]).toStrictEqual(['answered', 0, true]);
  });

  it('does not delete a lock that is no longer its own', async () => {
    const replacement = JSON.stringify({ pid: process.pid, hostname: os.hostname(), createdAt: Date.now(), token: 'someone-else' });
    await withFileLock(
      lockPath,
      async () => {
        // As if our lock had been broken as stale and another process had taken it.
        fs.writeFileSync(lockPath, replacement);
      },
      { waitMs: 1000, staleMs: STALE_MS },
    );
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(replacement);
  });

  it('throws CacheError when the lock cannot be created', async () => {
    const missing = path.join(cache.dir, 'gone', `lock-${KEY}`);
    await expect(withFileLock(missing, async () => 'ran', { waitMs: 1000, staleMs: STALE_MS })).rejects.toThrow(
      new CacheError(`Could not create the cache lock ${missing} (ENOENT).`),
    );
  });
});
