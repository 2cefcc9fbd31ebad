import { cacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { isAwsCredentials } from './isAwsCredentials';
import { isCacheKeyParts } from './isCacheKeyParts';
import { isRecord } from './isRecord';
import { CREDENTIALS_NAMESPACE, type CredentialEntry } from './types';

/**
 * The credential entry in the file named `id`, whatever its expiry, or undefined when there is
 * none or it is not a complete, well-typed entry whose own key names that file (a partial entry
 * is a miss). Callers that want the entry for particular key parts compare `cacheKey(parts).text`.
 */
export function readCredentialEntry(store: FileStore, id: string): CredentialEntry | undefined {
  const value = store.read(CREDENTIALS_NAMESPACE, id);
  if (!isRecord(value)) return undefined;
  const { version, parts, credentials, obtainedAt } = value;
  if (version !== 1 || !isCacheKeyParts(parts) || !isAwsCredentials(credentials) || typeof obtainedAt !== 'string') {
    return undefined;
  }
  // An entry copied or renamed onto another key's file must not answer for that key.
  if (cacheKey(parts).id !== id) return undefined;
  return { version, parts, credentials, obtainedAt };
}
