import {
  CREDENTIALS_DEADLINE_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_ATTEMPTS,
  RETRY_MAX_DELAY_MS,
} from '../constants';
import { CredentialsError } from '../errors';

/** What each attempt is told. */
export interface Attempt {
  /** 1 for the first try. */
  number: number;
  /** Aborts when the overall deadline passes; hand it to the request so it cannot outlive the deadline. */
  signal: AbortSignal;
}

export interface RetryOptions {
  /** Waits between attempts; defaults to setTimeout. Tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Epoch milliseconds; defaults to Date.now. */
  now?: () => number;
  /** Overall budget, retries and waits included. Default CREDENTIALS_DEADLINE_MS. */
  deadlineMs?: number;
  /** Attempts in all, the first included. Default RETRY_MAX_ATTEMPTS. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Told of each retry before its wait, for logging. */
  onRetry?: (error: CredentialsError, attempt: number, delayMs: number) => void;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `fn` until it succeeds, retrying only a CredentialsError whose `retryable` is true
 * (throttling, 5xx, network, timeouts). Waits `random() * min(maxDelay, base * 2^(n-1))` after
 * the n-th failure ("full jitter"), and stops at `maxAttempts` or when the next wait would pass
 * the deadline. Giving up rethrows the last error with the number of attempts in its message.
 * Anything other than a CredentialsError is rethrown at once.
 */
export async function withRetries<T>(fn: (attempt: Attempt) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const deadlineMs = options.deadlineMs ?? CREDENTIALS_DEADLINE_MS;
  const maxAttempts = Math.max(1, options.maxAttempts ?? RETRY_MAX_ATTEMPTS);
  const baseDelayMs = options.baseDelayMs ?? RETRY_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? RETRY_MAX_DELAY_MS;

  const deadlineAt = now() + deadlineMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  timer.unref();
  try {
    for (let number = 1; ; number += 1) {
      try {
        return await fn({ number, signal: deadline.signal });
      } catch (error) {
        if (!(error instanceof CredentialsError) || !error.retryable) throw error;
        const delayMs = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (number - 1)));
        if (number >= maxAttempts || deadline.signal.aborted || now() + delayMs >= deadlineAt) {
          throw gaveUp(error, number);
        }
        options.onRetry?.(error, number, delayMs);
        await sleep(delayMs);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

function gaveUp(last: CredentialsError, attempts: number): CredentialsError {
  const options = {
    kind: last.kind,
    retryable: last.retryable,
    cause: last,
    ...(last.hint === undefined ? {} : { hint: last.hint }),
    ...(last.roleArn === undefined ? {} : { roleArn: last.roleArn }),
    ...(last.baseIdentity === undefined ? {} : { baseIdentity: last.baseIdentity }),
  };
  return new CredentialsError(`${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`, options);
}
