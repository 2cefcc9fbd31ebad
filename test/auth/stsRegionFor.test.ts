import { stsRegionFor } from '../../src/auth/stsRegionFor';
import { tokenSubject } from '../../src/auth/tokenSubject';
import type { Partition } from '../../src/config/types';
import type { Environment } from '../../src/resolve/types';

describe('stsRegionFor', () => {
  it.each<[string | undefined, Partition, Environment, string]>([
    ['eu-west-1', 'aws', { AWS_REGION: 'us-west-2' }, 'eu-west-1'],
    [undefined, 'aws', { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }, 'us-west-2'],
    [undefined, 'aws', { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    [undefined, 'aws', {}, 'us-east-1'],
    [undefined, 'aws-cn', {}, 'cn-north-1'],
    [undefined, 'aws-us-gov', {}, 'us-gov-west-1'],
  ])('region %p in %s with %p is %s', (region, partition, env, expected) => {
    expect(stsRegionFor({ settings: { region }, partition }, env)).toBe(expected);
  });
});

describe('tokenSubject', () => {
  const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  it.each<[string, string, string | undefined]>([
    ['a JWT with sub', jwt({ sub: 'repo:acme/infra:pull_request', aud: 'sts.amazonaws.com' }), 'repo:acme/infra:pull_request'],
    ['a JWT without sub', jwt({ aud: 'x' }), undefined],
    ['a JWT whose sub is not a string', jwt({ sub: 42 }), undefined],
    ['not a JWT', 'opaque-token', undefined],
    ['a payload that is not JSON', 'e30.bm90IGpzb24.sig', undefined],
  ])('reads %s', (_, token, expected) => {
    expect(tokenSubject(token)).toBe(expected);
  });
});
