import * as fs from 'node:fs';
import * as path from 'node:path';

import { cacheKey } from '../../src/cache/cacheKey';
import type { CacheKey } from '../../src/cache/cacheKey';
import type { FileStore } from '../../src/cache/createFileStore';
import { readCacheState } from '../../src/cache/readCacheState';
import { CREDENTIALS_NAMESPACE } from '../../src/cache/types';
import { writeCachedCredentials } from '../../src/cache/writeCachedCredentials';
import { makeCredentials, makeParts, makeTempCache, NOW, type TempCache } from './fixtures/cacheFixtures';

const MIN_TTL = 900;

/** The credentials that `credentials` would use: those readCacheState judges fresh. */
function readCachedCredentials(store: FileStore, key: CacheKey, options: { minTtlSeconds: number; now: number; obtainedSince?: number }) {
  const { minTtlSeconds, now, obtainedSince } = options;
  const state = readCacheState(store, key, { minTtlSeconds, now, ...(obtainedSince === undefined ? {} : { waitingSince: obtainedSince }) });
  return state.status === 'fresh' ? state.credentials : undefined;
}

describe('readCacheState: fresh credentials', () => {
  let cache: TempCache;
  const parts = makeParts();
  const key = cacheKey(parts);

  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  function entryFile(): string {
    return path.join(cache.dir, `credentials-${key.id}.json`);
  }

  it('returns what writeCachedCredentials stored, in a 0600 file in a 0700 directory', () => {
    const credentials = makeCredentials();
    expect(writeCachedCredentials(cache.store, parts, credentials, NOW)).toBe(key.id);
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(credentials);
    expect(fs.statSync(entryFile()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache.dir).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['more than min_ttl left', MIN_TTL + 1, true],
    ['exactly min_ttl left', MIN_TTL, false],
    ['less than min_ttl left', MIN_TTL - 1, false],
    ['expired', -10, false],
  ])('with %s: hit is %s', (_case, secondsLeft, hit) => {
    const credentials = makeCredentials({ expiration: new Date(NOW + secondsLeft * 1000).toISOString() });
    // Obtained an hour of life ago, as a role that grants an hour gives it.
    writeCachedCredentials(cache.store, parts, credentials, NOW + secondsLeft * 1000 - 3600_000);
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(hit ? credentials : undefined);
  });

  it('misses on a truncated entry, and the next write repairs it', () => {
    writeCachedCredentials(cache.store, parts, makeCredentials(), NOW);
    fs.truncateSync(entryFile(), 100);
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toBeUndefined();
    writeCachedCredentials(cache.store, parts, makeCredentials(), NOW);
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(makeCredentials());
  });

  function validEntry(): Record<string, unknown> {
    return { version: 1, parts: { ...parts }, credentials: makeCredentials(), obtainedAt: new Date(NOW).toISOString() };
  }

  it.each<[string, (entry: Record<string, unknown>) => unknown]>([
    ['not an object', () => ['credentials']],
    ['another version', (entry) => ({ ...entry, version: 2 })],
    ['no credentials', (entry) => ({ ...entry, credentials: undefined })],
    ['no session token', (entry) => ({ ...entry, credentials: { ...makeCredentials(), sessionToken: undefined } })],
    ['an empty secret', (entry) => ({ ...entry, credentials: makeCredentials({ secretAccessKey: '' }) })],
    ['an expiration that is not a date', (entry) => ({ ...entry, credentials: makeCredentials({ expiration: 'soon' }) })],
    ['a numeric access key id', (entry) => ({ ...entry, credentials: { ...makeCredentials(), accessKeyId: 42 } })],
    ['no parts', (entry) => ({ ...entry, parts: undefined })],
    ['tags of the wrong shape', (entry) => ({ ...entry, parts: { ...parts, tags: [{ Key: 'a' }] } })],
    ['a duration as a string', (entry) => ({ ...entry, parts: { ...parts, durationSeconds: '3600' } })],
    ['parts of another key', (entry) => ({ ...entry, parts: { ...parts, roleArn: 'arn:aws:iam::111111111111:role/other' } })],
    ['no obtainedAt', (entry) => ({ ...entry, obtainedAt: undefined })],
  ])('misses on an entry with %s', (_case, spoil) => {
    cache.store.write(CREDENTIALS_NAMESPACE, key.id, spoil(validEntry()));
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toBeUndefined();
  });

  it('hits on the untouched valid entry that the table above spoils', () => {
    cache.store.write(CREDENTIALS_NAMESPACE, key.id, validEntry());
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(makeCredentials());
  });

  it('never answers for another key that shares the file name (an id collision)', () => {
    // File ids are a fast, non-cryptographic hash; a collision must cost a miss, never credentials
    // for the wrong role. Simulated here: the prod role's key text, with the dev entry's file id.
    const prod = cacheKey(makeParts({ roleArn: 'arn:aws:iam::333333333333:role/admin', accountId: '333333333333' }));
    writeCachedCredentials(cache.store, parts, makeCredentials(), NOW);
    expect(readCachedCredentials(cache.store, { id: key.id, text: prod.text }, { minTtlSeconds: MIN_TTL, now: NOW })).toBeUndefined();
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(makeCredentials());
  });

  it('misses on a symbolic link to a valid entry', () => {
    writeCachedCredentials(cache.store, parts, makeCredentials(), NOW);
    const moved = path.join(cache.dir, '..', 'moved.json');
    fs.renameSync(entryFile(), moved);
    fs.symlinkSync(moved, entryFile());
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toBeUndefined();
    expect(cache.refused.map((r) => r.reason)).toStrictEqual(['symlink']);
  });

  it('stores only the key parts and the credential, even from a wider object', () => {
    const wider = { ...parts, webIdentityToken: 'OIDC-TOKEN-must-not-be-stored' };
    writeCachedCredentials(cache.store, wider, makeCredentials(), NOW);
    expect(fs.readFileSync(entryFile(), 'utf8')).not.toContain('OIDC-TOKEN');
    expect(readCachedCredentials(cache.store, key, { minTtlSeconds: MIN_TTL, now: NOW })).toStrictEqual(makeCredentials());
  });
});

describe('readCacheState with waitingSince', () => {
  let cache: TempCache;
  const parts = makeParts();
  const key = cacheKey(parts);

  beforeEach(() => {
    cache = makeTempCache();
    // Obtained at NOW with only 600 s of life: less than min_ttl.
    writeCachedCredentials(cache.store, parts, makeCredentials({ expiration: new Date(NOW + 600_000).toISOString() }), NOW);
  });
  afterEach(() => cache.cleanup());

  it.each<[string, number | undefined, number, boolean]>([
    ['no waiting, within the wave (under a minute after it was obtained)', undefined, NOW + 1000, true],
    ['no waiting, after the wave', undefined, NOW + 61_000, false],
    ['waiting since before it was obtained, after the wave', NOW - 1, NOW + 61_000, true],
    ['waiting since after it was obtained, after the wave', NOW + 1, NOW + 61_000, false],
    ['waiting since before it was obtained, but expired', NOW - 1, NOW + 600_000, false],
  ])('with %s: hit is %s', (_case, obtainedSince, now, hit) => {
    const options = { minTtlSeconds: MIN_TTL, now, ...(obtainedSince === undefined ? {} : { obtainedSince }) };
    expect(readCachedCredentials(cache.store, key, options) !== undefined).toBe(hit);
  });
});
