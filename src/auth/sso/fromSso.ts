import { SSO_TOKEN_REFRESH_WINDOW_SECONDS } from '../../constants';
import { CredentialsError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { Environment, SsoRequest } from '../../resolve/types';
import type { RoleCredentials } from '@aws-sdk/client-sso';
import type { AwsCredentials, CredentialProvider } from '../../AwsCredentials';
import { checkLifetime } from '../checkLifetime';
import { resolveCallerArn } from '../resolveCallerArn';
import { withRetries, type RetryOptions } from '../withRetries';
import { createSsoPortalClient, type SsoPortalClient } from './createSsoPortalClient';
import { isRefreshable } from './isRefreshable';
import { locateSsoToken } from './locateSsoToken';
import { refreshSsoToken, type WithLock } from './refreshSsoToken';
import { resolveHomeDir } from './resolveHomeDir';
import { ssoLoginHint } from './ssoLoginHint';
import { toSsoCredentialsError } from './toSsoCredentialsError';
import { closeSoon } from '../closeSoon';

export interface FromSsoInit {
  request: SsoRequest;
  env: Environment;
  /** Epoch milliseconds; defaults to Date.now. */
  now?: (() => number) | undefined;
  /** Home directory holding `.aws/`; defaults to HOME from `env`. */
  homeDir?: string | undefined;
  logger?: Logger | undefined;
  withLock?: WithLock | undefined;
  /** Backoff, clock and deadline of the portal call's retries, the same as STS's by default; tests pass a fast sleep. */
  retry?: Omit<RetryOptions, 'onRetry'> | undefined;
  /**
   * Builds the portal client for a region; defaults to createSsoPortalClient (which honours
   * AWS_ENDPOINT_URL_SSO). Its client should make one attempt per call: withRetries retries.
   */
  ssoClient?: ((region: string) => Promise<SsoPortalClient>) | undefined;
}

/**
 * IAM Identity Center credentials for the request's account and permission set (the role
 * name), from the token `rolemap login` or `aws sso login` cached. An expiring token is
 * refreshed when it carries a refresh token; otherwise the call fails with `sso-login-required`.
 * It never starts a device authorization: that needs a person, and Terragrunt calls have none.
 */
export function fromSso(init: FromSsoInit): CredentialProvider {
  return async (): Promise<AwsCredentials> => {
    const { request, env } = init;
    const sso = request.sso;
    const now = init.now ?? Date.now;
    const homeDir = init.homeDir ?? resolveHomeDir(env);
    const loginHint = ssoLoginHint(sso);

    const location = await locateSsoToken({ startUrl: sso.startUrl, env, homeDir, now });
    let token = location.token;
    if (token === undefined) {
      throw new CredentialsError(`Not logged in to IAM Identity Center at ${sso.startUrl}`, {
        kind: 'sso-login-required',
        roleArn: request.roleArn,
        baseIdentity: sso.startUrl,
        hint: loginHint,
      });
    }
    if (token.expiresAtMs - now() <= SSO_TOKEN_REFRESH_WINDOW_SECONDS * 1000 && isRefreshable(token, now())) {
      token = await refreshSsoToken({ path: location.path, sso, env, now, logger: init.logger, withLock: init.withLock });
    }
    if (token.expiresAtMs <= now()) {
      throw new CredentialsError(`The IAM Identity Center login for ${sso.startUrl} has expired`, {
        kind: 'sso-login-required',
        roleArn: request.roleArn,
        baseIdentity: sso.startUrl,
        hint: loginHint,
      });
    }

    const { client, sdk } = await (init.ssoClient ?? ((region) => createSsoPortalClient(region, env, { maxAttempts: 1 })))(sso.region);
    const accessToken = token.accessToken;
    const readRoleCredentials = (c: RoleCredentials | undefined): Omit<AwsCredentials, 'principalArn'> => {
      if (c?.accessKeyId === undefined || c.secretAccessKey === undefined || c.sessionToken === undefined || c.expiration === undefined) {
        throw new CredentialsError(`IAM Identity Center returned incomplete credentials for ${request.roleArn}`, {
          kind: 'malformed-response',
          roleArn: request.roleArn,
          baseIdentity: sso.startUrl,
        });
      }
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        sessionToken: c.sessionToken,
        expiration: new Date(c.expiration).toISOString(),
      };
    };
    let credentials: Omit<AwsCredentials, 'principalArn'>;
    try {
      // The same retries and deadline as STS's calls: throttling, 5xx, network errors and timeouts.
      credentials = await withRetries(
        async ({ signal }) => {
          try {
            const command = new sdk.GetRoleCredentialsCommand({ accessToken, accountId: request.accountId, roleName: request.roleName });
            return readRoleCredentials((await client.send(command, { abortSignal: signal })).roleCredentials);
          } catch (error) {
            throw toSsoCredentialsError(error, {
              action: `get IAM Identity Center credentials for permission set ${request.roleName} in account ${request.accountId}`,
              loginHint,
              forbiddenHint: `check that permission set ${request.roleName} is assigned to you in account ${request.accountId} (the role name must be the permission set name)`,
              roleArn: request.roleArn,
              baseIdentity: sso.startUrl,
            });
          }
        },
        {
          ...init.retry,
          onRetry: (error, attempt, delayMs) => init.logger?.info(`sso:GetRoleCredentials failed (${error.kind}), retrying in ${delayMs} ms`, { attempt }),
        },
      );
    } finally {
      closeSoon(client);
    }
    // The portal's answer does not say whose credentials these are; STS, asked with them, does.
    // That ARN is what checkAccount compares with the mapping, and what the cache keeps with them.
    // Expired ones are refused first: STS would only answer ExpiredToken.
    checkLifetime(request, credentials, sso.startUrl, now());
    const principalArn = await resolveCallerArn({ request, credentials, baseIdentity: sso.startUrl, env, logger: init.logger });
    return { ...credentials, principalArn };
  };
}
