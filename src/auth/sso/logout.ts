import { unlink } from '../../onDemandFsPromises';

import { CredentialsError } from '../../errors';
import type { Environment } from '../../resolve/types';
import { withRetries } from '../withRetries';
import { createSsoPortalClient } from './createSsoPortalClient';
import { normaliseStartUrl } from './normaliseStartUrl';
import { readSsoToken } from './readSsoToken';
import { resolveHomeDir } from './resolveHomeDir';
import { locateSsoToken } from './locateSsoToken';
import { spentRefreshTokenMarker } from './spentRefreshTokenMarker';
import { toSsoCredentialsError } from './toSsoCredentialsError';

export interface LogoutOptions {
  startUrl: string;
  /** The SSO portal region. */
  region: string;
  env: Environment;
  /** Writes a line to stderr. */
  notify: (message: string) => void;
  sessionName?: string | undefined;
  homeDir?: string | undefined;
  now?: (() => number) | undefined;
}

export interface LogoutResult {
  /** Token files deleted. */
  removed: string[];
  /** Whether the portal confirmed the sign-out of at least one live token. */
  signedOut: boolean;
}

/**
 * `rolemap logout`: signs each live token for the start URL out at the portal (sso:Logout), then
 * deletes every token file for it: under each name the AWS config uses for the portal and
 * `sessionName`, as `rolemap login` wrote them. The files go even when the portal cannot be reached, so
 * nothing is left behind on this machine; `notify` says what could not be done.
 */
export async function logout(options: LogoutOptions): Promise<LogoutResult> {
  const now = options.now ?? Date.now;
  const homeDir = options.homeDir ?? resolveHomeDir(options.env);
  const { candidates } = await locateSsoToken({ startUrl: options.startUrl, env: options.env, homeDir, sessionName: options.sessionName });
  const wanted = normaliseStartUrl(options.startUrl);
  const found: Array<{ path: string; accessToken: string; live: boolean }> = [];
  for (const path of candidates) {
    const token = await readSsoToken(path);
    if (token === undefined || (token.startUrl !== undefined && normaliseStartUrl(token.startUrl) !== wanted)) continue;
    found.push({ path, accessToken: token.accessToken, live: token.expiresAtMs > now() });
  }
  if (found.length === 0) {
    options.notify(`Not logged in to ${options.startUrl}; nothing to do.`);
    return { removed: [], signedOut: false };
  }

  let signedOut = false;
  const live = [...new Set(found.filter((f) => f.live).map((f) => f.accessToken))];
  if (live.length > 0) {
    // One SDK attempt per try: withRetries retries throttling, 5xx, network errors and timeouts.
    const { client, sdk } = await createSsoPortalClient(options.region, options.env, { maxAttempts: 1 });
    try {
      for (const accessToken of live) {
        try {
          await withRetries(
            async ({ signal }) =>
              client.send(new sdk.LogoutCommand({ accessToken }), { abortSignal: signal }).catch((error: unknown) =>
                Promise.reject(toSsoCredentialsError(error, { action: `sign out of ${options.startUrl}`, loginHint: 'run `rolemap login`' })),
              ),
            { now },
          );
          signedOut = true;
        } catch (failure) {
          // The SDK's error, under the CredentialsError (and withRetries' "gave up") around it.
          let error: unknown = failure;
          while (error instanceof CredentialsError && error.cause !== undefined) error = error.cause;
          const name = typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
          // UnauthorizedException: the portal had already ended that session.
          if (name !== 'UnauthorizedException') {
            options.notify(`Could not sign out at the portal (${name || 'network error'}); removing the local token anyway.`);
          }
        }
      }
    } finally {
      client.destroy();
    }
  }

  const removed: string[] = [];
  for (const { path } of found) {
    await unlink(path).then(
      () => removed.push(path),
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    await spentRefreshTokenMarker.clear(path);
  }
  options.notify(`Logged out of ${options.startUrl}.`);
  return { removed, signedOut };
}
