import type { AwsCredentials } from '../AwsCredentials';
import { cacheKey } from './cacheKey';
import { cacheKeyFields } from './cacheKeyFields';
import type { FileStore } from './createFileStore';
import { CREDENTIALS_NAMESPACE, type CacheKeyParts, type CredentialEntry } from './types';

/**
 * Stores credentials under the key of `parts`, atomically, and returns that key's file id.
 * Throws CacheError; callers warn and carry on, since the credentials themselves are good.
 */
export function writeCachedCredentials(
  store: FileStore,
  parts: CacheKeyParts,
  credentials: AwsCredentials,
  /** Epoch milliseconds. */
  now: number,
): string {
  const { id } = cacheKey(parts);
  // Copied field by field so that nothing but the (non-secret) key fields and the credential reach
  // the disk, even when the caller passes a wider object.
  const entry: CredentialEntry = {
    version: 1,
    parts: copyCacheKeyParts(parts),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
      principalArn: credentials.principalArn,
    },
    obtainedAt: new Date(now).toISOString(),
  };
  store.write(CREDENTIALS_NAMESPACE, id, entry);
  return id;
}

function copyCacheKeyParts(parts: CacheKeyParts): CacheKeyParts {
  const copy: Record<string, unknown> = {};
  for (const field of cacheKeyFields) field.copy(parts, copy);
  // Every field of CacheKeyParts was copied: cacheKeyFields is checked against it by the compiler.
  return copy as unknown as CacheKeyParts;
}
