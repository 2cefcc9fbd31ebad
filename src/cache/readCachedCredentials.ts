import type { AwsCredentials } from '../auth/types';
import { cacheKey, type CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { readCredentialEntry } from './readCredentialEntry';

export interface ReadCachedCredentialsOptions {
  /** The credentials must outlive the unit's run: more than this many seconds must be left. */
  minTtlSeconds: number;
  /** Epoch milliseconds. */
  now: number;
  /**
   * Epoch milliseconds. An entry obtained at or after this time is accepted with any time left
   * (but not expired): it came from the very attempt the caller waited on, and asking AWS again
   * would give no longer a life. Without this, a duration not above min_ttl would make every
   * waiter ask AWS in turn.
   */
  obtainedSince?: number;
}

/**
 * Cached credentials for exactly `key` with more than `minTtlSeconds` left, or undefined (a miss).
 * The entry's own key must equal `key` in full, not just share its file name: this is what keeps
 * credentials for one role from ever answering for another.
 */
export function readCachedCredentials(
  store: FileStore,
  key: CacheKey,
  options: ReadCachedCredentialsOptions,
): AwsCredentials | undefined {
  const entry = readCredentialEntry(store, key.id);
  if (entry === undefined || cacheKey(entry.parts).text !== key.text) return undefined;
  const leftMs = Date.parse(entry.credentials.expiration) - options.now;
  if (leftMs > options.minTtlSeconds * 1000) return entry.credentials;
  const fresh = options.obtainedSince !== undefined && Date.parse(entry.obtainedAt) >= options.obtainedSince;
  return fresh && leftMs > 0 ? entry.credentials : undefined;
}
