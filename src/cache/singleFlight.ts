import type { AwsCredentials } from '../AwsCredentials';
import { CREDENTIALS_DEADLINE_MS, FAILURE_MEMORY_SECONDS, LOCK_STALE_MS, LOCK_WAIT_MS } from '../constants';
import { CacheError, CredentialsError, type CredentialsErrorKind, type CredentialsErrorOptions } from '../errors';
import { cacheKey, type CacheKey } from './cacheKey';
import type { FileStore } from './createFileStore';
import { describeLockHolder } from './describeLockHolder';
import { readCacheState } from './readCacheState';
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
  /** Bounds the whole of `obtain()`; default CREDENTIALS_DEADLINE_MS. Must stay below lockStaleMs. */
  deadlineMs?: number;
  /** Told, once per call, when the cache could not be used; and when a lock wait is slow, who holds it. */
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
 *
 * `obtain()` is raced against `deadlineMs`, so no holder keeps the lock as long as waiters take to
 * judge it stale. When the cache cannot be used (no lock can be made: a full or read-only disk,
 * something odd in the way), the call still answers, by `obtain()` without the cache, and warns once.
 * Throws what `obtain` throws, or CredentialsError `timeout` past the deadline.
 */
export async function singleFlight(init: SingleFlightInit): Promise<SingleFlightResult> {
  const { store, parts, minTtlSeconds } = init;
  const now = init.now ?? Date.now;
  const key = cacheKey(parts);
  const startedAt = now();
  let warned = false;
  // One cache warning per call: the first says what is wrong; the rest would only repeat it.
  const warnOnce = (message: string): void => {
    if (warned) return;
    warned = true;
    init.warn?.(message);
  };
  const guarded: SingleFlightInit = { ...init, warn: warnOnce };

  /** The answer already on disk, if any. With `waitingSince`, also the outcome of the attempt waited on. */
  const lookUp = (waitingSince?: number): SingleFlightResult | undefined => {
    const state = readCacheState(store, key, { minTtlSeconds, now: now(), ...(waitingSince === undefined ? {} : { waitingSince }) });
    if (state.status === 'fresh') return { credentials: state.credentials, cacheHit: true };
    if (state.status === 'remembered-failure') throw toCredentialsError(state.failure, now());
    return undefined;
  };

  const cached = lookUp();
  if (cached !== undefined) return cached;

  let holding = false;
  // Whether this call ever found the lock held by another: only then was it waiting on another
  // attempt, whose failure (even one meant for waiters alone) is its answer. Times alone cannot
  // say it: a call that starts in the millisecond another's attempt fails looks like a waiter.
  let waited = false;
  try {
    return await withFileLock(
      store.lockPath(key.id),
      async () => {
        holding = true;
        // The previous holder may have finished between our look and our taking the lock.
        const answered = lookUp(waited ? startedAt : undefined);
        if (answered !== undefined) return answered;
        const credentials = await obtainSharingFailure(guarded, key, now);
        try {
          writeCachedCredentials(store, parts, credentials, now());
        } catch (error) {
          if (!(error instanceof CacheError)) throw error;
          warnOnce(`${error.message} Parallel callers will ask AWS themselves.`);
        }
        return { credentials, cacheHit: false };
      },
      {
        waitMs: init.lockWaitMs ?? LOCK_WAIT_MS,
        staleMs: init.lockStaleMs ?? LOCK_STALE_MS,
        now,
        whileWaiting: () => {
          waited = true;
          return lookUp(startedAt);
        },
        ...(init.onLockWait === undefined ? {} : { onWait: init.onLockWait }),
        onSlowWait: (notice) =>
          init.warn?.(
            `waited ${Math.round(notice.waitedMs / 1000)}s for another rolemap obtaining ${parts.roleArn}: the cache lock ${notice.lockPath} is held by ${describeLockHolder(notice.holder)}, ` +
              'which cannot be confirmed to be a rolemap at work (the lock names no owner, another host, or a time in the future); ' +
              `the lock is judged stale and broken in at most ${Math.ceil(notice.staleInMs / 1000)}s if it is not released.`,
          ),
      },
    );
  } catch (error) {
    // Only a lock that could not be had (or read) falls back; anything `obtain` threw stands.
    if (holding || !(error instanceof CacheError)) throw error;
    warnOnce(`not using the credential cache for this call: ${error.message} Asking AWS without it.`);
    return { credentials: await withDeadline(init, init.obtain), cacheHit: false };
  }
}

/**
 * `obtain()`, recording a CredentialsError before rethrowing it. Every failure is shared with the
 * callers waiting on this attempt (otherwise each would retry in turn, holding the rest off,
 * when STS is unreachable); only lasting ones are shared with later callers.
 */
async function obtainSharingFailure(init: SingleFlightInit, key: CacheKey, now: () => number): Promise<AwsCredentials> {
  try {
    return await withDeadline(init, init.obtain);
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
export function toCredentialsError(failure: FailureRecord, now: number): CredentialsError {
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

/**
 * `obtain()`, or CredentialsError `timeout` once `deadlineMs` has passed, whatever it waits on
 * (the base credential chain, an SSO refresh, STS). What it was doing is abandoned: the process
 * exits after answering, and the lock it held is released at once.
 */
async function withDeadline(init: SingleFlightInit, obtain: () => Promise<AwsCredentials>): Promise<AwsCredentials> {
  const deadlineMs = init.deadlineMs ?? CREDENTIALS_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new CredentialsError(`Gave up obtaining credentials for ${init.parts.roleArn} after ${Math.round(deadlineMs / 1000)}s (base credentials, SSO and STS together).`, {
          kind: 'timeout',
          retryable: true,
          roleArn: init.parts.roleArn,
          baseIdentity: init.parts.baseIdentity,
          hint: 'Check the network path to AWS (or the SSO portal) and that no credential_process or login prompt is hanging; then run the command again.',
        }),
      );
    }, deadlineMs);
  });
  try {
    return await Promise.race([obtain(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
