/** Seeds of the two FNV-1a lanes, and of the eight 32-bit words the name is spread over. */
const LANE_SEEDS = [0x811c9dc5, 0x5bd1e995] as const;
const WORD_SEEDS = [0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1, 0xd3a2646c, 0xfd7046c5, 0xb55a4f09];

/** Murmur3's finaliser: spreads every input bit over the whole word. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A file name for a cache entry: 64 hex digits derived from `text` by FNV-1a in two lanes
 * (64 bits), spread over eight mixed words so that names look alike to nothing but themselves.
 *
 * Not a cryptographic hash, on purpose: loading node:crypto costs more than the rest of a cache
 * hit together. Nothing relies on it being collision-free: every entry stores its full key text
 * and every read compares it, so two keys that shared a name would only evict each other.
 */
export function cacheId(text: string): string {
  let a: number = LANE_SEEDS[0];
  let b: number = LANE_SEEDS[1];
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  let out = '';
  for (const seed of WORD_SEEDS) out += mix(mix(a ^ seed) ^ b).toString(16).padStart(8, '0');
  return out;
}

/** Whether `value` has the form of a name cacheId gives: the only ids the store takes (see isCacheFileName for why). */
export function isCacheId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
