import type { AuthKind, WebIdentitySettings } from '../config/types';
import { assumeBaseSource, type AssumeBaseSource } from './assumeBaseSource';
import { webIdentityAvailable } from './webIdentityAvailable';
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
  /** Whether rolemap runs in CI (detectCi). */
  inCi: boolean;
  webIdentity: WebIdentitySettings;
  ssoConfigured: boolean;
  sourceProfile: string | undefined;
}

/**
 * Picks the auth kind. `auto` follows README, "How credentials are obtained": web identity in CI
 * when a token is there, SSO when it is configured and nothing else gives base credentials,
 * otherwise assume. Base credentials are what `assume` would use (assumeBaseSource, the AWS CLI's
 * order): so AWS_DEFAULT_PROFILE, and EKS's AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, count.
 */
export function decideAuth(input: DecideAuthInput): AuthDecision {
  if (input.configured !== 'auto') return { auth: input.configured, why: `auth: ${input.configured} (${input.configuredBy})` };
  const { env } = input;
  if (input.inCi && webIdentityAvailable(input.webIdentity.token, env)) {
    return { auth: 'web-identity', why: 'auth: auto, in CI with an OIDC token available' };
  }
  const base = assumeBaseSource(input.sourceProfile, env);
  if (input.ssoConfigured && base.kind === 'chain') {
    return { auth: 'sso', why: 'auth: auto, SSO is configured and no base credentials are set' };
  }
  return { auth: 'assume', why: `auth: auto, base credentials from ${baseLabel(base)}` };
}

/** The base source in a few words; `explain` says the rest on its `base` line. */
function baseLabel(base: AssumeBaseSource): string {
  switch (base.kind) {
    case 'profile':
      return base.from === 'source_profile' ? `source_profile ${base.profile}` : `${base.from} ${base.profile}`;
    case 'environment':
      return 'environment keys';
    case 'web-identity':
      return 'EKS IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE)';
    case 'container':
      return 'container credentials (ECS or EKS Pod Identity)';
    case 'chain':
      return 'the default profile or instance metadata';
  }
}
