import { cacheId } from './cacheId';
import { cacheKeyText, type CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { isAwsCredentials } from './isAwsCredentials';
import { isCacheKeyParts } from './isCacheKeyParts';
import { isRecord } from './isRecord';
import { CREDENTIALS_NAMESPACE, type CredentialEntry } from './types';

/**
 * The credential entry in the file named `id`, whatever its expiry, or undefined when there is
 * none or it is not a complete, well-typed entry whose own key names that file (a partial entry
 * is a miss). For the entry of particular key parts, use readCredentialEntryFor.
 */
export function readCredentialEntry(store: FileStore, id: string): CredentialEntry | undefined {
  const read = readEntry(store, id);
  // An entry copied or renamed onto another key's file must not answer for that key.
  return read !== undefined && cacheId(read.keyText) === id ? read.entry : undefined;
}

/**
 * The credential entry of `key`: only one whose own key equals `key` in full, not just shares its
 * file name. This is what keeps credentials for one role from ever answering for another.
 */
export function readCredentialEntryFor(store: FileStore, key: CacheKey): CredentialEntry | undefined {
  const read = readEntry(store, key.id);
  return read !== undefined && read.keyText === key.text ? read.entry : undefined;
}

function readEntry(store: FileStore, id: string): { entry: CredentialEntry; keyText: string } | undefined {
  const value = store.read(CREDENTIALS_NAMESPACE, id);
  if (!isRecord(value)) return undefined;
  const { version, parts, credentials, obtainedAt } = value;
  if (version !== 1 || !isCacheKeyParts(parts) || !isAwsCredentials(credentials) || typeof obtainedAt !== 'string') {
    return undefined;
  }
  return { entry: { version, parts, credentials, obtainedAt }, keyText: cacheKeyText(parts) };
}
