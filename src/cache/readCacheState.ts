import type { AwsCredentials } from '../AwsCredentials';
import type { CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { readCredentialEntryFor } from './readCredentialEntry';
import { readRememberedFailure } from './readRememberedFailure';
import type { FailureRecord } from './types';

/**
 * What the cache holds for one key. The single judge of freshness: `credentials` acts on it and
 * `explain` shows it, so the two never disagree.
 * - fresh: credentials with more than min_ttl left (or obtained by the attempt the caller waited on);
 * - expiring: credentials with time left, but not more than min_ttl: the next call obtains new ones;
 * - expired: credentials with no time left;
 * - remembered-failure: no fresh credentials, and a failure that still answers for this key;
 * - absent: nothing usable (no entry, or one that is damaged, foreign or of an older format).
 */
export type CacheState =
  | { status: 'fresh' | 'expiring'; credentials: AwsCredentials; expiresInSeconds: number }
  | { status: 'expired'; expiration: string }
  | { status: 'remembered-failure'; failure: FailureRecord }
  | { status: 'absent' };

export interface ReadCacheStateOptions {
  /** The credentials must outlive the unit's run: more than this many seconds must be left. */
  minTtlSeconds: number;
  /** Epoch milliseconds. */
  now: number;
  /**
   * Epoch milliseconds at which the caller began waiting for another process's attempt. An entry
   * obtained at or after it is fresh with any time left (asking AWS again would give no longer a
   * life; without this, a duration not above min_ttl would make every waiter ask in turn), and a
   * failure recorded after it answers the caller even if it was meant only for waiters.
   */
  waitingSince?: number;
}

/**
 * How long credentials granted with less life than min_ttl are shared after they were obtained:
 * long enough for the calls of one `run --all` wave, short enough that a later run asks again.
 */
const SHORT_LIFE_SHARE_SECONDS = 60;

/** The state of `key` in `store`. Reads only; no secret leaves it except in `credentials`. */
export function readCacheState(store: FileStore, key: CacheKey, options: ReadCacheStateOptions): CacheState {
  const { minTtlSeconds, now, waitingSince } = options;
  const own = readCredentialEntryFor(store, key);
  const leftMs = own === undefined ? 0 : Date.parse(own.credentials.expiration) - now;
  if (own !== undefined) {
    const obtainedAt = Date.parse(own.obtainedAt);
    const justObtained = waitingSince !== undefined && obtainedAt >= waitingSince;
    // A role whose maximum session is not above min_ttl: asking again would grant no longer a
    // life, so what was just obtained serves the rest of its wave, callers that started late too.
    const grantedShort = Date.parse(own.credentials.expiration) - obtainedAt <= minTtlSeconds * 1000;
    const sameWave = grantedShort && now - obtainedAt < SHORT_LIFE_SHARE_SECONDS * 1000;
    if (leftMs > minTtlSeconds * 1000 || ((justObtained || sameWave) && leftMs > 0)) {
      return { status: 'fresh', credentials: own.credentials, expiresInSeconds: Math.floor(leftMs / 1000) };
    }
  }
  const failure = readRememberedFailure(store, key, now, waitingSince);
  if (failure !== undefined) return { status: 'remembered-failure', failure };
  if (own === undefined) return { status: 'absent' };
  if (leftMs > 0) return { status: 'expiring', credentials: own.credentials, expiresInSeconds: Math.floor(leftMs / 1000) };
  return { status: 'expired', expiration: own.credentials.expiration };
}
