import type { AuthKind, WebIdentitySettings } from '../config/types';
import { assumeBaseSource } from '../auth/assumeBaseSource';
import { formatBaseSource } from '../auth/formatBaseSource';
import { webIdentityAvailable } from '../auth/webIdentityAvailable';
import { isCi } from './isCi';
import type { Environment } from './types';

export interface AuthDecision {
  auth: Exclude<AuthKind, 'auto'>;
  why: string;
}

export interface DecideAuthInput {
  configured: AuthKind;
  /** Where `configured` came from, for the explanation. */
  configuredBy: string;
  env: Environment;
  webIdentity: WebIdentitySettings;
  ssoConfigured: boolean;
  sourceProfile: string | undefined;
}

/**
 * Picks the auth kind. `auto` follows DESIGN section 5: web identity in CI when a token is
 * there, SSO when it is configured and nothing else gives base credentials, otherwise assume.
 * Base credentials are what `assume` would use (assumeBaseSource, the AWS CLI's order): so
 * AWS_DEFAULT_PROFILE, and EKS's AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, count.
 */
export function decideAuth(input: DecideAuthInput): AuthDecision {
  if (input.configured !== 'auto') return { auth: input.configured, why: `auth: ${input.configured} (${input.configuredBy})` };
  const { env } = input;
  if (isCi(env) && webIdentityAvailable(input.webIdentity.token, env)) {
    return { auth: 'web-identity', why: 'auth: auto, in CI with an OIDC token available' };
  }
  const base = assumeBaseSource(input.sourceProfile, env);
  if (input.ssoConfigured && base.kind === 'chain') {
    return { auth: 'sso', why: 'auth: auto, SSO is configured and no base credentials are set' };
  }
  return { auth: 'assume', why: `auth: auto, base credentials from ${formatBaseSource(base)}` };
}
