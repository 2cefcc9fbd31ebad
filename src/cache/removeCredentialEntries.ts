import type { FileStore } from './createFileStore';
import { readCredentialEntry } from './readCredentialEntry';
import { CREDENTIALS_NAMESPACE, type CacheKeyParts } from './types';

/**
 * Removes the cached credentials whose key parts satisfy `matches` (e.g. everything obtained
 * through one SSO session, on `rolemap logout`). Returns how many were removed.
 */
export function removeCredentialEntries(store: FileStore, matches: (parts: CacheKeyParts) => boolean): number {
  let removed = 0;
  for (const key of store.list(CREDENTIALS_NAMESPACE)) {
    const entry = readCredentialEntry(store, key);
    if (entry !== undefined && matches(entry.parts) && store.remove(CREDENTIALS_NAMESPACE, key)) removed += 1;
  }
  return removed;
}
