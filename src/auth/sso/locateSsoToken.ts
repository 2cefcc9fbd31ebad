import { SSO_TOKEN_REFRESH_WINDOW_SECONDS } from '../../constants';
import type { Environment } from '../../resolve/types';
import { findSsoCacheIds } from './findSsoCacheIds';
import { isRefreshable } from './isRefreshable';
import { getSsoTokenFilepath } from './getSsoTokenFilepath';
import { normaliseStartUrl } from './normaliseStartUrl';
import { readSsoToken } from './readSsoToken';
import type { SsoToken, SsoTokenLocation } from './types';

export interface LocateSsoTokenInit {
  startUrl: string;
  env: Environment;
  homeDir: string;
  /** An sso-session name to look under first (e.g. given on the command line). */
  sessionName?: string | undefined;
  /** Epoch ms; defaults to Date.now. */
  now?: (() => number) | undefined;
}

/**
 * How usable a token is, higher is better: one that needs no refresh, then one that can be
 * refreshed, then one that is merely not expired yet, then an expired one that cannot be
 * refreshed.
 */
function usability(token: SsoToken, nowMs: number): number {
  if (token.expiresAtMs - nowMs > SSO_TOKEN_REFRESH_WINDOW_SECONDS * 1000) return 3;
  if (isRefreshable(token, nowMs)) return 2;
  return token.expiresAtMs > nowMs ? 1 : 0;
}

/**
 * Finds the token for a start URL among the files the AWS CLI may have written it to (see
 * findSsoCacheIds). When several hold one, the most usable wins (see usability: an expired
 * token that cannot be refreshed never shadows one that can), then the one that expires last,
 * then the first in lookup order. A file holding a token for another start URL is ignored.
 */
export async function locateSsoToken(init: LocateSsoTokenInit): Promise<SsoTokenLocation> {
  const ids = await findSsoCacheIds(init);
  if (init.sessionName !== undefined && init.sessionName !== '') ids.unshift(init.sessionName);
  const candidates = [...new Set(ids.map((id) => getSsoTokenFilepath(id, init.homeDir)))];
  const tokens = await Promise.all(candidates.map(readSsoToken));
  const wanted = normaliseStartUrl(init.startUrl);
  const nowMs = (init.now ?? Date.now)();
  const first = candidates[0] ?? getSsoTokenFilepath(init.startUrl, init.homeDir);
  let best: SsoTokenLocation = { path: first, token: undefined, candidates };
  for (const [index, token] of tokens.entries()) {
    const path = candidates[index];
    if (token === undefined || path === undefined) continue;
    if (token.startUrl !== undefined && normaliseStartUrl(token.startUrl) !== wanted) continue;
    if (best.token === undefined) {
      best = { path, token, candidates };
      continue;
    }
    const [mine, theirs] = [usability(token, nowMs), usability(best.token, nowMs)];
    if (mine > theirs || (mine === theirs && token.expiresAtMs > best.token.expiresAtMs)) best = { path, token, candidates };
  }
  return best;
}
