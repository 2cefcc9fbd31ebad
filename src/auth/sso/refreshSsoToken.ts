import type { SsoSettings } from '../../config/types';
import { withFileLock } from '../../cache/withFileLock';
import {
  LOCK_STALE_MS,
  SSO_REFRESH_BUDGET_MS,
  SSO_REFRESH_REQUEST_TIMEOUT_MS,
  SSO_REFRESH_SETTLE_MS,
  SSO_TOKEN_LOCK_WAIT_MS,
  SSO_TOKEN_REFRESH_WINDOW_SECONDS,
} from '../../constants';
import { CredentialsError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { Environment } from '../../resolve/types';
import { classifySdkError } from '../classifySdkError';
import { withRetries, type RetryOptions } from '../withRetries';
import { createSsoOidcClient } from './createSsoOidcClient';
import { isRefreshable } from './isRefreshable';
import { readSsoToken } from './readSsoToken';
import { spentRefreshTokenMarker, type SpentRefreshTokenMarker } from './spentRefreshTokenMarker';
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
  /** Refresh when less than this is left; default SSO_TOKEN_REFRESH_WINDOW_SECONDS. */
  windowSeconds?: number | undefined;
  /** The hint of a login that must be redone; default `rolemap login` for `sso`. */
  loginHint?: string | undefined;
  /** Where refused refresh tokens are noted; default files beside the token file. */
  spent?: SpentRefreshTokenMarker | undefined;
  /** Pause between looks at the token file while another writer may be saving it. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** How long the grant's answer is waited for; default SSO_REFRESH_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number | undefined;
  /** Waits and clock of the retries of a grant that was not processed; the deadline is the refresh budget's. */
  retry?: RetryOptions | undefined;
}

/** How often the token file is looked at while waiting for another writer. */
const SETTLE_POLL_MS = 100;
/** Grants one lock holder may send: a second only with a refresh token another tool saved meanwhile. */
const MAX_GRANTS = 2;

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
}

/**
 * Whether a failed refresh grant certainly was not processed by the token service, so sending
 * the same refresh token again cannot present a spent one. The AWS SDKs retry this call like any
 * other (throttling, 500/502/503/504, resets and timeouts alike); rolemap keeps only the cases
 * where the token cannot have been used:
 * - the connection failed before the request was written (refused, no DNS, no route, TLS
 *   handshake): the service never saw the grant;
 * - throttling (HTTP 429, ThrottlingException, TooManyRequestsException, SlowDownException): the
 *   service refuses a throttled request before acting on it;
 * - HTTP 503 from AWS (ServiceUnavailableException): the service turned the request away
 *   unprocessed.
 * Everything else (a timeout or reset after sending, 500/502/504, an answer that is not from AWS)
 * may have come after the grant was processed, and is not retried.
 */
function grantNotProcessed(error: CredentialsError): boolean {
  // The SDK's error, under withRetries' "gave up" wrapper if there is one.
  let cause = error.cause;
  while (cause instanceof CredentialsError) cause = cause.cause;
  const failure = classifySdkError(cause);
  switch (failure.type) {
    case 'network':
      return !failure.sent;
    case 'untrusted-certificate':
    case 'proxy-refused':
      // The handshake failed, or the proxy opened no tunnel: the request never left this process.
      return true;
    case 'service':
      return error.kind === 'throttled' || failure.status === 503;
    case 'not-aws':
      // A proxy's 503 may follow a request it had passed on; only its 429 is surely a refusal.
      return error.kind === 'throttled';
    default:
      return false;
  }
}

