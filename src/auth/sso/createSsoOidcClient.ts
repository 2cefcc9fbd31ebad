import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';

import { SSO_CONNECTION_TIMEOUT_MS, SSO_REQUEST_TIMEOUT_MS } from '../../constants';
import type { Environment } from '../../resolve/types';
import { limitResponseSize } from '../limitResponseSize';
import { loadSsoOidc } from '../loadSdk';
import { requestHandlerOptions } from '../requestHandlerOptions';
import { resolveSsoEndpoint } from './resolveSsoEndpoint';

export interface SsoOidcClientOptions {
  /** Per-request limit; default SSO_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /** Attempts per request, the first included; default the SDK's (3). */
  maxAttempts?: number;
}

/**
 * Loads @aws-sdk/client-sso-oidc (only here, only when needed) and builds a client for `region`
 * that honours AWS_ENDPOINT_URL_SSO_OIDC from `env`. Returns the module too, for its commands.
 */
export async function createSsoOidcClient(
  region: string,
  env: Environment,
  options: SsoOidcClientOptions = {},
): Promise<{ client: SSOOIDCClient; sdk: typeof import('../sdk/clientSsoOidc') }> {
  const sdk = await loadSsoOidc();
  const endpoint = resolveSsoEndpoint(env, 'SSO_OIDC');
  const client = new sdk.SSOOIDCClient({
    region,
    requestHandler: requestHandlerOptions(env, SSO_CONNECTION_TIMEOUT_MS, options.requestTimeoutMs ?? SSO_REQUEST_TIMEOUT_MS),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  limitResponseSize(client.middlewareStack);
  return { client, sdk };
}
