import { cacheKey } from '../cache/cacheKey';
import { awaitCredentials } from '../cache/awaitCredentials';
import { cacheKeyParts } from '../cache/cacheKeyParts';
import type { FileStore } from '../cache/createFileStore';
import { singleFlight } from '../cache/singleFlight';
import type { CacheKeyParts } from '../cache/types';
import type { Logger } from '../log/logger';
import { assumeBaseSource } from '../resolve/assumeBaseSource';
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
    const credentials = checkAccount(request, await provider(), parts.baseIdentity);
    return checkLifetime(request, credentials, parts.baseIdentity, init.now());
  };
  const warnIfShort = (credentials: AwsCredentials): void => {
    const warning = shortLifeWarning(request, credentials, init.now());
    if (warning !== undefined) logger.warn(warning);
  };
  const replacedKeys = replacedBaseKeys(request, env);
  if (replacedKeys !== undefined) {
    const credentials = await fromAnotherCall(init, parts, replacedKeys);
    warnIfShort(credentials);
    return { credentials, cacheHit: true, baseIdentity: parts.baseIdentity };
  }
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
 * The base identity of a dependency fetch whose base was the user's environment keys, which
 * Terragrunt has replaced with those rolemap issued to the dependent unit (stripIssuedCredentials
 * removed them): `env:<access key id>`, named by ROLEMAP_BASE_IDENTITY. Such a call has no base of
 * its own. rolemap never chains from its own credentials, and the default chain would ask as
 * someone else (a default profile, an instance role) under this identity's cache key; so only a
 * credential that a call with the keys obtains can answer it. Undefined for any other call.
 */
function replacedBaseKeys(request: ObtainCredentialsInit['request'], env: Environment): string | undefined {
  const inherited = env[ISSUED_BASE_IDENTITY_ENV];
  if (request.auth !== 'assume' || inherited === undefined || !inherited.startsWith('env:')) return undefined;
  return assumeBaseSource(request.sourceProfile, env).kind === 'chain' ? inherited : undefined;
}

/**
 * The credential another call obtains for this key (see awaitCredentials), or the reason there is
 * none and how to give dependency fetches a base of their own.
 */
async function fromAnotherCall(init: ObtainCredentialsInit, parts: CacheKeyParts, identity: string): Promise<AwsCredentials> {
  const { request, store, logger } = init;
  const startedAt = init.now();
  const credentials =
    store === undefined
      ? undefined
      : await awaitCredentials({
          store,
          parts,
          minTtlSeconds: request.settings.minTtlSeconds,
          now: init.now,
          onWait: () => logger.debug('waiting for another rolemap to obtain this credential: this call cannot ask AWS (a dependency fetch)', { roleArn: request.roleArn }),
        });
  if (credentials !== undefined) return credentials;
  const waited =
    store === undefined
      ? 'No other call can answer for it: the cache is off (ROLEMAP_NO_CACHE) or not trusted.'
      : `No other call obtained it in the ${Math.round((init.now() - startedAt) / 1000)}s this call waited.`;
  throw new CredentialsError(
    `No base credentials to assume ${request.roleArn} with (${identity}). This call inherited credentials that rolemap issued to another unit (a dependency fetch), and rolemap never uses those as a base; the original base identity (${identity}) is no longer in the environment. ${waited}`,
    {
      kind: 'no-base-credentials',
      roleArn: request.roleArn,
      baseIdentity: identity,
      hint: 'Give base credentials through a profile (AWS_PROFILE or source_profile) or SSO, which dependency fetches keep; environment keys are replaced by Terragrunt for them.',
    },
  );
}
