import { describeBaseIdentity } from '../../src/auth/describeBaseIdentity';
import { cacheKey } from '../../src/cache/cacheKey';
import { cacheKeyFields } from '../../src/cache/cacheKeyFields';
import { cacheKeyParts } from '../../src/cache/cacheKeyParts';
import { isCacheKeyParts } from '../../src/cache/isCacheKeyParts';
import type { CacheKeyParts } from '../../src/cache/types';
import type { Environment } from '../../src/resolve/types';
import { credentialRequest, type RequestOverrides } from '../auth/credentialRequest';

const ENV: Environment = { AWS_ACCESS_KEY_ID: 'AKIAKEYTABLEBASE0001', AWS_SECRET_ACCESS_KEY: 'not-in-any-key', AWS_REGION: 'us-east-1' };

/** One change to the request or its environment, and the key field it must show up in. */
interface Change {
  field: keyof CacheKeyParts;
  /** Other fields that follow from the same change (another auth kind asks as another identity). */
  also?: Array<keyof CacheKeyParts>;
  request?: RequestOverrides;
  env?: Environment;
}

/** At least one change per key field; the first test checks that the table covers every field. */
const CHANGES: Record<string, Change> = {
  partition: { field: 'partition', request: { partition: 'aws-us-gov' } },
  account: { field: 'accountId', request: { accountId: '444444444444', roleArn: 'arn:aws:iam::333333333333:role/terragrunt-apply' } },
  'role ARN': { field: 'roleArn', request: { roleArn: 'arn:aws:iam::333333333333:role/other' } },
  'session name': { field: 'sessionName', request: { sessionName: 'rolemap-bob' } },
  'external id': { field: 'externalId', request: { externalId: 'ext-1' } },
  'external id empty rather than absent': { field: 'externalId', request: { externalId: '' } },
  'source identity': { field: 'sourceIdentity', request: { sourceIdentity: 'alice' } },
  'a tag': { field: 'tags', request: { tags: [{ Key: 'team', Value: 'a' }] } },
  'auth kind': { field: 'authKind', also: ['baseIdentity'], request: { auth: 'web-identity' } },
  'base identity: other environment keys': { field: 'baseIdentity', env: { ...ENV, AWS_ACCESS_KEY_ID: 'AKIAKEYTABLEBASE0002' } },
  'base identity: an explicit source_profile': { field: 'baseIdentity', request: { sourceProfile: 'admin' } },
  duration: { field: 'durationSeconds', request: { durationSeconds: 900 } },
  'STS endpoint': { field: 'endpoint', env: { ...ENV, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' } },
};

function keyOf(change: Omit<Change, 'field' | 'also'>): { parts: CacheKeyParts; text: string } {
  const request = credentialRequest(change.request);
  const env = change.env ?? ENV;
  const parts = cacheKeyParts(request, env, describeBaseIdentity(request, env));
  return { parts, text: cacheKey(parts).text };
}

describe('cacheKeyParts and cacheKey', () => {
  it('the table below changes every field of the key', () => {
    const covered = new Set(Object.values(CHANGES).map((change) => change.field));
    expect(cacheKeyFields.map((field) => field.name).filter((name) => !covered.has(name))).toStrictEqual([]);
  });

  it.each(Object.entries(CHANGES))('a different %s gives a different key, in that field (and only those that follow from it)', (_what, change) => {
    const before = keyOf({});
    const after = keyOf(change);
    expect(after.text).not.toBe(before.text);
    expect(cacheKey(after.parts).id).not.toBe(cacheKey(before.parts).id);
    const changedFields = cacheKeyFields.filter((field) => JSON.stringify(field.canonical(after.parts)) !== JSON.stringify(field.canonical(before.parts)));
    expect(changedFields.map((field) => field.name)).toStrictEqual([change.field, ...(change.also ?? [])].sort((a, b) => cacheKeyFields.findIndex((f) => f.name === a) - cacheKeyFields.findIndex((f) => f.name === b)));
  });

  it.each<[string, RequestOverrides]>([
    ['the unit path', { unitPath: 'prod/other' }],
    ['min_ttl', { minTtlSeconds: 1800 }],
    ['the emitted envs', { envs: { TF_VAR_x: 'y' } }],
  ])('%s does not change the key (the same credential serves it)', (_what, request) => {
    expect(keyOf({ request }).text).toBe(keyOf({}).text);
  });

  it('an SSO credential is keyed by its portal: another start URL is another key, the same portal by name or inline is one', () => {
    const sso = (startUrl: string, session?: string) =>
      keyOf({ request: { auth: 'sso', sso: { startUrl, region: 'us-east-1', ...(session === undefined ? {} : { session }) } } });
    const acme = sso('https://acme.awsapps.com/start', 'acme');
    const emea = sso('https://emea.awsapps.com/start', 'emea');
    const changed = cacheKeyFields.filter((field) => JSON.stringify(field.canonical(acme.parts)) !== JSON.stringify(field.canonical(emea.parts)));
    expect([changed.map((field) => field.name), sso('https://acme.awsapps.com/start/').text === acme.text]).toStrictEqual([['baseIdentity'], true]);
  });

  it('the key holds no secret of the environment', () => {
    expect(keyOf({}).text).not.toContain(ENV['AWS_SECRET_ACCESS_KEY']);
  });

  it.each(cacheKeyFields.map((field) => field.name))('a stored key without %s, or with it of the wrong type, is not a key', (name) => {
    const parts: Record<string, unknown> = { ...keyOf({}).parts };
    expect(isCacheKeyParts(parts)).toBe(true);
    const wrong = { ...parts, [name]: name === 'tags' ? [{ Key: 1 }] : 7.5 };
    expect(isCacheKeyParts(wrong)).toBe(false);
    delete parts[name];
    // An optional field may be absent on disk (JSON drops undefined); a required one may not.
    const optional = cacheKeyFields.find((field) => field.name === name)?.isValid({}) === true;
    expect(isCacheKeyParts(parts)).toBe(optional);
  });
});
