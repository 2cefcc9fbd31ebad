import type { AwsCredentials } from '../auth/types';
import { cacheKey } from './cacheKey';
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
  // Copied field by field so that nothing but these (non-secret) parts and the credential reach the disk,
  // even when the caller passes a wider object.
  const entry: CredentialEntry = {
    version: 1,
    parts: {
      partition: parts.partition,
      accountId: parts.accountId,
      roleArn: parts.roleArn,
      sessionName: parts.sessionName,
      externalId: parts.externalId,
      sourceIdentity: parts.sourceIdentity,
      tags: parts.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      authKind: parts.authKind,
      baseIdentity: parts.baseIdentity,
      durationSeconds: parts.durationSeconds,
      endpoint: parts.endpoint,
    },
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
