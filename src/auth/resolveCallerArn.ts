import { CredentialsError } from '../errors';
import type { Logger } from '../log/logger';
import type { CredentialRequest, Environment } from '../resolve/types';
import { createStsClient } from './createStsClient';
import { loadSts } from './loadSdk';
import { resolveStsEndpoint } from './resolveStsEndpoint';
import { stsRegionFor } from './stsRegionFor';
import { toCredentialsError } from './toCredentialsError';
import type { AwsCredentials } from '../AwsCredentials';
import { withRetries, type RetryOptions } from './withRetries';
import { closeSoon } from './closeSoon';

export interface ResolveCallerArnInit {
  request: CredentialRequest;
  /** The credentials to ask about; only their keys are used. */
  credentials: Pick<AwsCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;
  /** Who obtained them, for messages. Never a secret. */
  baseIdentity: string;
  env: Environment;
  /** Default: logs nothing. */
  logger?: Logger | undefined;
  retry?: Omit<RetryOptions, 'onRetry'>;
}

const quiet = (): void => undefined;
const SILENT: Logger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, isEnabled: () => false };

/**
 * The ARN that `credentials` act as, by sts:GetCallerIdentity signed with them. Used where the
 * answer that gave the credentials does not name their principal (the SSO portal), so that the
 * account guard checks what AWS says rather than what was asked for. Throttling, 5xx and network
 * errors are retried within the deadline; anything else is a CredentialsError, and nothing is
 * printed.
 */
export async function resolveCallerArn(init: ResolveCallerArnInit): Promise<string> {
  const { request } = init;
  const logger = init.logger ?? SILENT;
  const sts = await loadSts();
  const client = createStsClient({
    sts,
    env: init.env,
    region: stsRegionFor(request, init.env),
    logger,
    // The same `env` that named the SSO portal's endpoint names STS's.
    endpoint: resolveStsEndpoint(init.env),
    credentials: {
      accessKeyId: init.credentials.accessKeyId,
      secretAccessKey: init.credentials.secretAccessKey,
      sessionToken: init.credentials.sessionToken,
    },
  });
  try {
    const answer = await withRetries(
      async ({ signal }) => {
        logger.debug('sts:GetCallerIdentity, to check the account of the new credentials', { roleArn: request.roleArn });
        try {
          return await client.send(new sts.GetCallerIdentityCommand({}), { abortSignal: signal });
        } catch (error) {
          const mapped = toCredentialsError(error, { action: 'AssumeRole', roleArn: request.roleArn, baseIdentity: init.baseIdentity });
          throw new CredentialsError(
            `Could not check which account the new credentials for ${request.roleArn} belong to (sts:GetCallerIdentity): ${error instanceof Error ? error.name : 'error'}`,
            {
              kind: mapped.kind,
              retryable: mapped.retryable,
              roleArn: request.roleArn,
              baseIdentity: init.baseIdentity,
              hint: 'Check AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SSO: STS must recognise credentials from the SSO portal; no credentials were printed.',
              cause: error,
            },
          );
        }
      },
      {
        ...init.retry,
        onRetry: (error, attempt, delayMs) => logger.info(`sts:GetCallerIdentity failed (${error.kind}), retrying in ${delayMs} ms`, { attempt }),
      },
    );
    if (answer.Arn === undefined || answer.Arn === '') {
      throw new CredentialsError(`STS answered GetCallerIdentity for the new credentials of ${request.roleArn} without an ARN`, {
        kind: 'malformed-response',
        roleArn: request.roleArn,
        baseIdentity: init.baseIdentity,
        hint: 'Check AWS_ENDPOINT_URL_STS and any proxy between rolemap and STS; no credentials were printed.',
      });
    }
    return answer.Arn;
  } finally {
    closeSoon(client);
  }
}
