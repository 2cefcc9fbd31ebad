import { MFA_SESSION_MARGIN_SECONDS } from '../constants';
import type { FileStore } from './createFileStore';
import { isRecord } from './isRecord';
import { mfaSessionId } from './mfaSessionId';
import { MFA_NAMESPACE, type MfaSessionEntry, type MfaSessionOwner } from './types';
import type { MfaSessionCredentials } from './writeMfaSession';

/** An owner's MFA session as the cache holds it. */
export type MfaSessionState =
  | { status: 'fresh'; session: MfaSessionCredentials }
  /** Expired, or too close to expiry to sign a call. */
  | { status: 'expired'; expiration: string }
  /** None, or a file that is damaged, of another format, or another owner's. */
  | { status: 'missing' };

const STRING_FIELDS = ['profile', 'mfaSerial', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'obtainedAt'] as const;

function isMfaSessionEntry(value: unknown): value is MfaSessionEntry {
  return (
    isRecord(value) &&
    value['version'] === 1 &&
    STRING_FIELDS.every((field) => typeof value[field] === 'string' && value[field] !== '') &&
    Number.isFinite(Date.parse(String(value['expiration'])))
  );
}

/** The MFA session entry stored under `id`, whoever owns it; undefined when missing or damaged. */
export function readMfaSessionEntry(store: FileStore, id: string): MfaSessionEntry | undefined {
  const entry = store.read(MFA_NAMESPACE, id);
  return isMfaSessionEntry(entry) ? entry : undefined;
}

/**
 * The MFA session `rolemap login --mfa` stored for exactly this profile and device. It is fresh
 * while more than MFA_SESSION_MARGIN_SECONDS are left; a damaged or old file is a miss.
 */
export function readMfaSession(store: FileStore, owner: MfaSessionOwner, /** Epoch milliseconds. */ now: number): MfaSessionState {
  const entry = readMfaSessionEntry(store, mfaSessionId(owner));
  if (entry === undefined || entry.profile !== owner.profile || entry.mfaSerial !== owner.mfaSerial) return { status: 'missing' };
  if (Date.parse(entry.expiration) - now <= MFA_SESSION_MARGIN_SECONDS * 1000) return { status: 'expired', expiration: entry.expiration };
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = entry;
  return { status: 'fresh', session: { accessKeyId, secretAccessKey, sessionToken, expiration } };
}
