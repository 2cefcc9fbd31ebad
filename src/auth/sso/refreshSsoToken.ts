import type { SsoSettings } from '../../config/types';
import { withFileLock } from '../../cache/withFileLock';
import { LOCK_STALE_MS, SSO_TOKEN_LOCK_WAIT_MS, SSO_TOKEN_REFRESH_WINDOW_SECONDS } from '../../constants';
import { CredentialsError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { Environment } from '../../resolve/types';
import { createSsoOidcClient } from './createSsoOidcClient';
import { isRefreshable } from './isRefreshable';
import { readSsoToken } from './readSsoToken';
import { ssoLoginHint } from './ssoLoginHint';
import { toSsoCredentialsError } from './toSsoCredentialsError';
import type { SsoToken } from './types';
import { writeSsoToken } from './writeSsoToken';

/** Runs `fn` while holding the lock at `lockPath`, across processes. */
export type WithLock = <T>(lockPath: string, fn: () => Promise<T>) => Promise<T>;

export interface RefreshSsoTokenInit {
  /** The token file to refresh in place. */
  path: string;
  sso: SsoSettings;
  env: Environment;
  now: () => number;
  logger?: Logger | undefined;
  /** Cross-process lock; defaults to withFileLock on a lock file beside the token file. */
  withLock?: WithLock | undefined;
}

function isFresh(token: SsoToken, nowMs: number): boolean {
  return token.expiresAtMs - nowMs > SSO_TOKEN_REFRESH_WINDOW_SECONDS * 1000;
}

/**
 * Makes the token at `path` fresh with the refresh_token grant, once across all processes: under
 * a lock beside the token file, it re-reads the file (another process may already have refreshed
 * it, and with rotation only the newest refresh token is accepted), refreshes only if the token
 * is still near expiry, and writes the result atomically. Returns the token to use.
 *
 * A token that cannot be refreshed and has expired is CredentialsError `sso-login-required`.
 */
export async function refreshSsoToken(init: RefreshSsoTokenInit): Promise<SsoToken> {
  const withLock: WithLock =
    init.withLock ?? ((lockPath, fn) => withFileLock(lockPath, fn, { waitMs: SSO_TOKEN_LOCK_WAIT_MS, staleMs: LOCK_STALE_MS }));
  const loginRequired = (why: string): CredentialsError =>
    new CredentialsError(`The SSO login for ${init.sso.startUrl} ${why}`, {
      kind: 'sso-login-required',
      hint: ssoLoginHint(init.sso),
      baseIdentity: init.sso.startUrl,
    });

  return withLock(`${init.path}.lock`, async () => {
    const current = await readSsoToken(init.path);
    if (current === undefined) throw loginRequired('is missing');
    if (isFresh(current, init.now())) return current;
    if (!isRefreshable(current, init.now())) {
      if (current.expiresAtMs > init.now()) return current;
      throw loginRequired('has expired and cannot be refreshed');
    }

    const { client, sdk } = await createSsoOidcClient(current.region ?? init.sso.region, init.env);
    let refreshed: SsoToken;
    try {
      const response = await client.send(
        new sdk.CreateTokenCommand({
          clientId: current.clientId,
          clientSecret: current.clientSecret,
          grantType: 'refresh_token',
          refreshToken: current.refreshToken,
        }),
      );
      if (response.accessToken === undefined || response.expiresIn === undefined) {
        throw new CredentialsError(`Could not refresh the SSO token for ${init.sso.startUrl}: the response had no access token`, {
          kind: 'malformed-response',
          baseIdentity: init.sso.startUrl,
        });
      }
      refreshed = {
        ...current,
        accessToken: response.accessToken,
        expiresAtMs: init.now() + response.expiresIn * 1000,
        refreshToken: response.refreshToken ?? current.refreshToken,
      };
    } catch (error) {
      const failure = toSsoCredentialsError(error, {
        action: `refresh the SSO token for ${init.sso.startUrl}`,
        loginHint: ssoLoginHint(init.sso),
        baseIdentity: init.sso.startUrl,
      });
      // A tool that does not share this lock (the AWS CLI) may have rotated the token meanwhile.
      const reread = failure.kind === 'sso-login-required' ? await readSsoToken(init.path) : undefined;
      if (reread !== undefined && reread.accessToken !== current.accessToken && isFresh(reread, init.now())) return reread;
      throw failure;
    } finally {
      client.destroy();
    }

    try {
      await writeSsoToken(init.path, refreshed);
    } catch (error) {
      // The fresh token still serves this call; the next one will ask for a login.
      init.logger?.warn('Could not save the refreshed SSO token', { path: init.path, code: (error as NodeJS.ErrnoException).code });
    }
    return refreshed;
  });
}
