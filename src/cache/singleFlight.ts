import type { AwsCredentials } from '../auth/types';
import { FAILURE_MEMORY_SECONDS, LOCK_STALE_MS, LOCK_WAIT_MS } from '../constants';
import { CacheError, CredentialsError, type CredentialsErrorKind, type CredentialsErrorOptions } from '../errors';
import { cacheKey, type CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { readCachedCredentials } from './readCachedCredentials';
import { readRememberedFailure } from './readRememberedFailure';
import { rememberFailure } from './rememberFailure';
import type { CacheKeyParts, FailureRecord, LockOwner, RememberedFailure } from './types';
import { withFileLock } from './withFileLock';
import { writeCachedCredentials } from './writeCachedCredentials';

/**
 * Failures that asking again within FAILURE_MEMORY_SECONDS would only repeat. (An endpoint that
 * answers with expired credentials does so because of its clock or ours, which a minute does not fix.)
 */
const LASTING_FAILURES: ReadonlySet<CredentialsErrorKind> = new Set<CredentialsErrorKind>([
  'access-denied',
  'validation',
  'account-mismatch',
  'expired-credentials',
]);

export interface SingleFlightInit {
  store: FileStore;
  parts: CacheKeyParts;
  minTtlSeconds: number;
  /** Asks AWS. Called at most once per key across all processes sharing the store, while no good entry exists. */
  obtain: () => Promise<AwsCredentials>;
  /** Clock, epoch milliseconds (default Date.now). */
  now?: () => number;
  /** Default LOCK_WAIT_MS. */
  lockWaitMs?: number;
  /** Default LOCK_STALE_MS. */
  lockStaleMs?: number;
  /** Told when the cache could not be written; the credentials are returned anyway. */
  warn?: (message: string) => void;
  /** Told once when another process is already obtaining this credential. */
  onLockWait?: (holder: LockOwner | undefined) => void;
}

export interface SingleFlightResult {
  credentials: AwsCredentials;
  /** False only when this call asked AWS itself. */
  cacheHit: boolean;
}

/**
 * Cached credentials for `parts`, or credentials from `obtain()`, such that any number of parallel
 * callers (processes) for one key make one `obtain()` call: the first takes the key's lock, the
 * others wait and read what it stored. A failure is shared the same way: its waiters get the same
 * CredentialsError, and AccessDenied-like failures are remembered for FAILURE_MEMORY_SECONDS.
 * Throws what `obtain` throws, or CacheError when the lock cannot be had.
 */
export async function singleFlight(init: SingleFlightInit): Promise<SingleFlightResult> {
  const { store, parts, minTtlSeconds } = init;
  const now = init.now ?? Date.now;
  const key = cacheKey(parts);
  const startedAt = now();

  /** The answer already on disk, if any. With `waitingSince`, also the outcome of the attempt waited on. */
  const lookUp = (waitingSince?: number): SingleFlightResult | undefined => {
    const options = { minTtlSeconds, now: now(), ...(waitingSince === undefined ? {} : { obtainedSince: waitingSince }) };
    const credentials = readCachedCredentials(store, key, options);
    if (credentials !== undefined) return { credentials, cacheHit: true };
    const failure = readRememberedFailure(store, key, now(), waitingSince);
    if (failure !== undefined) throw toCredentialsError(failure, now());
    return undefined;
  };

  const cached = lookUp();
  if (cached !== undefined) return cached;

  return withFileLock(
    store.lockPath(key.id),
    async () => {
      // The previous holder may have finished between our look and our taking the lock.
      const answered = lookUp(startedAt);
      if (answered !== undefined) return answered;
      const credentials = await obtainSharingFailure(init, key, now);
      try {
        writeCachedCredentials(store, parts, credentials, now());
      } catch (error) {
        if (!(error instanceof CacheError)) throw error;
        init.warn?.(`${error.message} Parallel callers will ask AWS themselves.`);
      }
      return { credentials, cacheHit: false };
    },
    {
      waitMs: init.lockWaitMs ?? LOCK_WAIT_MS,
      staleMs: init.lockStaleMs ?? LOCK_STALE_MS,
      now,
      whileWaiting: () => lookUp(startedAt),
      ...(init.onLockWait === undefined ? {} : { onWait: init.onLockWait }),
    },
  );
}

/**
 * `obtain()`, recording a CredentialsError before rethrowing it. Every failure is shared with the
 * callers waiting on this attempt (otherwise each would retry in turn, holding the rest off,
 * when STS is unreachable); only lasting ones are shared with later callers.
 */
async function obtainSharingFailure(init: SingleFlightInit, key: CacheKey, now: () => number): Promise<AwsCredentials> {
  try {
    return await init.obtain();
  } catch (error) {
    if (error instanceof CredentialsError) {
      const failure: RememberedFailure = {
        kind: error.kind,
        message: error.message,
        hint: error.hint,
        roleArn: error.roleArn,
        baseIdentity: error.baseIdentity,
        retryable: error.retryable,
      };
      const lasting = !error.retryable && LASTING_FAILURES.has(error.kind);
      try {
        rememberFailure(init.store, key, failure, now(), lasting ? 'everyone' : 'waiters');
      } catch (cacheError) {
        if (!(cacheError instanceof CacheError)) throw cacheError;
        init.warn?.(`${cacheError.message} Parallel callers will ask AWS themselves.`);
      }
    }
    throw error;
  }
}

/**
 * The remembered failure as an error. One shared with every caller says that it is a replay, so
 * a user who has just fixed the trust policy knows why it still fails and how not to wait.
 */
function toCredentialsError(failure: FailureRecord, now: number): CredentialsError {
  const options: CredentialsErrorOptions = { kind: failure.kind, retryable: failure.retryable };
  const replay =
    failure.audience === 'everyone'
      ? `(rolemap remembered this answer from ${Math.max(0, Math.round((now - failure.failedAt) / 1000))}s ago and asks STS again ${FAILURE_MEMORY_SECONDS}s after it; run \`rolemap cache clear\` to ask at once.)`
      : undefined;
  const hint = [failure.hint, replay].filter((part) => part !== undefined).join(' ');
  if (hint !== '') options.hint = hint;
  if (failure.roleArn !== undefined) options.roleArn = failure.roleArn;
  if (failure.baseIdentity !== undefined) options.baseIdentity = failure.baseIdentity;
  return new CredentialsError(failure.message, options);
}
