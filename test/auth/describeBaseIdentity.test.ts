import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBaseIdentity } from '../../src/auth/describeBaseIdentity';
import type { WebIdentityTokenSource } from '../../src/config/types';
import type { Environment } from '../../src/resolve/types';
import { credentialRequest } from './credentialRequest';

// sha256("rolemap/web-identity-token/1\0header.payload.signature") cut to 32 hex digits.
const TOKEN = 'header.payload.signature';
const TOKEN_DIGEST = 'ac9bc966fdbea8d1701eb7ce2ac0d572';
// sha256("rolemap/github-request-token/1\0job-request-token-1") cut to 32 hex digits.
const REQUEST_TOKEN = 'job-request-token-1';
const REQUEST_TOKEN_DIGEST = '724b44c0df1da5f557bbcf4f8b6423a3';
const GITHUB_RUN = { GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'plan' };

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
    ['assume with source_profile (explicit, like aws --profile, it beats keys)', credentialRequest({ sourceProfile: 'dev' }), keys, 'profile:dev'],
    ['assume with AWS_PROFILE', credentialRequest(), { AWS_PROFILE: 'ops' }, 'profile:ops'],
    ['assume with keys and AWS_PROFILE (the AWS CLI takes the keys)', credentialRequest(), { ...keys, AWS_PROFILE: 'ops' }, 'env:AKIAEXAMPLE'],
    ['assume with AWS_DEFAULT_PROFILE and AWS_PROFILE (botocore reads the first)', credentialRequest(), { AWS_DEFAULT_PROFILE: 'dflt', AWS_PROFILE: 'ops' }, 'profile:dflt'],
    ['assume in an ECS task', credentialRequest(), { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }, 'container:http://169.254.170.2/v2/credentials/abc'],
    ['assume with a key id but no secret', credentialRequest(), { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }, 'profile:default'],
    ['assume with nothing', credentialRequest(), {}, 'profile:default'],
    ['sso', credentialRequest({ auth: 'sso', sso: { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' } }), {}, 'sso:https://acme.awsapps.com/start'],
    [
      'github: the job, by its request token',
      web({ kind: 'github' }),
      { ...GITHUB_RUN, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
      `web-identity:github-job:${REQUEST_TOKEN_DIGEST}:sts.amazonaws.com`,
    ],
    ['github without a request token', web({ kind: 'github' }), GITHUB_RUN, 'web-identity:github:none'],
    ['env:NAME', web({ kind: 'env', name: 'TOKEN' }), { TOKEN }, `web-identity:token:${TOKEN_DIGEST}`],
    ['env:NAME unset', web({ kind: 'env', name: 'TOKEN' }), {}, 'web-identity:env:TOKEN:none'],
    ['auto settling on GITLAB_OIDC_TOKEN', web({ kind: 'auto' }), { GITLAB_OIDC_TOKEN: TOKEN }, `web-identity:token:${TOKEN_DIGEST}`],
    ['auto with nothing', web({ kind: 'auto' }), {}, 'web-identity:none'],
  ])('%s', (_, request, env, expected) => {
    const described = describeBaseIdentity(request, env);
    expect(described).toBe(expected);
    expect(described).not.toContain('very-secret');
    expect(described).not.toContain(TOKEN);
    expect(described).not.toContain(REQUEST_TOKEN);
  });

  it('names a token by itself, not by where it was read: a token file, trimmed, is the same token as in a variable', () => {
    expect(describeBaseIdentity(web({ kind: 'file', path: join(dir, 'token') }), {})).toBe(`web-identity:token:${TOKEN_DIGEST}`);
    expect(describeBaseIdentity(web({ kind: 'file', path: join(dir, 'missing') }), {})).toBe(`web-identity:file:${join(dir, 'missing')}:none`);
  });

  it('assume on EKS (IRSA): the pod role and its token, unless environment keys or source_profile win', () => {
    const irsa = { AWS_ROLE_ARN: 'arn:aws:iam::999999999999:role/pod', AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token') };
    expect(describeBaseIdentity(credentialRequest(), { ...irsa, AWS_PROFILE: 'ops' })).toBe(`web-identity-base:arn:aws:iam::999999999999:role/pod:${TOKEN_DIGEST}`);
    expect(describeBaseIdentity(credentialRequest(), { ...irsa, ...keys })).toBe('env:AKIAEXAMPLE');
    expect(describeBaseIdentity(credentialRequest({ sourceProfile: 'dev' }), irsa)).toBe('profile:dev');
  });

  it('assume with EKS Pod Identity: the address and a digest of the pod\'s authorization token', () => {
    const pod = { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'token') };
    const described = describeBaseIdentity(credentialRequest(), pod);
    expect(described).toMatch(/^container:http:\/\/169\.254\.170\.23\/v1\/credentials:[0-9a-f]{32}$/);
    expect(described).not.toBe(describeBaseIdentity(credentialRequest(), { ...pod, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'missing') }));
  });

  it('tells different tokens apart', () => {
    const request = web({ kind: 'env', name: 'TOKEN' });
    expect(describeBaseIdentity(request, { TOKEN: 'a.b.c' })).not.toBe(describeBaseIdentity(request, { TOKEN: 'a.b.d' }));
  });

  it('tells GitHub jobs of one run, attempt and job name apart (matrix legs), and audiences apart', () => {
    const leg = (token: string): Environment => ({ ...GITHUB_RUN, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token });
    expect(describeBaseIdentity(web({ kind: 'github' }), leg('leg-1'))).not.toBe(describeBaseIdentity(web({ kind: 'github' }), leg('leg-2')));
    const otherAudience = credentialRequest({ auth: 'web-identity', webIdentity: { token: { kind: 'github' }, audience: 'other' } });
    expect(describeBaseIdentity(otherAudience, leg('leg-1'))).not.toBe(describeBaseIdentity(web({ kind: 'github' }), leg('leg-1')));
  });
});
