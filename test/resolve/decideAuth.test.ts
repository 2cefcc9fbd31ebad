import { decideAuth, type DecideAuthInput } from '../../src/resolve/decideAuth';
import { isCi } from '../../src/resolve/isCi';

const BASE: DecideAuthInput = {
  configured: 'auto',
  configuredBy: 'defaults',
  env: {},
  inCi: false,
  webIdentity: { token: { kind: 'auto' }, audience: 'sts.amazonaws.com' },
  ssoConfigured: true,
  sourceProfile: undefined,
};
const IRSA = { AWS_ROLE_ARN: 'arn:aws:iam::999999999999:role/pod', AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' };

describe('decideAuth with auth: auto', () => {
  it.each<[string, Partial<DecideAuthInput>, { auth: string; why: string }]>([
    ['SSO when nothing names a base', {}, { auth: 'sso', why: 'auth: auto, SSO is configured and no base credentials are set' }],
    ['AWS_DEFAULT_PROFILE is a base, as for the AWS CLI', { env: { AWS_DEFAULT_PROFILE: 'dev' } }, { auth: 'assume', why: 'auth: auto, base credentials from AWS_DEFAULT_PROFILE dev' }],
    [
      'environment keys beat AWS_PROFILE',
      { env: { AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' } },
      { auth: 'assume', why: 'auth: auto, base credentials from environment keys' },
    ],
    [
      'EKS IRSA in CI is a base for assume, not a token for the mapped role',
      { env: { CI: 'true', ...IRSA } },
      { auth: 'assume', why: 'auth: auto, base credentials from EKS IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE)' },
    ],
    [
      'EKS Pod Identity is a base',
      { env: { CI: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' } },
      { auth: 'assume', why: 'auth: auto, base credentials from container credentials (ECS or EKS Pod Identity)' },
    ],
    ['a token file without AWS_ROLE_ARN in CI is still a web identity token', { env: { CI: 'true', AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/token' } }, { auth: 'web-identity', why: 'auth: auto, in CI with an OIDC token available' }],
  ])('%s', (_what, input, expected) => {
    // In CI exactly when the resolver would detect it from the same environment.
    expect(decideAuth({ ...BASE, ...input, inCi: isCi(input.env ?? BASE.env) })).toStrictEqual(expected);
  });
});
