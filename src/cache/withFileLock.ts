import { closeSync, constants, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';

import { LOCK_POLL_MAX_MS, LOCK_POLL_MIN_MS } from '../constants';
import { CacheError } from '../errors';
import { breakStaleLock } from './breakStaleLock';
import { errnoCode } from './errnoCode';
import { isLockStale } from './isLockStale';
import { readLockFile, type LockFileState } from './readLockFile';
import type { LockOwner } from './types';
import { uniqueSuffix } from './uniqueSuffix';

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface FileLockOptions<T> {
  /** Longest wait for another process's lock; then CacheError. */
  waitMs: number;
  /** Age after which a lock is broken even if its owner cannot be shown dead (see isLockStale). */
  staleMs: number;
  /** Longest pause between attempts (default LOCK_POLL_MAX_MS); pauses start near LOCK_POLL_MIN_MS. */
  pollMs?: number;
  /** Clock, epoch milliseconds (default Date.now). Lock files' own ages are read from the file system. */
  now?: () => number;
  /** This machine's name (default os.hostname()). */
  hostname?: string;
  /** Called once, when the lock is first found held by someone else. */
  onWait?: (holder: LockOwner | undefined) => void;
  /** Asked after each pause; a value other than undefined ends the wait and is returned instead of running `fn`. */
  whileWaiting?: () => T | undefined;
}

/**
 * Runs `fn` while holding the lock file `lockPath`, so that one process at a time does: the lock is
 * taken by creating the file exclusively (O_EXCL) with {pid, hostname, createdAt, token} in it.
 * Waiters poll with growing, jittered pauses and break the lock only when it is stale
 * (isLockStale, breakStaleLock). The lock is removed afterwards only if it is still ours.
 * Throws CacheError when the lock cannot be had within `waitMs`.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const hostname = options.hostname ?? osHostname();
  const pollMs = options.pollMs ?? LOCK_POLL_MAX_MS;
  const token = uniqueSuffix();
  const deadline = now() + options.waitMs;
  let pauses = 0;
  let told = false;

  for (;;) {
    if (createLockFile(lockPath, { pid: process.pid, hostname, createdAt: now(), token })) break;
    const held = readLockFile(lockPath);
    // Gone (released) or broken just now: try again without pausing.
    if (held === undefined) continue;
    if (isLockStale(held, { now: now(), staleMs: options.staleMs, hostname }) && breakStaleLock(lockPath, held)) continue;
    if (!told) {
      told = true;
      options.onWait?.(held.owner);
    }
    if (now() >= deadline) throw timeoutError(lockPath, held, options.waitMs);
    await sleep(pause(pauses++, pollMs));
    const answer = options.whileWaiting?.();
    if (answer !== undefined) return answer;
  }

  try {
    return await fn();
  } finally {
    releaseLockFile(lockPath, token);
  }
}

/** Whether the lock was created (false: it exists). */
function createLockFile(lockPath: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, CREATE_FLAGS, 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw new CacheError(`Could not create the cache lock ${lockPath} (${errnoCode(error) ?? 'unknown error'}).`, {
      cause: error,
      hint: 'Check that the cache directory is yours and writable, or set ROLEMAP_NO_CACHE=1.',
    });
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } catch (error) {
    // An ownerless lock would hold everyone off until it is staleMs old.
    closeSync(fd);
    rmSync(lockPath, { force: true });
    throw new CacheError(`Could not write the cache lock ${lockPath} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
  }
  closeSync(fd);
  return true;
}

function releaseLockFile(lockPath: string, token: string): void {
  try {
    // Ours no longer if it was broken as stale and taken by another process meanwhile.
    if (readLockFile(lockPath)?.owner?.token === token) unlinkSync(lockPath);
  } catch {
    // A lock left behind is broken by the next caller: its pid no longer runs.
  }
}

function timeoutError(lockPath: string, held: LockFileState, waitMs: number): CacheError {
  const holder =
    held.owner === undefined
      ? 'a process that did not write its name in it'
      : `pid ${held.owner.pid} on ${held.owner.hostname} since ${new Date(held.owner.createdAt).toISOString()}`;
  return new CacheError(`Gave up after ${Math.round(waitMs / 1000)}s waiting for the cache lock ${lockPath}, held by ${holder}.`, {
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
