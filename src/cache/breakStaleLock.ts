import { linkSync, renameSync, rmSync } from 'node:fs';

import { errnoCode } from './errnoCode';
import { isSameLock } from './isSameLock';
import { readLockFile, type LockFileState } from './readLockFile';
import { uniqueSuffix } from './uniqueSuffix';

/**
 * Removes the lock at `file`, but only if it is still the one that was judged stale (`judged`).
 * Returns whether the lock may have changed, so acquiring is worth trying again at once.
 *
 * Reading and then deleting would race: between the two, another breaker may already have removed
 * the stale lock and a third process taken a fresh one, which we would then delete. So the lock is
 * first renamed aside (atomic: of several breakers only one gets it) and checked there; a fresh
 * lock moved by mistake is put back.
 */
export function breakStaleLock(file: string, judged: LockFileState): boolean {
  // The judgement may be old: a holder that released and exited looks "dead" to a waiter that
  // read its lock just before, while the path may now hold a fresh lock. Under a `run --all`
  // this happens often, so confirm first; the rename below then only races within microseconds.
  const current = readLockFile(file);
  if (current === undefined || !isSameLock(current, judged)) return true;
  const aside = `${file}.breaking-${uniqueSuffix()}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    // ENOENT: someone else broke or released it first.
    return errnoCode(error) === 'ENOENT';
  }
  let moved: LockFileState | undefined;
  try {
    moved = readLockFile(aside);
  } catch {
    moved = undefined;
  }
  if (moved !== undefined && moved.regular && !isSameLock(moved, judged)) {
    // link() fails if yet another process took the path meanwhile; that holder then keeps it, and
    // the owner of the moved lock finds it gone when releasing, which is harmless.
    try {
      linkSync(aside, file);
    } catch {
      // See above.
    }
  }
  try {
    // A directory planted at the lock's path goes too; it lies in rolemap's own directory, under a rolemap name.
    rmSync(aside, { recursive: true, force: true });
  } catch {
    // `rolemap cache clear` removes any leftover.
  }
  return true;
}
