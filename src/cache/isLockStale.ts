import { ODD_LOCK_GRACE_MS } from '../constants';
import { errnoCode } from './errnoCode';
import type { LockFileState } from './readLockFile';

export interface IsLockStaleOptions {
  /** Epoch milliseconds. */
  now: number;
  staleMs: number;
  /** This machine's name: a pid means something only on the host that wrote it. */
  hostname: string;
  /** How long the caller has itself watched this very lock (a monotonic clock, immune to clock steps). */
  watchedMs: number;
  /** Default ODD_LOCK_GRACE_MS. */
  oddGraceMs?: number;
}

/**
 * Whether a lock may be broken. Never a live holder's: rolemap holds a lock at most
 * CREDENTIALS_DEADLINE_MS, less than `staleMs`. A lock is stale when
 * - it is not a regular file (a directory, FIFO, symbolic link): no rolemap makes one;
 * - it holds no valid owner and is older than the grace period, by its file or as watched: an
 *   older rolemap left it empty between creating and writing it (a window of microseconds), or
 *   it is garbage; rolemap today links a lock into place with its content already written;
 * - its owner is a process of this host that no longer runs;
 * - it is older than `staleMs` by its recorded creation (by its file's time when that lies in the
 *   future: a damaged or forged file, or a clock stepped back), or has been watched unchanged
 *   for that long, which no clock step can fake.
 */
export function isLockStale(lock: LockFileState, options: IsLockStaleOptions): boolean {
  const { now, staleMs, hostname, watchedMs } = options;
  if (!lock.regular) return true;
  if (lock.owner === undefined) {
    const graceMs = options.oddGraceMs ?? ODD_LOCK_GRACE_MS;
    return now - lock.mtimeMs > graceMs || watchedMs > graceMs;
  }
  if (lock.owner.hostname === hostname && !isProcessAlive(lock.owner.pid)) return true;
  // A creation date in the future is not believed: the file's own time stands in for it.
  const createdAt = lock.owner.createdAt <= now ? lock.owner.createdAt : lock.mtimeMs;
  return now - createdAt > staleMs || watchedMs > staleMs;
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
