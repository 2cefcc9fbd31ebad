import type { FileStore } from './createFileStore';
import { mfaSessionId } from './mfaSessionId';
import { MFA_NAMESPACE, type MfaSessionEntry, type MfaSessionOwner } from './types';

export interface MfaSessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601. */
  expiration: string;
}

/** Stores an owner's MFA session atomically (0600, in the 0700 cache directory). Throws CacheError. */
export function writeMfaSession(
  store: FileStore,
  owner: MfaSessionOwner,
  session: MfaSessionCredentials,
  /** Epoch milliseconds. */
  now: number,
): void {
  // Field by field: nothing but the owner and the session reaches the disk.
  const entry: MfaSessionEntry = {
    version: 1,
    profile: owner.profile,
    mfaSerial: owner.mfaSerial,
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    expiration: session.expiration,
    obtainedAt: new Date(now).toISOString(),
  };
  store.write(MFA_NAMESPACE, mfaSessionId(owner), entry);
}
