import type { AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import type { FileStore } from '../cache/createFileStore';
import { CredentialsError } from '../errors';
import type { Logger } from '../log/logger';
import type { AssumeRequest, Environment } from '../resolve/types';
import { createStsClient, type CreateStsClientInit } from './createStsClient';
import { assumeBaseSource } from '../resolve/assumeBaseSource';
import { describeBaseIdentity } from './describeBaseIdentity';
import { resolveStsEndpoint } from './resolveStsEndpoint';
import { loadCredentialProviders, loadSts } from './loadSdk';
import { mfaBaseCredentials } from './mfa/mfaBaseCredentials';
import { resolveMfaProfile } from './mfa/resolveMfaProfile';
import { readAwsConfig } from './sso/readAwsConfig';
import { refreshSsoProfileToken } from './sso/refreshSsoProfileToken';
import { resolveHomeDir } from './sso/resolveHomeDir';
import { stsRegionFor } from './stsRegionFor';
import { toAwsCredentials } from './toAwsCredentials';
import { toCredentialsError, type StsCallContext } from './toCredentialsError';
import { toSdkLogger } from './toSdkLogger';
import type { CredentialProvider } from '../AwsCredentials';
import { withRetries, type RetryOptions } from './withRetries';
import { closeSoon } from './closeSoon';
import { providerClientConfig } from './awsHttpsAgent';

export interface FromAssumeRoleInit {
  /** Backoff, clock and deadline for retries; tests pass a fast sleep and a small deadline. */
  retry?: Omit<RetryOptions, 'onRetry'>;
  request: AssumeRequest;
  logger: Logger;
  /**
   * Read for the region and the base-identity descriptor; defaults to process.env. The SDK's
   * credential chain always reads process.env, which the caller has already stripped of the
   * credentials rolemap issued.
   */
  env?: Environment;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Where `rolemap login --mfa` keeps MFA sessions; undefined when the cache is off. */
  store?: FileStore | undefined;
  /** Epoch milliseconds; defaults to Date.now. */
  now?: () => number;
  /**
   * Builds the STS client of the call; defaults to createStsClient (one attempt per call, the
   * endpoint from AWS_ENDPOINT_URL_STS). Tests pass one pointed at the emulator.
   */
  stsClient?: (init: CreateStsClientInit) => STSClient;
}

/** How long naming the caller may take on the error path. */
const CALLER_LOOKUP_TIMEOUT_MS = 3_000;

const MAX_CHAIN_MESSAGE_LENGTH = 300;

const NO_BASE_HINT =
  'Configure base credentials: run `aws configure`, set AWS_PROFILE, or set source_profile in your rolemap config; ' +
  'for IAM Identity Center use `auth: sso` and run `rolemap login`.';

/**
 * Credentials for `request.roleArn` by sts:AssumeRole (README, "How credentials are obtained"),
 * with base credentials from the source assumeBaseSource picks in the AWS CLI's order
 * (source_profile, environment keys, EKS IRSA, AWS_DEFAULT_PROFILE / AWS_PROFILE, container, the
 * default profile and instance metadata). Sends RoleSessionName, DurationSeconds and, where set,
 * ExternalId, SourceIdentity and Tags. Throttling, 5xx, network errors and timeouts are retried
 * within the deadline; anything else throws a CredentialsError naming the role and the caller.
 * A base profile with mfa_serial takes the MFA session `rolemap login --mfa` cached for it
 * (mfaBaseCredentials), and without one fails at once with that command: it never prompts.
 */
export function fromAssumeRole(init: FromAssumeRoleInit): CredentialProvider {
  return async () => {
    const { request, logger } = init;
    const env = init.env ?? process.env;
    const descriptor = describeBaseIdentity(request, env);
    // Loaded once: the environment-keys provider and an MFA profile's session come from this lib too.
    const sts = await loadSts();
    const baseProvider = await baseCredentialsProvider(init, env, descriptor, sts);
    let base: Awaited<ReturnType<typeof baseProvider>>;
    try {
      base = await baseProvider();
    } catch (error) {
      // rolemap's own verdict on the base (an MFA session to log in for) stands as it is.
      if (error instanceof CredentialsError) throw error;
      throw new CredentialsError(`No base credentials to assume ${request.roleArn} with (${descriptor}): ${chainFailure(error)}`, {
        kind: 'no-base-credentials',
        roleArn: request.roleArn,
        baseIdentity: descriptor,
        hint: NO_BASE_HINT,
        cause: error,
      });
    }

    const client = (init.stsClient ?? createStsClient)({
      sts,
      env,
      region: stsRegionFor(request, env),
      logger,
      credentials: base,
      ...(request.sourceProfile === undefined ? {} : { profile: request.sourceProfile }),
      ...(init.connectionTimeoutMs === undefined ? {} : { connectionTimeoutMs: init.connectionTimeoutMs }),
      ...(init.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: init.requestTimeoutMs }),
    });
    const input: AssumeRoleCommandInput = {
      RoleArn: request.roleArn,
      RoleSessionName: request.sessionName,
      DurationSeconds: request.settings.durationSeconds,
      ...(request.settings.externalId === undefined ? {} : { ExternalId: request.settings.externalId }),
      ...(request.sourceIdentity === undefined ? {} : { SourceIdentity: request.sourceIdentity }),
      ...(request.tags.length === 0 ? {} : { Tags: request.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) }),
    };
    const context: StsCallContext = {
      action: 'AssumeRole',
      roleArn: request.roleArn,
      baseIdentity: descriptor,
      durationSeconds: request.settings.durationSeconds,
      sentExternalId: input.ExternalId !== undefined,
      sentSourceIdentity: input.SourceIdentity !== undefined,
      sentTags: input.Tags !== undefined,
    };

    try {
      const response = await withRetries(
        async ({ signal }) => {
          logger.debug('sts:AssumeRole', { roleArn: request.roleArn, base: descriptor });
          try {
            return await client.send(new sts.AssumeRoleCommand(input), { abortSignal: signal });
          } catch (error) {
            throw await explain(error, context, client, sts);
          }
        },
        {
          ...init.retry,
          onRetry: (error, attempt, delayMs) => logger.info(`sts:AssumeRole failed (${error.kind}), retrying in ${delayMs} ms`, { attempt }),
        },
      );
      return toAwsCredentials(response, { roleArn: request.roleArn, baseIdentity: descriptor });
    } finally {
      closeSoon(client);
    }
  };
}

