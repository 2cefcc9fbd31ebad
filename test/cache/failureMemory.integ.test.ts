import { FAILURE_MEMORY_SECONDS } from '../../src/constants';
import { cacheKey } from '../../src/cache/cacheKey';
import { readRememberedFailure } from '../../src/cache/readRememberedFailure';
import { rememberFailure } from '../../src/cache/rememberFailure';
import { singleFlight } from '../../src/cache/singleFlight';
import type { RememberedFailure } from '../../src/cache/types';
import { CredentialsError, type CredentialsErrorKind } from '../../src/errors';
import { lockWaiters, makeCredentials, makeParts, makeTempCache, NOW, type TempCache } from './fixtures/cacheFixtures';

const ROLE = 'arn:aws:iam::111111111111:role/deploy';

function deniedError(kind: CredentialsErrorKind = 'access-denied', retryable = false): CredentialsError {
  return new CredentialsError(`Could not assume ${ROLE}: access denied.`, {
    kind,
    roleArn: ROLE,
    baseIdentity: 'arn:aws:iam::999999999999:user/alice',
    hint: 'Check the trust policy of the role.',
    retryable,
  });
}

/** What a caller can see of a CredentialsError. */
function visible(error: unknown): unknown {
  if (!(error instanceof CredentialsError)) return error;
  return { kind: error.kind, message: error.message, hint: error.hint, roleArn: error.roleArn, baseIdentity: error.baseIdentity, retryable: error.retryable };
}

describe('singleFlight', () => {
  let cache: TempCache;
  const parts = makeParts();

  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  async function callAt(now: number, obtain: () => Promise<ReturnType<typeof makeCredentials>>): Promise<unknown> {
    return singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, now: () => now }).catch((error: unknown) => error);
  }

  it.each<CredentialsErrorKind>(['access-denied', 'validation', 'account-mismatch'])(
    'rethrows a remembered %s failure without calling obtain',
    async (kind) => {
      const first = await callAt(NOW, async () => Promise.reject(deniedError(kind)));
      const obtain = jest.fn(async () => makeCredentials());
      const second = await callAt(NOW + 1000, obtain);
      expect(second).toBeInstanceOf(CredentialsError);
      // The same error, with a note that it is a replay and how to skip the wait.
      expect(visible(second)).toStrictEqual({
        ...(visible(first) as object),
        hint:
          'Check the trust policy of the role. (rolemap remembered this answer from 1s ago and asks STS again 60s after it; ' +
          'run `rolemap cache clear` to ask at once.)',
      });
      expect(obtain).not.toHaveBeenCalled();
    },
  );

  it('asks again once FAILURE_MEMORY_SECONDS have passed', async () => {
    await callAt(NOW, async () => Promise.reject(deniedError()));
    const obtain = jest.fn(async () => makeCredentials());
    const later = await callAt(NOW + FAILURE_MEMORY_SECONDS * 1000, obtain);
    expect([later, obtain.mock.calls.length]).toStrictEqual([{ credentials: makeCredentials(), cacheHit: false }, 1]);
  });

  it.each<[CredentialsErrorKind, boolean]>([
    ['throttled', true],
    ['network', true],
    ['expired-token', false],
    ['sso-login-required', false],
  ])('does not hold a %s failure against later callers', async (kind, retryable) => {
    await callAt(NOW, async () => Promise.reject(deniedError(kind, retryable)));
    const obtain = jest.fn(async () => makeCredentials());
    await expect(callAt(NOW + 1000, obtain)).resolves.toStrictEqual({ credentials: makeCredentials(), cacheHit: false });
  });

  it('does not hold a waiters-only failure against a call that starts in the same millisecond but never waits', async () => {
    // Found beside CPU hogs: a call started in the millisecond another's attempt timed out was
    // answered with that timeout, though it had waited on nothing.
    await callAt(NOW, async () => Promise.reject(deniedError('network', true)));
    const obtain = jest.fn(async () => makeCredentials());
    await expect(callAt(NOW, obtain)).resolves.toStrictEqual({ credentials: makeCredentials(), cacheHit: false });
    expect(obtain).toHaveBeenCalledTimes(1);
  });

  it('gives callers that were waiting on a failed attempt its error, even a retryable one, without more calls', async () => {
    let calls = 0;
    const { onLockWait, allWaiting } = lockWaiters(4);
    const obtain = async (): Promise<ReturnType<typeof makeCredentials>> => {
      calls += 1;
      await allWaiting;
      throw deniedError('network', true);
    };
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => singleFlight({ store: cache.store, parts, minTtlSeconds: 900, obtain, onLockWait }).catch((error: unknown) => visible(error))),
    );
    expect(calls).toBe(1);
    expect(outcomes).toStrictEqual(Array.from({ length: 5 }, () => visible(deniedError('network', true))));
  });
});

describe('readRememberedFailure', () => {
  let cache: TempCache;
  const key = cacheKey(makeParts());
  const failure: RememberedFailure = {
    kind: 'access-denied',
    message: 'denied',
    hint: undefined,
    roleArn: ROLE,
    baseIdentity: undefined,
    retryable: false,
  };

  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  it('does not answer for another key that shares the file name (an id collision)', () => {
    rememberFailure(cache.store, key, failure, NOW);
    const other = cacheKey(makeParts({ roleArn: 'arn:aws:iam::111111111111:role/other' }));
    expect(readRememberedFailure(cache.store, { id: key.id, text: other.text }, NOW)).toBeUndefined();
  });

  it.each<[string, number, number | undefined, boolean]>([
    ['everyone, fresh', 0, undefined, true],
    ['everyone, one second before expiry', FAILURE_MEMORY_SECONDS * 1000 - 1000, undefined, true],
    ['everyone, expired', FAILURE_MEMORY_SECONDS * 1000, undefined, false],
    ['everyone, from the future', -5000, undefined, false],
  ])('for %s: found is %s', (_case, age, waitingSince, found) => {
    rememberFailure(cache.store, key, failure, NOW);
    const read = readRememberedFailure(cache.store, key, NOW + age, waitingSince);
    expect(read).toStrictEqual(found ? { ...failure, version: 1, key: key.text, failedAt: NOW, audience: 'everyone' } : undefined);
  });

  it.each<[string, number | undefined, boolean]>([
    ['a caller that was not waiting', undefined, false],
    ['a caller that began waiting before the failure', NOW - 1, true],
    ['a caller that began waiting after the failure', NOW + 1, false],
    ['a caller that began waiting in the millisecond of the failure', NOW, true],
  ])("answers a waiters-only failure to %s: %s", (_case, waitingSince, found) => {
    rememberFailure(cache.store, key, failure, NOW, 'waiters');
    expect(readRememberedFailure(cache.store, key, NOW + 10, waitingSince) !== undefined).toBe(found);
  });

  it('treats a record of the wrong shape as none', () => {
    cache.store.write('failure', key.id, { version: 1, key: key.text, kind: 'no-such-kind', message: 'x', retryable: false, failedAt: NOW, audience: 'everyone' });
    expect(readRememberedFailure(cache.store, key, NOW)).toBeUndefined();
  });
});
