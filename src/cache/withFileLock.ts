import { closeSync, constants, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';

import { LOCK_POLL_MAX_MS, LOCK_POLL_MIN_MS, LOCK_WAIT_NOTICE_MS } from '../constants';
import { CacheError } from '../errors';
import { onDemandOs } from '../onDemandOs';
import { breakStaleLock } from './breakStaleLock';
import { describeLockHolder } from './describeLockHolder';
import { errnoCode } from './errnoCode';
import { isLockStale } from './isLockStale';
import { isSameLock } from './isSameLock';
import { readLockFile, type LockFileState } from './readLockFile';
import type { LockOwner } from './types';
import { uniqueSuffix } from './uniqueSuffix';

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** Breaking attempts in a row without a pause; more means the lock cannot be broken, so wait instead of spinning. */
const MAX_BREAKS_WITHOUT_PAUSE = 3;

/** Told when a wait has lasted LOCK_WAIT_NOTICE_MS, once per holder. */
export interface LockWaitNotice {
  lockPath: string;
  /** Undefined when the lock names no owner. */
  holder: LockOwner | undefined;
  /** How long this caller has watched this holder's lock. */
  waitedMs: number;
  /** How much longer until the lock is judged stale and broken, at most. */
  staleInMs: number;
}

export interface FileLockOptions<T> {
  /** Longest wait for one holder's lock; it starts again when the lock changes hands. Then CacheError. */
  waitMs: number;
  /** Age after which a lock is broken even if its owner cannot be shown dead (see isLockStale). */
  staleMs: number;
  /** Longest pause between attempts (default LOCK_POLL_MAX_MS); pauses start near LOCK_POLL_MIN_MS. */
  pollMs?: number;
  /** Clock, epoch milliseconds (default Date.now), compared with the times in lock files. */
  now?: () => number;
  /** Monotonic clock, milliseconds (default performance.now), for how long a lock has been watched. */
  monotonic?: () => number;
  /** This machine's name (default os.hostname()). */
  hostname?: string;
  /** Called once, when the lock is first found held by someone else. */
  onWait?: (holder: LockOwner | undefined) => void;
  /**
   * Called once per holder whose lock has been waited on for `noticeMs` and that cannot be vouched
   * for: a lock without an owner, of another host, or dated in the future.
   */
  onSlowWait?: (notice: LockWaitNotice) => void;
  /** Default LOCK_WAIT_NOTICE_MS. */
  noticeMs?: number;
  /** Asked after each pause; a value other than undefined ends the wait and is returned instead of running `fn`. */
  whileWaiting?: () => T | undefined;
}

/** The lock being waited on: since when (monotonic), and whether the slow wait was told. */
interface Watch {
  lock: LockFileState;
  since: number;
  noticed: boolean;
}

/**
 * Runs `fn` while holding the lock file `lockPath`, so that one process at a time does. The lock
 * is taken by writing {pid, hostname, createdAt, token} to a temporary file and linking it to
 * `lockPath` (link(2) fails if the path exists): the lock appears with its content, so there is
 * no moment at which a killed process leaves an empty lock. Waiters poll with growing, jittered
 * pauses and break the lock only when it is stale (isLockStale, breakStaleLock). The lock is
 * removed afterwards only if it is still ours.
 * Throws CacheError when the lock cannot be created (a full or read-only disk), or when one
 * holder keeps it for `waitMs`.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const hostname = options.hostname ?? onDemandOs().hostname();
  const pollMs = options.pollMs ?? LOCK_POLL_MAX_MS;
  const noticeMs = options.noticeMs ?? LOCK_WAIT_NOTICE_MS;
  const token = uniqueSuffix();
  let watch: Watch | undefined;
  let pauses = 0;
  let breaks = 0;
  let told = false;

  for (;;) {
    if (createLockFile(lockPath, { pid: process.pid, hostname, createdAt: now(), token })) break;
    const held = readLockFile(lockPath);
    // Gone (released) or broken just now: try again without pausing.
    if (held === undefined) continue;
    // A new holder: the wait starts again, since each holder is bounded on its own.
    if (watch === undefined || !isSameLock(watch.lock, held)) watch = { lock: held, since: monotonic(), noticed: false };
    const watchedMs = monotonic() - watch.since;
    if (breaks < MAX_BREAKS_WITHOUT_PAUSE && isLockStale(held, { now: now(), staleMs: options.staleMs, hostname, watchedMs })) {
      breaks += 1;
      if (breakStaleLock(lockPath, held)) continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(held.owner);
    }
    // A live holder of this host is a wait like any in a `run --all` on a busy machine: quiet.
    // Any other lock may hold everyone up for nothing until it turns stale: say so.
    if (!watch.noticed && watchedMs >= noticeMs && !isVouchedFor(held, now(), hostname)) {
      watch.noticed = true;
      options.onSlowWait?.({ lockPath, holder: held.owner, waitedMs: watchedMs, staleInMs: Math.max(0, options.staleMs - watchedMs) });
    }
    if (watchedMs >= options.waitMs) throw timeoutError(lockPath, held, options.waitMs);
    await sleep(pause(pauses++, pollMs));
    breaks = 0;
    const answer = options.whileWaiting?.();
    if (answer !== undefined) return answer;
  }

  try {
    return await fn();
  } finally {
    releaseLockFile(lockPath, token);
  }
}

/**
 * Whether the lock is a live holder's of this host (isLockStale found its pid alive), dated no
 * later than now: a rolemap at work, however slow on a busy machine, and broken anyway once stale.
 */
function isVouchedFor(lock: LockFileState, now: number, hostname: string): boolean {
  return lock.owner !== undefined && lock.owner.hostname === hostname && lock.owner.createdAt <= now;
}

/** Whether the lock was created (false: the path exists). Throws CacheError when it cannot be. */
function createLockFile(lockPath: string, owner: LockOwner): boolean {
  const temp = `${lockPath}.tmp-${uniqueSuffix()}`;
  try {
    const fd = openSync(temp, CREATE_FLAGS, 0o600);
    try {
      writeSync(fd, JSON.stringify(owner));
    } finally {
      closeSync(fd);
    }
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw new CacheError(`Could not create the cache lock ${lockPath} (${errnoCode(error) ?? 'unknown error'}).`, {
      cause: error,
      hint: 'Check that the cache directory is yours, writable and not full, or set ROLEMAP_NO_CACHE=1.',
    });
  } finally {
    removeQuietly(temp);
  }
}

function releaseLockFile(lockPath: string, token: string): void {
  try {
    // Ours no longer if it was broken as stale and taken by another process meanwhile.
    if (readLockFile(lockPath)?.owner?.token === token) unlinkSync(lockPath);
  } catch {
    // A lock left behind is broken by the next caller: its pid no longer runs.
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created, or already gone; `rolemap cache clear` removes any leftover.
  }
}

function timeoutError(lockPath: string, held: LockFileState, waitMs: number): CacheError {
  return new CacheError(`Gave up after ${Math.round(waitMs / 1000)}s waiting for the cache lock ${lockPath}, held by ${describeLockHolder(held.owner)}.`, {
    hint: 'If no rolemap process is still running, run `rolemap cache clear` (or delete that lock file).',
  });
}

/** Between half and all of a ceiling that grows from LOCK_POLL_MIN_MS to `maxMs`, so waiters drift apart. */
function pause(count: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, LOCK_POLL_MIN_MS * 1.5 ** count);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
