/** Eight 32-bit lanes of 8 hex digits: the 64 hex digits cache file names carry. */
const LANE_SEEDS = [0x811c9dc5, 0x01000193, 0x5bd1e995, 0x27d4eb2f, 0x165667b1, 0x9e3779b1, 0x85ebca6b, 0xc2b2ae35];

/**
 * A file name for a cache entry: 64 hex digits derived from `text` by FNV-1a in eight seeded lanes,
 * each lane finished with a murmur-style mix.
 *
 * Not a cryptographic hash, on purpose: loading node:crypto costs more than the rest of a cache
 * hit together. Nothing relies on it being collision-free: every entry stores its full key text
 * and every read compares it, so two keys that shared a name would only evict each other.
 */
export function cacheId(text: string): string {
  let out = '';
  for (const seed of LANE_SEEDS) {
    let hash = seed >>> 0;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    out += (hash >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
