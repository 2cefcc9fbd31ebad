import { createHash } from 'node:crypto';

import type { CacheKeyParts } from './types';

/** Bump when the meaning of the parts changes, so old entries stop matching. */
const KEY_FORMAT = 'rolemap-cache-key/1';

/**
 * The sha256 hex digest of everything that changes a credential. Built from named fields into a
 * fixed-order array, so the order of properties or of tags does not matter, and a missing value
 * (null) never collides with an empty string.
 */
export function cacheKey(parts: CacheKeyParts): string {
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
  return createHash('sha256').update(canonical).digest('hex');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
