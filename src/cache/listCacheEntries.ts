import { FAILURE_MEMORY_SECONDS } from '../constants';
import type { CredentialsErrorKind } from '../errors';
import type { FileStore } from './createFileStore';
import { readCredentialEntry } from './readCredentialEntry';
import { readFailureRecord } from './readRememberedFailure';
import { readMfaSessionEntry } from './readMfaSession';
import { CREDENTIALS_NAMESPACE, FAILURE_NAMESPACE, MFA_NAMESPACE } from './types';

/** Enough of a key to tell entries apart in a listing. */
const SHORT_KEY_LENGTH = 12;

/** One line of `rolemap cache list`. Holds no secret. */
export type CacheListing =
  | {
      status: 'valid' | 'expired';
      key: string;
      roleArn: string;
      accountId: string;
      sessionName: string;
      authKind: string;
      baseIdentity: string;
      expiration: string;
      expiresInSeconds: number;
    }
  | {
      /** A remembered AccessDenied-like failure: callers are refused without asking AWS until it expires. */
      status: 'failing';
      key: string;
      kind: CredentialsErrorKind;
      roleArn: string | undefined;
      baseIdentity: string | undefined;
      expiresInSeconds: number;
    }
  | {
      /** An MFA session from `rolemap login --mfa`: the base of one profile while it lasts. */
      status: 'mfa-session';
      key: string;
      profile: string;
      mfaSerial: string;
      expiration: string;
      expiresInSeconds: number;
    }
  | { status: 'unreadable'; key: string };

/**
 * What the cache holds, for `rolemap cache list`: credential entries and MFA sessions (valid or
 * expired, without their keys or tokens), entries that cannot be used, and failures remembered
 * for everyone.
 * Sorted by role ARN, then key.
 */
export function listCacheEntries(
  store: FileStore,
  /** Epoch milliseconds. */
  now: number,
): CacheListing[] {
  const listings: CacheListing[] = [];
  for (const key of store.list(CREDENTIALS_NAMESPACE)) {
    const entry = readCredentialEntry(store, key);
    const short = key.slice(0, SHORT_KEY_LENGTH);
    if (entry === undefined) {
      listings.push({ status: 'unreadable', key: short });
      continue;
    }
    const { parts, credentials } = entry;
    const expiresInSeconds = Math.floor((Date.parse(credentials.expiration) - now) / 1000);
    listings.push({
      status: expiresInSeconds > 0 ? 'valid' : 'expired',
      key: short,
      roleArn: parts.roleArn,
      accountId: parts.accountId,
      sessionName: parts.sessionName,
      authKind: parts.authKind,
      baseIdentity: parts.baseIdentity,
      expiration: credentials.expiration,
      expiresInSeconds,
    });
  }
  for (const key of store.list(FAILURE_NAMESPACE)) {
    const failure = readFailureRecord(store, key);
    const ageMs = failure === undefined ? -1 : now - failure.failedAt;
    if (failure === undefined || failure.audience !== 'everyone' || ageMs < 0 || ageMs >= FAILURE_MEMORY_SECONDS * 1000) continue;
    listings.push({
      status: 'failing',
      key: key.slice(0, SHORT_KEY_LENGTH),
      kind: failure.kind,
      roleArn: failure.roleArn,
      baseIdentity: failure.baseIdentity,
      expiresInSeconds: Math.ceil((failure.failedAt + FAILURE_MEMORY_SECONDS * 1000 - now) / 1000),
    });
  }
  for (const key of store.list(MFA_NAMESPACE)) {
    const entry = readMfaSessionEntry(store, key);
    const short = key.slice(0, SHORT_KEY_LENGTH);
    if (entry === undefined) {
      listings.push({ status: 'unreadable', key: short });
      continue;
    }
    const { profile, mfaSerial, expiration } = entry;
    listings.push({ status: 'mfa-session', key: short, profile, mfaSerial, expiration, expiresInSeconds: Math.floor((Date.parse(expiration) - now) / 1000) });
  }
  return listings.sort((a, b) => compare(roleOf(a), roleOf(b)) || compare(a.key, b.key));
}

function roleOf(listing: CacheListing): string {
  return listing.status === 'unreadable' || listing.status === 'mfa-session' ? '' : (listing.roleArn ?? '');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