/**
 * Makes the token at `path` fresh with the refresh_token grant, once across all processes, and
 * safely beside other tools that refresh the same file (docs/architecture.md, "Data flow of a
 * call"). Under a lock beside the token file it re-reads the file (another process may have
 * refreshed it already; with rotation only the newest refresh token is accepted), and refreshes
 * only a token still near expiry. The grant spends the refresh token it presents, so it is retried
 * (withRetries, within SSO_REFRESH_BUDGET_MS) only after failures where the service certainly did
 * not process it (grantNotProcessed); any other failure leaves it sent once, with a 60 s answer
 * timeout.
 *
 * When the grant is refused (invalid_grant), the tool that spent the token may still be saving
 * the rotated one: the refusal is noted beside the file (a hash, never the token), and this
 * process and every later one wait, together and for at most SSO_REFRESH_SETTLE_MS after the
 * refusal, for a fresh token to appear in the file. No process sends a refresh token known to
 * be spent. A grant that got no answer is noted too: the processes waiting behind it fail at
 * once (retryable) instead of each sending a token that may be spent. All of it ends within
 * SSO_REFRESH_BUDGET_MS.
 *
 * A token that cannot be refreshed and has expired is CredentialsError `sso-login-required`.
 */
export async function refreshSsoToken(init: RefreshSsoTokenInit): Promise<SsoToken> {
  const withLock: WithLock =
    init.withLock ?? ((lockPath, fn) => withFileLock(lockPath, fn, { waitMs: SSO_TOKEN_LOCK_WAIT_MS, staleMs: LOCK_STALE_MS }));
  return withLock(`${init.path}.lock`, () => refreshHoldingLock(init));
}

