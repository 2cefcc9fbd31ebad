import type { LockFileState } from './readLockFile';

/** Whether two readings are of the same lock, so that breaking one never removes its successor. */
export function isSameLock(a: LockFileState, b: LockFileState): boolean {
  if (a.owner !== undefined && b.owner !== undefined) return a.owner.token === b.owner.token;
  return a.owner === undefined && b.owner === undefined && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
