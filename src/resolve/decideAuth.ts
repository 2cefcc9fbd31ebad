import type { AuthKind, WebIdentitySettings } from '../config/types';
import { webIdentityAvailable } from '../auth/webIdentityAvailable';
import { isCi } from './isCi';
import type { Environment } from './types';

export interface AuthDecision {
  auth: Exclude<AuthKind, 'auto'>;
  why: string;
}

/** Environment variables through which the SDK's default chain finds base credentials. */
const BASE_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
] as const;

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
 */
export function decideAuth(input: DecideAuthInput): AuthDecision {
  if (input.configured !== 'auto') return { auth: input.configured, why: `auth: ${input.configured} (${input.configuredBy})` };
  const { env } = input;
  if (isCi(env) && webIdentityAvailable(input.webIdentity.token, env)) {
    return { auth: 'web-identity', why: 'auth: auto, in CI with an OIDC token available' };
  }
  const baseVariable = BASE_CREDENTIAL_VARIABLES.find((name) => (env[name] ?? '') !== '');
  const hasBase = baseVariable !== undefined || input.sourceProfile !== undefined;
  if (input.ssoConfigured && !hasBase) {
    return { auth: 'sso', why: 'auth: auto, SSO is configured and no base credentials are set' };
  }
  const base =
    baseVariable !== undefined
      ? `${baseVariable} is set`
      : input.sourceProfile !== undefined
        ? `source_profile ${input.sourceProfile}`
        : 'the AWS default credential chain';
  return { auth: 'assume', why: `auth: auto, base credentials from ${base}` };
}
