import type { AwsCredentials } from '../AwsCredentials';
import type { CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { readCacheState } from './readCacheState';

export interface ReadCachedCredentialsOptions {
  /** The credentials must outlive the unit's run: more than this many seconds must be left. */
  minTtlSeconds: number;
  /** Epoch milliseconds. */
  now: number;
  /** Epoch milliseconds: see ReadCacheStateOptions.waitingSince. */
  obtainedSince?: number;
}

/**
 * Cached credentials for exactly `key` that readCacheState judges fresh, or undefined (a miss).
 */
export function readCachedCredentials(store: FileStore, key: CacheKey, options: ReadCachedCredentialsOptions): AwsCredentials | undefined {
  const { minTtlSeconds, now, obtainedSince } = options;
  const state = readCacheState(store, key, { minTtlSeconds, now, ...(obtainedSince === undefined ? {} : { waitingSince: obtainedSince }) });
  return state.status === 'fresh' ? state.credentials : undefined;
}
