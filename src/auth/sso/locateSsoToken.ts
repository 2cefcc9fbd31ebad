import type { Environment } from '../../resolve/types';
import { findSsoCacheIds } from './findSsoCacheIds';
import { getSsoTokenFilepath } from './getSsoTokenFilepath';
import { normaliseStartUrl } from './normaliseStartUrl';
import { readSsoToken } from './readSsoToken';
import type { SsoTokenLocation } from './types';

export interface LocateSsoTokenInit {
  startUrl: string;
  env: Environment;
  homeDir: string;
  /** An sso-session name to look under first (e.g. given on the command line). */
  sessionName?: string | undefined;
}

/**
 * Finds the token for a start URL among the files the AWS CLI may have written it to (see
 * findSsoCacheIds). When several hold one, the one that expires last wins. A file holding a
 * token for another start URL is ignored. `writePath` is where a login writes: under the
 * sso-session name when the AWS config file has one for this portal, so that `aws` commands of
 * sso-session profiles use rolemap's login too.
 */
export async function locateSsoToken(init: LocateSsoTokenInit): Promise<SsoTokenLocation> {
  const ids = await findSsoCacheIds(init);
  if (init.sessionName !== undefined && init.sessionName !== '') ids.unshift(init.sessionName);
  const candidates = [...new Set(ids.map((id) => getSsoTokenFilepath(id, init.homeDir)))];
  const tokens = await Promise.all(candidates.map(readSsoToken));
  const wanted = normaliseStartUrl(init.startUrl);
  const writePath = candidates[0] ?? getSsoTokenFilepath(init.startUrl, init.homeDir);
  let best: SsoTokenLocation = { path: writePath, token: undefined, writePath, candidates };
  for (const [index, token] of tokens.entries()) {
    const path = candidates[index];
    if (token === undefined || path === undefined) continue;
    if (token.startUrl !== undefined && normaliseStartUrl(token.startUrl) !== wanted) continue;
    if (best.token === undefined || token.expiresAtMs > best.token.expiresAtMs) best = { path, token, writePath, candidates };
  }
  return best;
}
