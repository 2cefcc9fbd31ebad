import { createHash } from 'node:crypto';

/**
 * The SHA-256 hex digest of a secret token. A slow-path module of its own: node:crypto costs more
 * to load than the rest of a cache hit, so the hot bundle reaches it only through a lib.
 */
export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
