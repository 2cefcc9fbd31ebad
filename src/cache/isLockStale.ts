import { errnoCode } from './errnoCode';
import type { LockFileState } from './readLockFile';

export interface IsLockStaleOptions {
  /** Epoch milliseconds. */
  now: number;
  staleMs: number;
  /** This machine's name: a pid means something only on the host that wrote it. */
  hostname: string;
}

/**
 * Whether a lock may be broken: its owner is a process of this host that no longer runs, or the
 * lock is older than `staleMs` (a lock with no readable owner is judged by its file's age).
 * A lock older than staleMs is broken even if a process with its pid runs: that pid may have been
 * reused, and no rolemap process holds a lock that long (CREDENTIALS_DEADLINE_MS is shorter).
 */
export function isLockStale(lock: LockFileState, options: IsLockStaleOptions): boolean {
  const { now, staleMs, hostname } = options;
  if (lock.owner === undefined) return now - lock.mtimeMs > staleMs;
  if (lock.owner.hostname === hostname && !isProcessAlive(lock.owner.pid)) return true;
  return now - lock.owner.createdAt > staleMs;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return errnoCode(error) !== 'ESRCH';
  }
}
