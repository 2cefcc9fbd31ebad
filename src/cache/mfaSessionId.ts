import { cacheId } from './cacheId';
import type { MfaSessionOwner } from './types';

/** The store id of an owner's MFA session. The entry repeats its owner, and reads compare it. */
export function mfaSessionId(owner: MfaSessionOwner): string {
  return cacheId(`mfa-session/1\0${owner.profile}\0${owner.mfaSerial}`);
}
