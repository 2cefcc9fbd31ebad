import type { STSClient } from '@aws-sdk/client-sts';
import { CredentialsError } from '../errors';
import type { Logger } from '../log/logger';
import type { Environment, WebIdentityRequest } from '../resolve/types';
import { createStsClient, type CreateStsClientInit } from './createStsClient';
import { describeBaseIdentity } from './describeBaseIdentity';
import { loadSts } from './loadSdk';
import { readWebIdentityToken } from './readWebIdentityToken';
import { stsRegionFor } from './stsRegionFor';
import { toAwsCredentials } from './toAwsCredentials';
import { toCredentialsError } from './toCredentialsError';
import { tokenSubject } from './tokenSubject';
import type { CredentialProvider } from '../AwsCredentials';
import { withRetries, type RetryOptions } from './withRetries';
import { closeSoon } from './closeSoon';

export interface FromWebIdentityInit {
  /** Backoff, clock and deadline for retries; tests pass a fast sleep and a small deadline. */
  retry?: Omit<RetryOptions, 'onRetry'>;
  request: WebIdentityRequest;
  logger: Logger;
  /** Where token variables are read; defaults to process.env. */
  env?: Environment;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Builds the STS client of the call; defaults to createStsClient (one attempt per call, the
   * endpoint from AWS_ENDPOINT_URL_STS). Tests pass one pointed at the emulator.
   */
  stsClient?: (init: CreateStsClientInit) => STSClient;
}

/**
 * Credentials for `request.roleArn` by sts:AssumeRoleWithWebIdentity (README, "How credentials are
 * obtained"), with the OIDC token from `request.webIdentity.token`. The call is unsigned, so no
 * base credentials are looked up. Failures fetching the token or calling STS that may pass
 * (throttling, 5xx, network, timeouts) are retried within the deadline.
 */
export function fromWebIdentity(init: FromWebIdentityInit): CredentialProvider {
  return async () => {
    const { request, logger } = init;
    const env = init.env ?? process.env;
    const descriptor = describeBaseIdentity(request, env);
    if (request.sourceIdentity !== undefined || request.tags.length > 0 || request.settings.externalId !== undefined) {
      logger.debug('web identity: external_id, source_identity and tags are not sent; STS takes them from the token');
    }
    const sts = await loadSts();
    const client = (init.stsClient ?? createStsClient)({
      sts,
      env,
      region: stsRegionFor(request, env),
      logger,
      // AssumeRoleWithWebIdentity is unsigned; this keeps the SDK from ever searching for credentials.
      credentials: async () => {
        throw new CredentialsError('AssumeRoleWithWebIdentity must not be signed', { kind: 'no-base-credentials' });
      },
      ...(init.connectionTimeoutMs === undefined ? {} : { connectionTimeoutMs: init.connectionTimeoutMs }),
      ...(init.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: init.requestTimeoutMs }),
    });

    try {
      let baseIdentity = descriptor;
      const response = await withRetries(
        async ({ signal }) => {
          const { token, source } = await readWebIdentityToken(request.webIdentity.token, {
            env,
            audience: request.webIdentity.audience,
            signal,
          });
          const subject = tokenSubject(token);
          baseIdentity = subject === undefined ? `token from ${source}` : `sub ${subject}`;
          logger.debug('sts:AssumeRoleWithWebIdentity', { roleArn: request.roleArn, base: baseIdentity });
          try {
            return await client.send(
              new sts.AssumeRoleWithWebIdentityCommand({
                RoleArn: request.roleArn,
                RoleSessionName: request.sessionName,
                DurationSeconds: request.settings.durationSeconds,
                WebIdentityToken: token,
              }),
              { abortSignal: signal },
            );
          } catch (error) {
            throw toCredentialsError(error, {
              action: 'AssumeRoleWithWebIdentity',
              roleArn: request.roleArn,
              baseIdentity,
              durationSeconds: request.settings.durationSeconds,
            });
          }
        },
        {
          ...init.retry,
          onRetry: (error, attempt, delayMs) =>
            logger.info(`web identity failed (${error.kind}), retrying in ${delayMs} ms`, { attempt }),
        },
      );
      return toAwsCredentials(response, { roleArn: request.roleArn, baseIdentity });
    } finally {
      closeSoon(client);
    }
  };
}
