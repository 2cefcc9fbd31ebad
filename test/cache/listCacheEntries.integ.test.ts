import * as fs from 'node:fs';
import * as path from 'node:path';

import { cacheKey } from '../../src/cache/cacheKey';
import { clearCache } from '../../src/cache/clearCache';
import { listCacheEntries } from '../../src/cache/listCacheEntries';
import { rememberFailure } from '../../src/cache/rememberFailure';
import { writeCachedCredentials } from '../../src/cache/writeCachedCredentials';
import { makeCredentials, makeParts, makeTempCache, NOW, type TempCache } from './fixtures/cacheFixtures';

const SECRETS = ['SECRET-fixture-secret-access-key', 'TOKEN-fixture-session-token', 'SECRET-plan', 'TOKEN-plan'];

describe('listCacheEntries', () => {
  let cache: TempCache;
  const deploy = makeParts();
  const plan = makeParts({ roleArn: 'arn:aws:iam::111111111111:role/plan', sessionName: 'rolemap-plan', authKind: 'sso', baseIdentity: 'sso:alice' });
  const denied = makeParts({ roleArn: 'arn:aws:iam::222222222222:role/admin', accountId: '222222222222' });

  beforeEach(() => {
    cache = makeTempCache();
    writeCachedCredentials(cache.store, deploy, makeCredentials(), NOW);
    writeCachedCredentials(
      cache.store,
      plan,
      makeCredentials({ secretAccessKey: 'SECRET-plan', sessionToken: 'TOKEN-plan', expiration: '2029-12-31T23:00:00.000Z' }),
      NOW,
    );
    rememberFailure(
      cache.store,
      cacheKey(denied),
      { kind: 'access-denied', message: 'denied', hint: undefined, roleArn: denied.roleArn, baseIdentity: 'profile:dev', retryable: false },
      NOW - 20_000,
    );
  });
  afterEach(() => cache.cleanup());

  it('lists valid, expired and failing entries, sorted by role, without secrets', () => {
    const listed = listCacheEntries(cache.store, NOW);
    expect(listed).toStrictEqual([
      {
        status: 'valid',
        key: cacheKey(deploy).id.slice(0, 12),
        roleArn: deploy.roleArn,
        accountId: '111111111111',
        sessionName: 'rolemap-alice',
        authKind: 'assume',
        baseIdentity: 'profile:dev',
        expiration: '2030-01-01T01:00:00.000Z',
        expiresInSeconds: 3600,
      },
      {
        status: 'expired',
        key: cacheKey(plan).id.slice(0, 12),
        roleArn: plan.roleArn,
        accountId: '111111111111',
        sessionName: 'rolemap-plan',
        authKind: 'sso',
        baseIdentity: 'sso:alice',
        expiration: '2029-12-31T23:00:00.000Z',
        expiresInSeconds: -3600,
      },
      {
        status: 'failing',
        key: cacheKey(denied).id.slice(0, 12),
        kind: 'access-denied',
        roleArn: denied.roleArn,
        baseIdentity: 'profile:dev',
        expiresInSeconds: 40,
      },
    ]);
    const text = JSON.stringify(listed);
    expect(SECRETS.filter((secret) => text.includes(secret))).toStrictEqual([]);
  });

  it('lists an unusable entry as unreadable', () => {
    fs.truncateSync(path.join(cache.dir, `credentials-${cacheKey(deploy).id}.json`), 10);
    expect(listCacheEntries(cache.store, NOW).filter((entry) => entry.status === 'unreadable')).toStrictEqual([
      { status: 'unreadable', key: cacheKey(deploy).id.slice(0, 12) },
    ]);
  });

  it("lists an entry copied onto another key's file as unreadable, not as that file's role", () => {
    const other = cacheKey(denied).id;
    fs.copyFileSync(path.join(cache.dir, `credentials-${cacheKey(deploy).id}.json`), path.join(cache.dir, `credentials-${other}.json`));
    const listed = listCacheEntries(cache.store, NOW).filter((entry) => entry.key === other.slice(0, 12));
    expect(listed).toContainEqual({ status: 'unreadable', key: other.slice(0, 12) });
    expect(listed.filter((entry) => entry.status === 'valid')).toStrictEqual([]);
  });
});

describe('clearCache', () => {
  let cache: TempCache;

  beforeEach(() => {
    cache = makeTempCache();
  });
  afterEach(() => cache.cleanup());

  it('removes entries, failures, locks and leftovers, directories under rolemap names included, and nothing else', () => {
    const key = cacheKey(makeParts());
    writeCachedCredentials(cache.store, makeParts(), makeCredentials(), NOW);
    rememberFailure(cache.store, key, { kind: 'validation', message: 'bad', hint: undefined, roleArn: undefined, baseIdentity: undefined, retryable: false }, NOW);
    cache.store.write('config', 'd'.repeat(64), { compiled: true });
    const leftovers = [path.basename(cache.store.lockPath(key.id)), `lock-${key.id}.breaking-00ff`, `credentials-${key.id}.json.tmp-abcdef`];
    for (const name of leftovers) fs.writeFileSync(path.join(cache.dir, name), '');
    fs.writeFileSync(path.join(cache.dir, 'notes.txt'), 'mine');
    // Directories under rolemap names: one in an entry's place, and what breaking a directory lock left behind.
    fs.mkdirSync(path.join(cache.dir, `config-${'e'.repeat(64)}.json`));
    fs.mkdirSync(path.join(cache.dir, `lock-${'e'.repeat(64)}.breaking-0a1b`, 'inside'), { recursive: true });
    fs.mkdirSync(path.join(cache.dir, 'my-notes'));

    expect(clearCache(cache.store)).toBe(8);
    expect(fs.readdirSync(cache.dir).sort()).toStrictEqual(['my-notes', 'notes.txt']);
    expect(listCacheEntries(cache.store, NOW)).toStrictEqual([]);
  });

  it('counts nothing in an empty or missing directory', () => {
    expect(clearCache(cache.store)).toBe(0);
    fs.rmSync(cache.dir, { recursive: true });
    expect(clearCache(cache.store)).toBe(0);
  });
});
