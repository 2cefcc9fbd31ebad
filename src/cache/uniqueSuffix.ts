let counter = 0;

/**
 * Hex digits unique to this process and call, for temporary file names and lock tokens in the
 * cache directory. Uniqueness is all they need: the directory is the user's own (0700), and
 * node:crypto's random bytes would cost more to load than the rest of a cache hit.
 */
export function uniqueSuffix(): string {
  counter += 1;
  const random = Math.floor(Math.random() * 0x100000000);
  return `${process.pid.toString(16)}${Date.now().toString(16)}${counter.toString(16)}${random.toString(16).padStart(8, '0')}`;
}
