import { CredentialsError } from '../errors';
import type { CredentialRequest } from '../resolve/types';
import type { AwsCredentials } from '../AwsCredentials';

/**
 * The guard beside checkAccount: credentials that AWS answered with but that have already
 * expired (a broken endpoint or proxy, or a clock far off) would fail the unit's first call, so
 * they are an error and nothing is printed.
 */
export function checkLifetime<T extends Pick<AwsCredentials, 'expiration'>>(request: CredentialRequest, credentials: T, baseIdentity: string, now: number): T {
  const expiresAt = Date.parse(credentials.expiration);
  if (expiresAt > now) return credentials;
  const ago = Number.isNaN(expiresAt) ? 'at an unreadable time' : `${Math.round((now - expiresAt) / 1000)}s ago`;
  throw new CredentialsError(
    `Refusing credentials for ${request.roleArn}: AWS answered with credentials that expired ${ago} (${credentials.expiration}).`,
    {
      kind: 'expired-credentials',
      roleArn: request.roleArn,
      baseIdentity,
      hint: "Check this machine's clock and any AWS_ENDPOINT_URL_* or proxy between rolemap and AWS; no credentials were printed.",
    },
  );
}
