import type { SSOOIDCClient, StartDeviceAuthorizationCommandOutput } from '@aws-sdk/client-sso-oidc';

import {
  RETRY_MAX_ATTEMPTS,
  SSO_ACCOUNT_ACCESS_SCOPE,
  SSO_CLIENT_NAME,
  SSO_DEFAULT_POLL_INTERVAL_SECONDS,
  SSO_REGISTRATION_RENEW_SECONDS,
  SSO_SLOW_DOWN_INCREMENT_SECONDS,
} from '../../constants';
import { CacheError, CredentialsError } from '../../errors';
import type { Environment } from '../../resolve/types';
import { withRetries, type RetryOptions } from '../withRetries';
import { createSsoOidcClient } from './createSsoOidcClient';
import { formatSsoTimestamp } from './formatSsoTimestamp';
import { locateSsoToken } from './locateSsoToken';
import { toSsoCredentialsError } from './toSsoCredentialsError';
import type { SsoToken } from './types';
import { writeSsoToken } from './writeSsoToken';

export interface LoginWithDeviceFlowInit {
  startUrl: string;
  /** The IAM Identity Center (sso-oidc) region. */
  region: string;
  /** Store the token under this sso-session name (as `aws sso login --sso-session NAME` does). */
  sessionName?: string | undefined;
  env: Environment;
  homeDir: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Shows a line to the person logging in (stderr). Never given a secret. */
  notify: (message: string) => void;
  /** Opens the verification page; undefined means do not open a browser. */
  openBrowser: ((url: string) => Promise<void>) | undefined;
}

export interface LoginResult {
  /** The token files written: one per name the AWS config uses for the portal (see findSsoCacheIds). */
  paths: string[];
  /** When the access token expires, in the token file's format. */
  expiresAt: string;
  /** Whether a refresh token came with it, so credential calls can renew it without a login. */
  refreshable: boolean;
}

interface Registration {
  clientId: string;
  clientSecret: string;
  expiresAtMs: number;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
}

/**
 * The cached registration, when it is for this region, not about to expire, and known to carry
 * the `sso:account:access` scope. The token file does not record scopes; a refresh token beside
 * the registration proves the scope (the service issues one only with it). A legacy
 * `aws sso login` registers without the scope: reusing that would give a token that cannot be
 * refreshed.
 */
function reusableRegistration(token: SsoToken | undefined, region: string, nowMs: number): Registration | undefined {
  if (token?.clientId === undefined || token.clientSecret === undefined || token.registrationExpiresAtMs === undefined) return undefined;
  if (token.refreshToken === undefined) return undefined;
  if (token.region !== undefined && token.region !== region) return undefined;
  if (token.registrationExpiresAtMs - nowMs < SSO_REGISTRATION_RENEW_SECONDS * 1000) return undefined;
  return { clientId: token.clientId, clientSecret: token.clientSecret, expiresAtMs: token.registrationExpiresAtMs };
}

async function register(
  { client, sdk }: { client: SSOOIDCClient; sdk: typeof import('../sdk/clientSsoOidc') },
  fail: (error: unknown) => CredentialsError,
  retry: RetryOptions,
): Promise<Registration> {
  return withRetries(async ({ signal }) => {
    try {
      const response = await client.send(
        new sdk.RegisterClientCommand({ clientName: SSO_CLIENT_NAME, clientType: 'public', scopes: [SSO_ACCOUNT_ACCESS_SCOPE] }),
        { abortSignal: signal },
      );
      if (response.clientId === undefined || response.clientSecret === undefined || response.clientSecretExpiresAt === undefined) {
        throw new CredentialsError('IAM Identity Center returned an incomplete client registration', { kind: 'malformed-response' });
      }
      return { clientId: response.clientId, clientSecret: response.clientSecret, expiresAtMs: response.clientSecretExpiresAt * 1000 };
    } catch (error) {
      throw fail(error);
    }
  }, retry);
}

/**
 * `rolemap login`: the OAuth device authorization flow against IAM Identity Center. Reuses the
 * cached client registration until it nears expiry, if it has the `sso:account:access` scope
 * (else RegisterClient with that scope, which makes the service issue a refresh token), starts a device
 * authorization, shows the verification URL and code through `notify`, optionally opens a
 * browser, then polls CreateToken at the server's interval (+5 s on each slow_down) until the
 * person approves; a poll that fails for a passing reason is polled past. RegisterClient and
 * StartDeviceAuthorization go through withRetries. The token is written where `aws sso login`
 * writes it, in the same format, under every name the AWS config uses for the portal (and
 * `sessionName`).
 */
