import * as fs from 'node:fs';
import { awaitCredentials } from '../../src/cache/awaitCredentials';
import { singleFlight } from '../../src/cache/singleFlight';
import { CredentialsError } from '../../src/errors';
import { makeCredentials, makeParts, makeTempCache, type TempCache } from './fixtures/cacheFixtures';

/** A call that cannot ask AWS itself, as a dependency fetch whose base keys were replaced. */
function await_(cache: TempCache, idleWaitMs: number): Promise<unknown> {
  return awaitCredentials({ store: cache.store, parts: makeParts(), minTtlSeconds: 900, idleWaitMs, pollMs: 10 }).catch((error: unknown) => error);
}

/** Another process with base credentials: it takes the key's lock and obtains after `ms`. */
function obtainingCall(cache: TempCache, ms: number, outcome: () => ReturnType<typeof makeCredentials>): Promise<unknown> {
  const obtain = (): Promise<ReturnType<typeof makeCredentials>> => new Promise((resolve, reject) => setTimeout(() => {
    try {
      resolve(outcome());
    } catch (error) {
      reject(error);
    }
  }, ms));
  return singleFlight({ store: cache.store, parts: makeParts(), minTtlSeconds: 900, obtain }).catch((error: unknown) => error);
}

describe('awaitCredentials: a call that can only read what another call obtains', () => {
  let cache: TempCache;
  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  it('gives up when no call obtains the credential, leaving no lock and no failure behind', async () => {
    expect(await await_(cache, 100)).toBeUndefined();
    expect(fs.readdirSync(cache.dir)).toStrictEqual([]);
  });

  it('waits past its idle limit while another call holds the lock, and answers with what that call obtained', async () => {
    const waiting = await_(cache, 150);
    const other = obtainingCall(cache, 600, () => makeCredentials({ accessKeyId: 'ASIAOBTAINEDBYOTHER1' }));
    expect(await waiting).toMatchObject({ accessKeyId: 'ASIAOBTAINEDBYOTHER1' });
    expect(await other).toMatchObject({ cacheHit: false });
  });

  it('answers with the failure of the attempt it waited on, as a waiter on the lock would', async () => {
    const waiting = await_(cache, 150);
    const throttled = new CredentialsError('STS throttled the call.', { kind: 'throttled', retryable: true, roleArn: makeParts().roleArn });
    await obtainingCall(cache, 100, () => {
      throw throttled;
    });
    expect(await waiting).toMatchObject({ name: 'CredentialsError', kind: 'throttled', message: 'STS throttled the call.' });
  });
});
