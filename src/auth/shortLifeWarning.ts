import type { CredentialRequest } from '../resolve/types';
import type { AwsCredentials } from '../AwsCredentials';

/**
 * The warning for credentials that will not outlive `min_ttl` (README, "How credentials are
 * obtained"): AWS granted a shorter session than asked, usually because the role's maximum session
 * duration (or the SSO permission set's session duration) is shorter. They are still printed: they
 * work, but a unit that runs longer than their life fails midway. Undefined when the credentials
 * live long enough.
 */
export function shortLifeWarning(request: CredentialRequest, credentials: AwsCredentials, now: number): string | undefined {
  const leftSeconds = Math.floor((Date.parse(credentials.expiration) - now) / 1000);
  if (!(leftSeconds <= request.settings.minTtlSeconds)) return undefined;
  const where =
    request.auth === 'sso'
      ? `the session duration of permission set ${request.roleName}`
      : `the maximum session duration of ${request.roleArn}`;
  return (
    `AWS granted credentials for ${request.roleArn} with only ${leftSeconds}s of life (asked for ${request.settings.durationSeconds}s), ` +
    `less than min_ttl (${request.settings.minTtlSeconds}s): a unit that runs longer will fail midway. ` +
    `Fix: raise ${where} to at least ${request.settings.durationSeconds}s, or lower duration and min_ttl in rolemap.yaml.`
  );
}