export async function loginWithDeviceFlow(init: LoginWithDeviceFlowInit): Promise<LoginResult> {
  const location = await locateSsoToken({ startUrl: init.startUrl, env: init.env, homeDir: init.homeDir, sessionName: init.sessionName });
  const fail = (error: unknown): CredentialsError =>
    toSsoCredentialsError(error, {
      action: `log in to IAM Identity Center at ${init.startUrl}`,
      loginHint: 'run `rolemap login` again',
      baseIdentity: init.startUrl,
    });

  // One SDK attempt per try: withRetries retries throttling, 5xx, network errors and timeouts,
  // with the same backoff and deadline as the credential calls.
  const oidc = await createSsoOidcClient(init.region, init.env, { maxAttempts: 1 });
  const { client, sdk } = oidc;
  const retry: RetryOptions = { sleep: init.sleep, now: init.now };
  try {
    let registration = reusableRegistration(location.token, init.region, init.now());
    const reused = registration !== undefined;
    registration ??= await register(oidc, fail, retry);

    const start = (r: Registration): Promise<StartDeviceAuthorizationCommandOutput> =>
      withRetries(async ({ signal }) => {
        const command = new sdk.StartDeviceAuthorizationCommand({ clientId: r.clientId, clientSecret: r.clientSecret, startUrl: init.startUrl });
        return client.send(command, { abortSignal: signal }).catch((error: unknown) => Promise.reject(fail(error)));
      }, retry);
    let device: StartDeviceAuthorizationCommandOutput;
    try {
      device = await start(registration);
    } catch (error) {
      // A cached registration the service no longer knows: register afresh, once.
      if (!reused || !(error instanceof CredentialsError) || errorName(error.cause) !== 'InvalidClientException') throw error;
      registration = await register(oidc, fail, retry);
      device = await start(registration);
    }
    if (device.deviceCode === undefined || device.userCode === undefined || device.verificationUri === undefined) {
      throw new CredentialsError('IAM Identity Center returned an incomplete device authorization', { kind: 'malformed-response' });
    }

    const url = device.verificationUriComplete ?? device.verificationUri;
    init.notify(`To log in to ${init.startUrl}, open this URL in a browser:\n  ${url}\nand check that it shows the code: ${device.userCode}`);
    if (init.openBrowser !== undefined) {
      await init.openBrowser(url).then(
        () => init.notify('A browser window has been opened. If none appeared, open the URL above yourself.'),
        () => init.notify('Could not open a browser. Open the URL above yourself.'),
      );
    }

    const lifetimeSeconds = device.expiresIn ?? 600;
    const deadline = init.now() + lifetimeSeconds * 1000;
    const expired = new CredentialsError('The login code expired before it was approved in the browser', {
      kind: 'expired-token',
      baseIdentity: init.startUrl,
      hint: `run \`rolemap login\` again and approve the code within ${Math.round(lifetimeSeconds / 60)} minutes`,
    });
    let intervalSeconds = device.interval ?? SSO_DEFAULT_POLL_INTERVAL_SECONDS;
    /** Polls in a row that failed for a passing reason (throttling, 5xx, network, timeout). */
    let transientFailures = 0;
    for (;;) {
      await init.sleep(intervalSeconds * 1000);
      if (init.now() >= deadline) throw expired;
      try {
        const response = await client.send(
          new sdk.CreateTokenCommand({
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            grantType: 'urn:ietf:params:oauth:grant-type:device_code',
            deviceCode: device.deviceCode,
          }),
        );
        if (response.accessToken === undefined || response.expiresIn === undefined) {
          throw new CredentialsError('IAM Identity Center returned no access token', { kind: 'malformed-response' });
        }
        const token: SsoToken = {
          startUrl: init.startUrl,
          region: init.region,
          accessToken: response.accessToken,
          expiresAtMs: init.now() + response.expiresIn * 1000,
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          registrationExpiresAtMs: registration.expiresAtMs,
          refreshToken: response.refreshToken,
        };
        // Under every name the AWS config uses for this portal, so each of its profiles works.
        for (const path of location.candidates) {
          await writeSsoToken(path, token).catch((error: unknown) => {
            throw new CacheError(`Could not save the SSO token to ${path}`, { cause: error });
          });
        }
        // The caller reports success (it knows whether a person is watching).
        return {
          paths: [...location.candidates],
          expiresAt: formatSsoTimestamp(token.expiresAtMs),
          refreshable: token.refreshToken !== undefined,
        };
      } catch (error) {
        switch (errorName(error)) {
          case 'AuthorizationPendingException':
            transientFailures = 0;
            continue;
          case 'SlowDownException':
            intervalSeconds += SSO_SLOW_DOWN_INCREMENT_SECONDS;
            transientFailures = 0;
            continue;
          case 'ExpiredTokenException':
            throw expired;
          case 'AccessDeniedException':
            throw new CredentialsError('The login was denied in the browser', {
              kind: 'access-denied',
              baseIdentity: init.startUrl,
              hint: 'run `rolemap login` again and choose Allow',
            });
          default: {
            if (error instanceof CacheError) throw error;
            // The device flow's own answers are above; a passing failure is polled past, at the
            // poll interval, until the code expires or RETRY_MAX_ATTEMPTS polls in a row failed.
            const failure = fail(error);
            transientFailures += 1;
            if (failure.retryable && transientFailures < RETRY_MAX_ATTEMPTS) continue;
            throw failure;
          }
        }
      }
    }
  } finally {
    client.destroy();
  }
}
