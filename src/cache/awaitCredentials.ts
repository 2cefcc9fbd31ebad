import type { AwsCredentials } from '../AwsCredentials';
import { INHERITED_BASE_WAIT_MS, LOCK_POLL_MAX_MS, LOCK_WAIT_MS } from '../constants';
import { CacheError } from '../errors';
import { cacheKey, type CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { readCacheState } from './readCacheState';
import { readLockFile } from './readLockFile';
import { toCredentialsError } from './singleFlight';
import type { CacheKeyParts } from './types';

export interface AwaitCredentialsInit {
  store: FileStore;
  parts: CacheKeyParts;
  minTtlSeconds: number;
  /** How long to wait while no other process is obtaining the credential (default INHERITED_BASE_WAIT_MS). */
  idleWaitMs?: number;
  /** Pause between looks (default LOCK_POLL_MAX_MS). */
  pollMs?: number;
  /** Clock, epoch milliseconds (default Date.now). */
  now?: () => number;
  /** Told once, when the first look finds nothing. */
  onWait?: () => void;
}

/**
 * The credential for `parts` as another process caches it, for a call that cannot ask AWS
 * itself: a dependency fetch whose base keys Terragrunt replaced with rolemap's (see
 * obtainCredentials). It never takes the key's lock, so it never holds off a caller that can ask,
 * and never records a failure, so none of its own reaches such a caller.
 *
 * Waits while another process holds the key's lock (up to LOCK_WAIT_MS, as a waiter on the lock
 * would), and otherwise up to `idleWaitMs` for one to start: in a `run --all` the unit's own
 * calls for that role run beside the fetch. Undefined when none answered. Throws the failure of
 * the attempt it waited on (CredentialsError), as a waiter on the lock gets it.
 */
export async function awaitCredentials(init: AwaitCredentialsInit): Promise<AwsCredentials | undefined> {
  const { store, parts, minTtlSeconds } = init;
  const now = init.now ?? Date.now;
  const idleWaitMs = init.idleWaitMs ?? INHERITED_BASE_WAIT_MS;
  const key = cacheKey(parts);
  const startedAt = now();
  let idleSince = startedAt;
  for (let looks = 0; ; looks += 1) {
    const state = readCacheState(store, key, { minTtlSeconds, now: now(), waitingSince: startedAt });
    if (state.status === 'fresh') return state.credentials;
    if (state.status === 'remembered-failure') throw toCredentialsError(state.failure, now());
    const at = now();
    if (isObtaining(store, key)) idleSince = at;
    if (at - idleSince >= idleWaitMs || at - startedAt >= LOCK_WAIT_MS) return undefined;
    if (looks === 0) init.onWait?.();
    await new Promise((resolve) => setTimeout(resolve, init.pollMs ?? LOCK_POLL_MAX_MS));
  }
}

/** Whether another process holds the key's lock, that is, is obtaining the credential. */
function isObtaining(store: FileStore, key: CacheKey): boolean {
  try {
    return readLockFile(store.lockPath(key.id)) !== undefined;
  } catch (error) {
    // A lock that cannot be read says nothing either way; the wait stays bounded by idleWaitMs.
    if (error instanceof CacheError) return false;
    throw error;
  }
}
