import { cacheKey } from '../../src/cache/cacheKey';
import type { CacheKeyParts } from '../../src/cache/types';
import { makeParts } from './fixtures/cacheFixtures';

describe('cacheKey', () => {
  it('names files with 64 hex digits, and keeps the full key text', () => {
    const key = cacheKey(makeParts());
    expect(key.id).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(key.text)).toContain(makeParts().roleArn);
  });

  it('does not depend on the order of fields or of tags', () => {
    const tagged = makeParts({ tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'prod' }] });
    const reordered: CacheKeyParts = {
      endpoint: tagged.endpoint,
      durationSeconds: tagged.durationSeconds,
      baseIdentity: tagged.baseIdentity,
      authKind: tagged.authKind,
      tags: [{ Value: 'prod', Key: 'env' }, { Value: 'a', Key: 'team' }],
      sourceIdentity: tagged.sourceIdentity,
      externalId: tagged.externalId,
      sessionName: tagged.sessionName,
      roleArn: tagged.roleArn,
      accountId: tagged.accountId,
      partition: tagged.partition,
    };
    expect(cacheKey(reordered)).toStrictEqual(cacheKey(tagged));
  });

  it.each<[string, Partial<CacheKeyParts>]>([
    ['partition', { partition: 'aws-cn' }],
    ['accountId', { accountId: '222222222222' }],
    ['roleArn', { roleArn: 'arn:aws:iam::111111111111:role/plan' }],
    ['sessionName', { sessionName: 'rolemap-bob' }],
    ['externalId', { externalId: 'ext-1' }],
    ['externalId empty rather than absent', { externalId: '' }],
    ['sourceIdentity', { sourceIdentity: 'alice' }],
    ['tags', { tags: [{ Key: 'team', Value: 'a' }] }],
    ['authKind', { authKind: 'sso' }],
    ['baseIdentity', { baseIdentity: 'profile:prod' }],
    ['durationSeconds', { durationSeconds: 900 }],
    ['endpoint', { endpoint: 'http://127.0.0.1:4566' }],
  ])('changes when %s changes', (_field, change) => {
    expect(cacheKey(makeParts(change)).id).not.toBe(cacheKey(makeParts()).id);
  });

  it.each<[string, CacheKeyParts['tags'], CacheKeyParts['tags']]>([
    ['a tag value', [{ Key: 'team', Value: 'a' }], [{ Key: 'team', Value: 'b' }]],
    ['a value moved to another key', [{ Key: 'a', Value: 'x' }, { Key: 'b', Value: 'y' }], [{ Key: 'a', Value: 'y' }, { Key: 'b', Value: 'x' }]],
  ])('changes when %s changes', (_what, tagsA, tagsB) => {
    expect(cacheKey(makeParts({ tags: tagsA })).id).not.toBe(cacheKey(makeParts({ tags: tagsB })).id);
  });
});
