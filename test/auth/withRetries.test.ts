import { CredentialsError, type CredentialsErrorKind } from '../../src/errors';
import { withRetries, type RetryOptions } from '../../src/auth/withRetries';

function failure(kind: CredentialsErrorKind, retryable: boolean): CredentialsError {
  return new CredentialsError(`Could not assume arn:aws:iam::111111111111:role/x as env:AKIA: ${kind}`, {
    kind,
    retryable,
    roleArn: 'arn:aws:iam::111111111111:role/x',
    baseIdentity: 'env:AKIA',
  });
}

/** A fake clock that sleeping moves forward, so deadlines are exact. */
function fakeTime(random = 0.5): Required<Pick<RetryOptions, 'sleep' | 'now' | 'random'>> & { slept: number[] } {
  let clock = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => clock,
    random: () => random,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  };
}

/** Fails with `errors` in turn, then answers 'ok'. */
function flaky(errors: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fn: async () => {
      const error = errors[calls];
      calls += 1;
      if (error !== undefined) throw error;
      return 'ok';
    },
  };
}

describe('withRetries', () => {
  it('backs off with full jitter, doubling from 100 ms and capped at 3 s', async () => {
    const time = fakeTime(0.5);
    const { fn, calls } = flaky(Array.from({ length: 7 }, () => failure('throttled', true)));
    await expect(withRetries(fn, { ...time, maxAttempts: 8 })).resolves.toBe('ok');
    expect(time.slept).toStrictEqual([50, 100, 200, 400, 800, 1500, 1500]);
    expect(calls()).toBe(8);
  });

  it.each([
    [0, [0, 0, 0]],
    [0.999, [99, 199, 399]],
  ])('scales every wait by random() = %p', async (random, expected) => {
    const time = fakeTime(random);
    const { fn } = flaky([failure('server', true), failure('network', true), failure('timeout', true)]);
    await expect(withRetries(fn, time)).resolves.toBe('ok');
    expect(time.slept).toStrictEqual(expected);
  });

  it('gives up after maxAttempts with the last error, saying how many attempts were made', async () => {
    const time = fakeTime(1);
    const { fn, calls } = flaky([failure('throttled', true), failure('throttled', true), failure('server', true)]);
    const error = await withRetries(fn, { ...time, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      kind: 'server',
      retryable: true,
      roleArn: 'arn:aws:iam::111111111111:role/x',
      baseIdentity: 'env:AKIA',
      message: 'Could not assume arn:aws:iam::111111111111:role/x as env:AKIA: server (gave up after 3 attempts)',
    });
    expect(calls()).toBe(3);
    expect(time.slept).toStrictEqual([100, 200]);
  });

  it('stops when the next wait would pass the deadline', async () => {
    const time = fakeTime(1);
    const { fn, calls } = flaky(Array.from({ length: 10 }, () => failure('throttled', true)));
    const error = await withRetries(fn, { ...time, deadlineMs: 1000 }).catch((e: unknown) => e);
    // 100 + 200 + 400 = 700 ms waited; the next 800 ms wait would end past 1000 ms.
    expect(time.slept).toStrictEqual([100, 200, 400]);
    expect(calls()).toBe(4);
    expect((error as CredentialsError).message).toMatch(/\(gave up after 4 attempts\)$/);
  });

  it.each<[string, Error]>([
    ['a non-retryable CredentialsError', failure('access-denied', false)],
    ['any other error', new TypeError('bug')],
  ])('rethrows %s at once, unchanged', async (_, thrown) => {
    const time = fakeTime();
    const { fn, calls } = flaky([thrown]);
    await expect(withRetries(fn, time)).rejects.toBe(thrown);
    expect(calls()).toBe(1);
    expect(time.slept).toStrictEqual([]);
  });

  it('hands each attempt its number and the deadline signal, and reports retries', async () => {
    const time = fakeTime(1);
    const seen: Array<[number, boolean]> = [];
    const retries: Array<[CredentialsErrorKind, number, number]> = [];
    const result = await withRetries(
      async ({ number, signal }) => {
        seen.push([number, signal.aborted]);
        if (number < 3) throw failure('timeout', true);
        return number;
      },
      { ...time, onRetry: (error, attempt, delayMs) => retries.push([error.kind, attempt, delayMs]) },
    );
    expect(result).toBe(3);
    expect(seen).toStrictEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(retries).toStrictEqual([
      ['timeout', 1, 100],
      ['timeout', 2, 200],
    ]);
  });
});
