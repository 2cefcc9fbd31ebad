import { FAILURE_MEMORY_SECONDS } from '../constants';
import type { CredentialsErrorKind } from '../errors';
import type { CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { isOptionalString } from './isOptionalString';
import { isRecord } from './isRecord';
import { FAILURE_NAMESPACE, type FailureRecord } from './types';

/** Every kind, so that adding one to errors.ts without adding it here fails to compile. */
const KINDS: Readonly<Record<CredentialsErrorKind, true>> = {
  'access-denied': true,
  'expired-token': true,
  validation: true,
  throttled: true,
  network: true,
  server: true,
  'account-mismatch': true,
  'expired-credentials': true,
  'no-base-credentials': true,
  'no-web-identity-token': true,
  'sso-login-required': true,
  'mfa-login-required': true,
  'malformed-response': true,
  timeout: true,
};

/**
 * The failure remembered for exactly `key`, if it still applies: less than FAILURE_MEMORY_SECONDS
 * old, and either meant for everyone or, when `waitingSince` is given, recorded after the caller
 * began waiting (so the caller was waiting on that very attempt).
 */
export function readRememberedFailure(
  store: FileStore,
  key: CacheKey,
  /** Epoch milliseconds. */
  now: number,
  /** Epoch milliseconds at which the caller started waiting for another process's attempt. */
  waitingSince?: number,
): FailureRecord | undefined {
  const record = readFailureRecord(store, key.id);
  if (record === undefined || record.key !== key.text) return undefined;
  const ageMs = now - record.failedAt;
  // A record from the future (a clock stepped back) is ignored rather than kept until the clock catches up.
  if (ageMs < 0 || ageMs >= FAILURE_MEMORY_SECONDS * 1000) return undefined;
  if (record.audience === 'everyone') return record;
  return waitingSince !== undefined && record.failedAt >= waitingSince ? record : undefined;
}

/** The well-formed failure record in the file named `id`, whatever its age or key, for listings. */
export function readFailureRecord(store: FileStore, id: string): FailureRecord | undefined {
  const value = store.read(FAILURE_NAMESPACE, id);
  if (!isRecord(value)) return undefined;
  const { version, key, kind, message, hint, roleArn, baseIdentity, retryable, failedAt, audience } = value;
  if (
    version !== 1 ||
    typeof key !== 'string' ||
    typeof kind !== 'string' ||
    !isKind(kind) ||
    typeof message !== 'string' ||
    !isOptionalString(hint) ||
    !isOptionalString(roleArn) ||
    !isOptionalString(baseIdentity) ||
    typeof retryable !== 'boolean' ||
    typeof failedAt !== 'number' ||
    !Number.isFinite(failedAt) ||
    (audience !== 'everyone' && audience !== 'waiters')
  ) {
    return undefined;
  }
  return { version, key, kind, message, hint, roleArn, baseIdentity, retryable, failedAt, audience };
}

function isKind(kind: string): kind is CredentialsErrorKind {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}
