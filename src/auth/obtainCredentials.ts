import { cacheKey } from '../cache/cacheKey';
import type { FileStore } from '../cache/createFileStore';
import { singleFlight } from '../cache/singleFlight';
import type { CacheKeyParts } from '../cache/types';
import type { Logger } from '../log/logger';
import type { CredentialRequest, Environment } from '../resolve/types';
import { checkAccount } from './checkAccount';
import { describeBaseIdentity } from './describeBaseIdentity';
import type { AwsCredentials } from './types';

export interface ObtainCredentialsInit {
  request: CredentialRequest & { auth: Exclude<CredentialRequest['auth'], 'delegate'> };
  env: Environment;
  /** Undefined when the cache is off or untrusted: every call then asks AWS. */
  store: FileStore | undefined;
  logger: Logger;
  now: () => number;
}

export interface ObtainedCredentials {
  credentials: AwsCredentials;
  cacheHit: boolean;
}

/** Everything that changes the credential, none of it secret: the cache key's parts. */
export function cacheKeyParts(request: CredentialRequest, env: Environment): CacheKeyParts {
  const endpoint = request.auth === 'sso' ? env['AWS_ENDPOINT_URL_SSO'] : env['AWS_ENDPOINT_URL_STS'];
  return {
    partition: request.partition,
    accountId: request.accountId,
    roleArn: request.roleArn,
    sessionName: request.sessionName,
    externalId: request.externalId,
    sourceIdentity: request.sourceIdentity,
    tags: request.tags,
    authKind: request.auth,
    baseIdentity: describeBaseIdentity(request, env),
    durationSeconds: request.durationSeconds,
    endpoint: endpoint ?? env['AWS_ENDPOINT_URL'],
  };
}

/**
 * Credentials for a resolved request: from the cache, or from AWS through the request's auth
 * kind, with parallel callers for the same key sharing one AWS call. The auth modules (and the
 * AWS SDK behind them) are imported only on a miss.
 */
export async function obtainCredentials(init: ObtainCredentialsInit): Promise<ObtainedCredentials> {
  const { request, env, logger } = init;
  const parts = cacheKeyParts(request, env);
  const obtain = async (): Promise<AwsCredentials> => {
    logger.info('asking AWS', { roleArn: request.roleArn, auth: request.auth, base: parts.baseIdentity });
    const provider = await providerFor(init);
    return checkAccount(request, await provider(), parts.baseIdentity);
  };
  if (init.store === undefined) return { credentials: await obtain(), cacheHit: false };
  logger.trace('cache key', { key: cacheKey(parts) });
  return singleFlight({
    store: init.store,
    parts,
    minTtlSeconds: request.minTtlSeconds,
    obtain,
    now: init.now,
    warn: (message) => logger.warn(message),
    onLockWait: () => logger.debug('another rolemap is obtaining this credential; waiting for it', { roleArn: request.roleArn }),
  });
}

async function providerFor(init: ObtainCredentialsInit): Promise<() => Promise<AwsCredentials>> {
  const { request, logger, env } = init;
  switch (request.auth) {
    case 'assume':
      return (await import('./fromAssumeRole')).fromAssumeRole({ request, logger, env });
    case 'web-identity':
      return (await import('./fromWebIdentity')).fromWebIdentity({ request, logger, env });
    case 'sso':
      return (await import('./sso/fromSso')).fromSso({ request, logger, env });
  }
}
