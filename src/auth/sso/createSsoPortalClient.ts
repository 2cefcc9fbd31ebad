import type { SSOClient } from '@aws-sdk/client-sso';

import { SSO_CONNECTION_TIMEOUT_MS, SSO_REQUEST_TIMEOUT_MS } from '../../constants';
import type { Environment } from '../../resolve/types';
import { limitResponseSize } from '../limitResponseSize';
import { loadSso } from '../loadSdk';
import { requestHandlerOptions } from '../requestHandlerOptions';
import { resolveSsoEndpoint } from './resolveSsoEndpoint';

/** A portal client with the commands it sends (from the module it came from). */
export interface SsoPortalClient {
  client: SSOClient;
  sdk: Pick<typeof import('../sdk/clientSso'), 'GetRoleCredentialsCommand' | 'LogoutCommand'>;
}

/**
 * Loads @aws-sdk/client-sso (only here, only when needed) and builds an SSO portal client for
 * `region` that honours AWS_ENDPOINT_URL_SSO from `env`. Returns the module too, for its commands.
 * `maxAttempts` (the SDK's 3 by default) is 1 where withRetries is the retry loop.
 */
export async function createSsoPortalClient(region: string, env: Environment, options: { maxAttempts?: number } = {}): Promise<SsoPortalClient> {
  const sdk = await loadSso();
  const endpoint = resolveSsoEndpoint(env, 'SSO');
  const client = new sdk.SSOClient({
    region,
    requestHandler: requestHandlerOptions(env, SSO_CONNECTION_TIMEOUT_MS, SSO_REQUEST_TIMEOUT_MS),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  limitResponseSize(client.middlewareStack);
  return { client, sdk };
}
