import type { CredentialRequest, Environment } from '../resolve/types';
import type { CacheKeyParts } from './types';

/**
 * Everything that changes the credential of `request`, none of it secret: the cache key's parts.
 * `baseIdentity` is the non-secret descriptor of who asks AWS (auth's describeBaseIdentity); it is
 * passed in so that the cache does not depend on the auth modules.
 */
export function cacheKeyParts(request: CredentialRequest, env: Environment, baseIdentity: string): CacheKeyParts {
  const endpoint = request.auth === 'sso' ? env['AWS_ENDPOINT_URL_SSO'] : env['AWS_ENDPOINT_URL_STS'];
  return {
    partition: request.partition,
    accountId: request.accountId,
    roleArn: request.roleArn,
    sessionName: request.sessionName,
    externalId: request.settings.externalId,
    sourceIdentity: request.sourceIdentity,
    tags: request.tags,
    authKind: request.auth,
    baseIdentity,
    durationSeconds: request.settings.durationSeconds,
    endpoint: endpoint ?? env['AWS_ENDPOINT_URL'],
  };
}
