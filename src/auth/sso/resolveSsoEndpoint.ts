import type { Environment } from '../../resolve/types';

/**
 * The endpoint override for an SSO service, read the way the AWS SDK reads it:
 * AWS_ENDPOINT_URL_SSO_OIDC or AWS_ENDPOINT_URL_SSO, else AWS_ENDPOINT_URL, none when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. Read from rolemap's `env` (not process.env) so the
 * choice is explicit and testable. Undefined means the SDK's regional default.
 */
export function resolveSsoEndpoint(env: Environment, service: 'SSO_OIDC' | 'SSO'): string | undefined {
  if ((env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] ?? '').toLowerCase() === 'true') return undefined;
  const specific = env[`AWS_ENDPOINT_URL_${service}`];
  if (specific !== undefined && specific !== '') return specific;
  const general = env['AWS_ENDPOINT_URL'];
  return general !== undefined && general !== '' ? general : undefined;
}