/** The SDK chain's own explanation, e.g. "Could not load credentials from any providers". */
function chainFailure(error: unknown): string {
  const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : '';
  if (message === '') return 'the AWS SDK credential chain found none';
  return message.length > MAX_CHAIN_MESSAGE_LENGTH ? `${message.slice(0, MAX_CHAIN_MESSAGE_LENGTH)}...` : message;
}

/**
 * Maps the error; when it is a refusal the caller can act on, first asks STS who the caller is
 * (one GetCallerIdentity, only on this error path) so the message names an ARN, not a profile.
 */
async function explain(
  error: unknown,
  context: StsCallContext,
  client: STSClient,
  sts: typeof import('./sdk/clientSts'),
): Promise<CredentialsError> {
  const mapped = toCredentialsError(error, context);
  if (mapped.kind !== 'access-denied' && mapped.kind !== 'validation') return mapped;
  try {
    const caller = await client.send(new sts.GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(CALLER_LOOKUP_TIMEOUT_MS),
    });
    if (caller.Arn === undefined) return mapped;
    return toCredentialsError(error, { ...context, baseIdentity: caller.Arn });
  } catch {
    return mapped;
  }
}

type BaseProvider = ReturnType<typeof import('@aws-sdk/credential-provider-env').fromEnv>;

/** The session name a base role (the pod's, or an MFA profile's) is assumed with, when nothing else says. */
const POD_ROLE_SESSION_NAME = 'rolemap-base';

/**
 * The SDK's provider for the base credentials that assumeBaseSource picked (the AWS CLI's order,
 * which the SDK for JavaScript's default chain does not follow: it lets AWS_PROFILE beat
 * environment keys, ignores AWS_DEFAULT_PROFILE, and would take the profile before EKS's token).
 * Only the provider that is used is loaded: fromEnv alone avoids loading the rest of the chain
 * (ini files, SSO, processes, metadata services), most of a cache miss's start-up.
 */
async function baseCredentialsProvider(
  init: FromAssumeRoleInit,
  env: Environment,
  descriptor: string,
  sts: typeof import('./sdk/clientSts'),
): Promise<BaseProvider> {
  const { request, logger } = init;
  const sdkLogger = toSdkLogger(logger);
  const source = assumeBaseSource(request.sourceProfile, env);
  if (source.kind === 'profile' || source.kind === 'chain') {
    // A profile that needs an MFA code: its cached MFA session, never the SDK's prompt-less failure.
    const mfa = resolveMfaProfile(readAwsConfig(env, resolveHomeDir(env)), source.kind === 'profile' ? source.profile : 'default');
    if (mfa !== undefined) {
      return () =>
        mfaBaseCredentials({
          mfa,
          store: init.store,
          now: (init.now ?? Date.now)(),
          sts,
          region: stsRegionFor(request, env),
          logger,
          baseIdentity: descriptor,
          defaultSessionName: POD_ROLE_SESSION_NAME,
        });
    }
  }
  switch (source.kind) {
    case 'environment':
      return sts.fromEnv({ logger: sdkLogger });
    case 'web-identity': {
      // EKS IRSA: the pod's role, assumed with its token, is the base; the mapped role is then
      // assumed from it, as every AWS SDK does with this pair.
      const endpoint = resolveStsEndpoint(env);
      const sessionName = env['AWS_ROLE_SESSION_NAME'];
      return (await loadCredentialProviders()).fromTokenFile({
        roleArn: source.roleArn,
        webIdentityTokenFile: source.tokenFile,
        roleSessionName: sessionName !== undefined && sessionName !== '' ? sessionName : POD_ROLE_SESSION_NAME,
        clientConfig: { region: stsRegionFor(request, env), ...(endpoint === undefined ? {} : { endpoint }), ...providerClientConfig(env) },
        logger: sdkLogger,
      });
    }
    case 'profile':
      // An SSO base profile's token is refreshed under rolemap's lock first, so the SDK never refreshes it.
      await refreshSsoProfileToken({ profile: source.profile, env, logger });
      return (await loadCredentialProviders()).fromNodeProviderChain({ profile: source.profile, logger: sdkLogger, clientConfig: providerClientConfig(env, source.profile) });
    case 'chain':
      await refreshSsoProfileToken({ profile: undefined, env, logger });
      return (await loadCredentialProviders()).fromNodeProviderChain({ logger: sdkLogger, clientConfig: providerClientConfig(env) });
    case 'container':
      return (await loadCredentialProviders()).fromNodeProviderChain({ logger: sdkLogger, clientConfig: providerClientConfig(env) });
  }
}
