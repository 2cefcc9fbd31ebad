import { cacheId } from './cacheId';
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
 * The key of everything that changes a credential. Built from named fields into a fixed-order
 * array, so the order of properties or of tags does not matter, and a missing value (null) never
 * collides with an empty string.
 */
export function cacheKey(parts: CacheKeyParts): CacheKey {
  const tags = parts.tags
    .map((tag): [string, string] => [tag.Key, tag.Value])
    // Plain code-unit order: localeCompare would make the key depend on the machine's locale.
    .sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB));
  const canonical = JSON.stringify([
    KEY_FORMAT,
    parts.partition,
    parts.accountId,
    parts.roleArn,
    parts.sessionName,
    parts.externalId ?? null,
    parts.sourceIdentity ?? null,
    tags,
    parts.authKind,
    parts.baseIdentity,
    parts.durationSeconds,
    parts.endpoint ?? null,
  ]);
  return { text: canonical, id: cacheId(canonical) };
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
