import { cacheId } from './cacheId';
import { cacheKeyFields } from './cacheKeyFields';
import type { CacheKeyParts } from './types';

/** Bump when the meaning of the parts changes, so old entries stop matching. */
const KEY_FORMAT = 'rolemap-cache-key/1';

/** A cache key: `text` says exactly what it stands for; `id` names its files. */
export interface CacheKey {
  /** Canonical JSON of everything that changes a credential. Stored in entries and compared on read. */
  text: string;
  /** 64 hex digits derived from `text` (see cacheId). */
  id: string;
}

/**
 * The key of everything that changes a credential: the fields of `parts`, in the fixed order of
 * cacheKeyFields, written into one JSON array. So the order of properties or of tags does not
 * matter, and a missing value (null) never collides with an empty string.
 */
export function cacheKey(parts: CacheKeyParts): CacheKey {
  const text = cacheKeyText(parts);
  return { text, id: cacheId(text) };
}

/** The `text` of cacheKey(parts) alone, for comparing a stored entry's key without naming a file. */
export function cacheKeyText(parts: CacheKeyParts): string {
  return JSON.stringify([KEY_FORMAT, ...cacheKeyFields.map((field) => field.canonical(parts))]);
}