async function refreshHoldingLock(init: RefreshSsoTokenInit): Promise<SsoToken> {
  const { now } = init;
  const spent = init.spent ?? spentRefreshTokenMarker;
  const sleep = init.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const windowMs = (init.windowSeconds ?? SSO_TOKEN_REFRESH_WINDOW_SECONDS) * 1000;
  const deadline = now() + SSO_REFRESH_BUDGET_MS;
  const hint = init.loginHint ?? ssoLoginHint(init.sso);
  const loginRequired = (why: string): CredentialsError =>
    new CredentialsError(`The SSO login for ${init.sso.startUrl} ${why}`, {
      kind: 'sso-login-required',
      hint,
      baseIdentity: init.sso.startUrl,
    });
  const isFresh = (token: SsoToken): boolean => token.expiresAtMs - now() > windowMs;

  let grants = 0;
  for (;;) {
    const current = await readSsoToken(init.path);
    if (current === undefined) throw loginRequired('is missing');
    if (isFresh(current)) return current;
    if (!isRefreshable(current, now())) {
      if (current.expiresAtMs > now()) return current;
      throw loginRequired('has expired and cannot be refreshed');
    }

    const noted = await spent.noted(init.path, current.refreshToken);
    if (noted?.outcome === 'refused') {
      // Refused before, by this process or another: wait (shared window) for whoever spent it.
      const saved = await waitForAnotherWriter(current, Math.min(noted.at + SSO_REFRESH_SETTLE_MS, deadline));
      if (saved === undefined) {
        if (current.expiresAtMs > now()) return current;
        throw loginRequired('was ended: its refresh token was refused (another tool may have used it)');
      }
      continue;
    }
    if (noted?.outcome === 'failed' && now() < noted.at + SSO_REFRESH_SETTLE_MS) {
      // A grant with this token just went unanswered: it may be spent, so this wave does not resend it.
      if (current.expiresAtMs > now()) return current;
      throw new CredentialsError(`Could not refresh the SSO token for ${init.sso.startUrl}: another call's refresh just failed`, {
        kind: 'timeout',
        retryable: true,
        hint: 'try again in a few seconds; if it keeps failing, check the network and AWS_ENDPOINT_URL_SSO_OIDC',
        baseIdentity: init.sso.startUrl,
      });
    }
    if (grants >= MAX_GRANTS || deadline - now() < 1_000) {
      if (current.expiresAtMs > now()) return current;
      throw loginRequired('could not be refreshed in time');
    }

    grants += 1;
    const outcome = await grantUnlessProcessed(current, deadline);
    if (outcome.kind === 'refreshed') {
      try {
        await writeSsoToken(init.path, outcome.token);
        await spent.clear(init.path);
      } catch (error) {
        // The fresh token still serves this call; the next one will ask for a login.
        init.logger?.warn('Could not save the refreshed SSO token', { path: init.path, code: (error as NodeJS.ErrnoException).code });
      }
      return outcome.token;
    }
    if (outcome.kind === 'refused') {
      init.logger?.info('The SSO refresh token was refused; waiting for another tool to save the rotated one', { path: init.path });
      await spent.note(init.path, current.refreshToken, 'refused', now());
      continue;
    }
    // No answer in time, or the connection dropped after sending: the token may be spent. Not
    // retried, by this process or by the others of this wave. (A grant that was not processed, or
    // a 5xx, leaves it to them.)
    if ((outcome.error.kind === 'timeout' || outcome.error.kind === 'network') && !grantNotProcessed(outcome.error)) {
      await spent.note(init.path, current.refreshToken, 'failed', now());
    }
    if (current.expiresAtMs > now()) return current;
    throw outcome.error;
  }

  /** A token other than `current` in the file, fresh or with another refresh token, by `until`. */
  async function waitForAnotherWriter(current: SsoToken, until: number): Promise<SsoToken | undefined> {
    for (;;) {
      const seen = await readSsoToken(init.path);
      if (seen !== undefined && seen.accessToken !== current.accessToken) {
        if (isFresh(seen) || (isRefreshable(seen, now()) && seen.refreshToken !== current.refreshToken)) return seen;
      }
      if (now() >= until) return undefined;
      await sleep(Math.min(SETTLE_POLL_MS, Math.max(until - now(), 1)));
    }
  }

  /**
   * The grant, sent again (one SDK attempt each, backoff, within the refresh budget) only while
   * it fails unprocessed.
   */
  async function grantUnlessProcessed(current: Refreshable, deadlineAt: number): Promise<GrantOutcome> {
    const timeoutMs = Math.min(init.requestTimeoutMs ?? SSO_REFRESH_REQUEST_TIMEOUT_MS, deadlineAt - now());
    const oidc = await createSsoOidcClient(current.region ?? init.sso.region, init.env, { requestTimeoutMs: timeoutMs, maxAttempts: 1 });
    try {
      return await withRetries(
        async ({ signal }) => {
          const outcome = await grant(oidc, current, signal);
          if (outcome.kind === 'failed' && grantNotProcessed(outcome.error)) throw outcome.error;
          return outcome;
        },
        {
          ...init.retry,
          now,
          deadlineMs: Math.max(deadlineAt - now(), 1),
          onRetry: (error, attempt, delayMs) =>
            init.logger?.info(`sso-oidc:CreateToken (refresh) was not processed (${error.kind}), retrying in ${delayMs} ms`, { attempt }),
        },
      );
    } catch (error) {
      if (error instanceof CredentialsError) return { kind: 'failed', error };
      throw error;
    } finally {
      oidc.client.destroy();
    }
  }

  async function grant(
    { client, sdk }: Awaited<ReturnType<typeof createSsoOidcClient>>,
    current: Refreshable,
    signal: AbortSignal,
  ): Promise<GrantOutcome> {
    try {
      const response = await client.send(
        new sdk.CreateTokenCommand({
          clientId: current.clientId,
          clientSecret: current.clientSecret,
          grantType: 'refresh_token',
          refreshToken: current.refreshToken,
        }),
        { abortSignal: signal },
      );
      if (response.accessToken === undefined || response.expiresIn === undefined) {
        const error = new CredentialsError(`Could not refresh the SSO token for ${init.sso.startUrl}: the response had no access token`, {
          kind: 'malformed-response',
          baseIdentity: init.sso.startUrl,
        });
        return { kind: 'failed', error };
      }
      return {
        kind: 'refreshed',
        token: {
          ...current,
          accessToken: response.accessToken,
          expiresAtMs: now() + response.expiresIn * 1000,
          refreshToken: response.refreshToken ?? current.refreshToken,
        },
      };
    } catch (error) {
      if (errorName(error) === 'InvalidGrantException') return { kind: 'refused' };
      const failure = toSsoCredentialsError(error, {
        action: `refresh the SSO token for ${init.sso.startUrl}`,
        loginHint: hint,
        baseIdentity: init.sso.startUrl,
      });
      return { kind: 'failed', error: failure };
    }
  }
}

type Refreshable = SsoToken & { refreshToken: string; clientId: string; clientSecret: string };
type GrantOutcome = { kind: 'refreshed'; token: SsoToken } | { kind: 'refused' } | { kind: 'failed'; error: CredentialsError };
