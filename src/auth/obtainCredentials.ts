import { cacheKey } from '../cache/cacheKey';
import { cacheKeyParts } from '../cache/cacheKeyParts';
import type { FileStore } from '../cache/createFileStore';
import { singleFlight } from '../cache/singleFlight';
import type { Logger } from '../log/logger';
import type { CredentialRequest, DelegateRequest, Environment } from '../resolve/types';
import { ISSUED_BASE_IDENTITY_ENV } from '../constants';
import { CredentialsError } from '../errors';
import { checkAccount } from './checkAccount';
import { checkLifetime } from './checkLifetime';
import { describeBaseIdentity } from './describeBaseIdentity';
import { shortLifeWarning } from './shortLifeWarning';
import type { AwsCredentials } from '../AwsCredentials';

export interface ObtainCredentialsInit {
  request: Exclude<CredentialRequest, DelegateRequest>;
  env: Environment;
  /** Undefined when the cache is off or untrusted: every call then asks AWS. */
  store: FileStore | undefined;
  logger: Logger;
  now: () => number;
}

export interface ObtainedCredentials {
  credentials: AwsCredentials;
  cacheHit: boolean;
  /** The non-secret descriptor of who asked AWS (part of the cache key). */
  baseIdentity: string;
}

/**
 * Credentials for a resolved request: from the cache, or from AWS through the request's auth
 * kind, with parallel callers for the same key sharing one AWS call. The auth modules (and the
 * AWS SDK behind them) are imported only on a miss.
 */
export async function obtainCredentials(init: ObtainCredentialsInit): Promise<ObtainedCredentials> {
  const { request, env, logger } = init;
  const parts = cacheKeyParts(request, env, describeBaseIdentity(request, env));
  const obtain = async (): Promise<AwsCredentials> => {
    logger.info('asking AWS', { roleArn: request.roleArn, auth: request.auth, base: parts.baseIdentity });
    const provider = await providerFor(init);
    try {
      const credentials = checkAccount(request, await provider(), parts.baseIdentity);
      return checkLifetime(request, credentials, parts.baseIdentity, init.now());
    } catch (error) {
      throw explainInheritedBase(error, env);
    }
  };
  const warnIfShort = (credentials: AwsCredentials): void => {
    const warning = shortLifeWarning(request, credentials, init.now());
    if (warning !== undefined) logger.warn(warning);
  };
  if (init.store === undefined) {
    const credentials = await obtain();
    warnIfShort(credentials);
    return { credentials, cacheHit: false, baseIdentity: parts.baseIdentity };
  }
  // Only when asked for: a key costs a hit a hash of its canonical text.
  if (logger.isEnabled('trace')) logger.trace('cache key', { key: cacheKey(parts).id });
  const result = await singleFlight({
    store: init.store,
    parts,
    minTtlSeconds: request.settings.minTtlSeconds,
    obtain,
    now: init.now,
    warn: (message) => logger.warn(message),
    onLockWait: () => logger.debug('another rolemap is obtaining this credential; waiting for it', { roleArn: request.roleArn }),
  });
  // A hit normally has more than min_ttl left; one with less came from the very attempt this call
  // waited on (its wave shares it), and says so once in every process that prints it.
  warnIfShort(result.credentials);
  return { ...result, baseIdentity: parts.baseIdentity };
}

async function providerFor(init: ObtainCredentialsInit): Promise<() => Promise<AwsCredentials>> {
  const { request, logger, env } = init;
  switch (request.auth) {
    case 'assume':
      return (await import('./fromAssumeRole')).fromAssumeRole({ request, logger, env, store: init.store, now: init.now });
    case 'web-identity':
      return (await import('./fromWebIdentity')).fromWebIdentity({ request, logger, env });
    case 'sso':
      return (await import('./sso/fromSso')).fromSso({ request, logger, env });
  }
}

/**
 * In a dependency fetch whose base credentials were the user's environment keys, Terragrunt has
 * replaced those keys with rolemap's; rolemap will not chain from them, so only a cached
 * credential can answer. Say so, instead of a bare "no base credentials".
 */
function explainInheritedBase(error: unknown, env: Environment): unknown {
  const inherited = env[ISSUED_BASE_IDENTITY_ENV];
  if (!(error instanceof CredentialsError) || error.kind !== 'no-base-credentials' || inherited === undefined) return error;
  return new CredentialsError(
    `${error.message}. This call inherited credentials that rolemap issued to another unit (a dependency fetch), and rolemap never uses those as a base; the original base identity (${inherited}) is no longer in the environment.`,
    {
      kind: error.kind,
      ...(error.roleArn === undefined ? {} : { roleArn: error.roleArn }),
      baseIdentity: inherited,
      hint: 'Give base credentials through a profile (AWS_PROFILE or source_profile) or SSO, which dependency fetches keep; environment keys are replaced by Terragrunt for them.',
      cause: error,
    },
  );
}
