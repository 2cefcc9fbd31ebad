import type { Environment } from '../../resolve/types';
import { normaliseStartUrl } from './normaliseStartUrl';
import { readAwsConfig } from './readAwsConfig';

/**
 * The ids under which the AWS CLI may have cached a token for `startUrl`, best first: the names
 * of `[sso-session NAME]` sections of the AWS config file whose sso_start_url is this portal,
 * then `startUrl` itself, then other spellings of it that legacy profiles use (botocore hashes
 * the start URL exactly as written). A missing or unreadable config file gives just `startUrl`.
 */
export async function findSsoCacheIds(init: { startUrl: string; env: Environment; homeDir: string }): Promise<string[]> {
  const sections = readAwsConfig(init.env, init.homeDir);
  const wanted = normaliseStartUrl(init.startUrl);
  const sessions: string[] = [];
  const spellings: string[] = [];
  for (const [name, settings] of sections) {
    const startUrl = settings['sso_start_url'];
    if (startUrl === undefined || normaliseStartUrl(startUrl) !== wanted) continue;
    const session = /^sso-session\s+(.+)$/.exec(name);
    if (session?.[1] !== undefined) sessions.push(session[1].trim());
    // A profile's own sso_start_url counts only without sso_session (botocore ignores it then).
    else if (settings['sso_session'] === undefined) spellings.push(startUrl);
  }
  return [...new Set([...sessions, init.startUrl, ...spellings])];
}
