import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBaseIdentity } from '../../src/auth/describeBaseIdentity';
import type { WebIdentityTokenSource } from '../../src/config/types';
import type { Environment } from '../../src/resolve/types';
import { credentialRequest } from './credentialRequest';

// sha256("header.payload.signature") truncated to 16 hex digits.
const TOKEN = 'header.payload.signature';
const TOKEN_DIGEST = '256d04db4e5e4ac3';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rolemap-describe-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function web(token: WebIdentityTokenSource) {
  return credentialRequest({ auth: 'web-identity', webIdentity: { token, audience: 'sts.amazonaws.com' } });
}

describe('describeBaseIdentity', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'very-secret' };

  it.each<[string, ReturnType<typeof credentialRequest>, Environment, string]>([
    ['assume with environment keys', credentialRequest(), keys, 'env:AKIAEXAMPLE'],
    ['assume with source_profile (the SDK prefers it over keys)', credentialRequest({ sourceProfile: 'dev' }), keys, 'profile:dev'],
    ['assume with AWS_PROFILE', credentialRequest(), { AWS_PROFILE: 'ops' }, 'profile:ops'],
    ['assume with a key id but no secret', credentialRequest(), { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }, 'profile:default'],
    ['assume with nothing', credentialRequest(), {}, 'profile:default'],
    ['sso', credentialRequest({ auth: 'sso', sso: { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' } }), {}, 'sso:https://acme.awsapps.com/start'],
    [
      'github',
      web({ kind: 'github' }),
      { GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'plan' },
      'web-identity:github:acme/infra:42:2:plan:sts.amazonaws.com',
    ],
    ['env:NAME', web({ kind: 'env', name: 'TOKEN' }), { TOKEN }, `web-identity:env:TOKEN:${TOKEN_DIGEST}`],
    ['env:NAME unset', web({ kind: 'env', name: 'TOKEN' }), {}, 'web-identity:env:TOKEN:none'],
    ['auto settling on GITLAB_OIDC_TOKEN', web({ kind: 'auto' }), { GITLAB_OIDC_TOKEN: TOKEN }, `web-identity:env:GITLAB_OIDC_TOKEN:${TOKEN_DIGEST}`],
    ['auto with nothing', web({ kind: 'auto' }), {}, 'web-identity:none'],
  ])('%s', (_, request, env, expected) => {
    const described = describeBaseIdentity(request, env);
    expect(described).toBe(expected);
    expect(described).not.toContain('very-secret');
    expect(described).not.toContain(TOKEN);
  });

  it('digests a token file, trimmed, and says when it cannot be read', () => {
    expect(describeBaseIdentity(web({ kind: 'file', path: join(dir, 'token') }), {})).toBe(`web-identity:file:${join(dir, 'token')}:${TOKEN_DIGEST}`);
    expect(describeBaseIdentity(web({ kind: 'file', path: join(dir, 'missing') }), {})).toBe(`web-identity:file:${join(dir, 'missing')}:none`);
  });

  it('tells different tokens apart', () => {
    const request = web({ kind: 'env', name: 'TOKEN' });
    expect(describeBaseIdentity(request, { TOKEN: 'a.b.c' })).not.toBe(describeBaseIdentity(request, { TOKEN: 'a.b.d' }));
  });
});
