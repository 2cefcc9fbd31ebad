import type { CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { FAILURE_NAMESPACE, type FailureAudience, type FailureRecord, type RememberedFailure } from './types';

/**
 * Records that obtaining the credential for `key` failed, so that other callers get the same
 * answer without asking AWS. The caller chooses the audience: `everyone` (for
 * FAILURE_MEMORY_SECONDS) only for failures that will not go away by retrying, such as
 * AccessDenied. Holds no secret: a CredentialsError's message never does. Throws CacheError.
 */
export function rememberFailure(
  store: FileStore,
  key: CacheKey,
  failure: RememberedFailure,
  /** Epoch milliseconds. */
  now: number,
  audience: FailureAudience = 'everyone',
): void {
  const record: FailureRecord = {
    version: 1,
    key: key.text,
    kind: failure.kind,
    message: failure.message,
    hint: failure.hint,
    roleArn: failure.roleArn,
    baseIdentity: failure.baseIdentity,
    retryable: failure.retryable,
    failedAt: now,
    audience,
  };
  store.write(FAILURE_NAMESPACE, key.id, record);
}
