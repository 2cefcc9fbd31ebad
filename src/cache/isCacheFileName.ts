/**
 * `<namespace>-<id>` (64 hex digits, see cacheId) with `.json` for store entries or nothing for
 * locks, and optionally a `.tmp-<hex>` (write in progress) or `.breaking-<hex>` (stale lock being
 * broken) suffix.
 * The 64-digit id makes it safe to delete these even when ROLEMAP_CACHE_DIR points at a
 * directory that holds other files too.
 */
const CACHE_FILE_NAME = /^[a-z]+-[0-9a-f]{64}(?:\.json)?(?:\.(?:tmp|breaking)-[0-9a-f]+)?$/;

/** Whether a file name in the cache directory is one rolemap made (an entry, a lock, or a leftover of either). */
export function isCacheFileName(name: string): boolean {
  return CACHE_FILE_NAME.test(name);
}
