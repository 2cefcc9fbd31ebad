import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';

import { SSO_CONNECTION_TIMEOUT_MS, SSO_REQUEST_TIMEOUT_MS } from '../../constants';
import type { Environment } from '../../resolve/types';
import { limitResponseSize } from '../limitResponseSize';
import { loadSsoOidc } from '../loadSdk';
import { resolveSsoEndpoint } from './resolveSsoEndpoint';

/**
 * Loads @aws-sdk/client-sso-oidc (only here, only when needed) and builds a client for `region`
 * that honours AWS_ENDPOINT_URL_SSO_OIDC from `env`. Returns the module too, for its commands.
 */
export async function createSsoOidcClient(
  region: string,
  env: Environment,
): Promise<{ client: SSOOIDCClient; sdk: typeof import('@aws-sdk/client-sso-oidc') }> {
  const sdk = await loadSsoOidc();
  const endpoint = resolveSsoEndpoint(env, 'SSO_OIDC');
  const client = new sdk.SSOOIDCClient({
    region,
    requestHandler: { connectionTimeout: SSO_CONNECTION_TIMEOUT_MS, requestTimeout: SSO_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  limitResponseSize(client.middlewareStack);
  return { client, sdk };
}
