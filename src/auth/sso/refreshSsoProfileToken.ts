import { SSO_PROFILE_REFRESH_WINDOW_SECONDS } from '../../constants';
import { awsProfileSection } from '../awsProfileSection';
import type { Logger } from '../../log/logger';
import type { Environment } from '../../resolve/types';
import { getSsoTokenFilepath } from './getSsoTokenFilepath';
import { isRefreshable } from './isRefreshable';
import { readAwsConfig, type AwsConfigSections } from './readAwsConfig';
import { readSsoToken } from './readSsoToken';
import { refreshSsoToken, type WithLock } from './refreshSsoToken';
import { resolveHomeDir } from './resolveHomeDir';

export interface RefreshSsoProfileTokenInit {
  /** The profile the SDK chain will use (`source_profile`); else AWS_PROFILE, else "default", as the SDK picks it. */
  profile: string | undefined;
  env: Environment;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  homeDir?: string | undefined;
  withLock?: WithLock | undefined;
}

/** A profile's SSO token: the file botocore and the SDK read it from, and the portal it is for. */
interface ProfileToken {
  path: string;
  startUrl: string;
  region: string;
  /** How to log in again, for the error when the session is gone. */
  loginHint: string;
}

/** Profiles followed through source_profile before giving up (a loop, or a chain nobody writes). */
const MAX_SOURCE_PROFILE_HOPS = 8;

/** The SSO token behind `name`, following source_profile as the SDK does; undefined for a profile that is not SSO. */
function profileToken(sections: AwsConfigSections, name: string, homeDir: string): ProfileToken | undefined {
  const seen = new Set<string>();
  let current = name;
  for (let hop = 0; hop < MAX_SOURCE_PROFILE_HOPS && !seen.has(current); hop += 1) {
    seen.add(current);
    const profile = awsProfileSection(sections, current);
    if (profile === undefined) return undefined;
    const sessionName = profile['sso_session'];
    if (sessionName !== undefined && sessionName !== '') {
      const session = sections.get(`sso-session ${sessionName}`);
      const startUrl = session?.['sso_start_url'];
      const region = session?.['sso_region'];
      if (startUrl === undefined || region === undefined) return undefined;
      const loginHint = `run \`aws sso login --sso-session ${sessionName}\` or \`rolemap login --start-url ${startUrl} --region ${region} --sso-session ${sessionName}\``;
      return { path: getSsoTokenFilepath(sessionName, homeDir), startUrl, region, loginHint };
    }
    const startUrl = profile['sso_start_url'];
    if (startUrl !== undefined && startUrl !== '') {
      const region = profile['sso_region'] ?? '';
      const loginHint = `run \`aws sso login --profile ${current}\` or \`rolemap login --start-url ${startUrl} --region ${region}\``;
      return { path: getSsoTokenFilepath(startUrl, homeDir), startUrl, region, loginHint };
    }
    const source = profile['source_profile'];
    // A profile with its own keys or credential_process ends the chain there, as in the SDK.
    if (source === undefined || source === '' || profile['credential_process'] !== undefined) return undefined;
    current = source;
  }
  return undefined;
}

/**
 * Before the AWS SDK's credential chain runs for `auth: assume`: when the profile it will use is
 * an IAM Identity Center profile (sso-session or legacy, directly or through source_profile)
 * whose token nears expiry, refreshes that token under rolemap's lock (refreshSsoToken), once for
 * all parallel calls. The SDK then reads a fresh token and never refreshes it itself, outside
 * any lock, with a refresh token that rotates (docs/architecture.md, "Data flow of a call").
 *
 * Does nothing for other profiles, for a missing token file, or for a token that cannot be
 * refreshed: the SDK chain then gives its own answer. A session that is gone is CredentialsError
 * `sso-login-required`, with the commands that log in again.
 */
export async function refreshSsoProfileToken(init: RefreshSsoProfileTokenInit): Promise<void> {
  const name = init.profile ?? (init.env['AWS_PROFILE'] || undefined) ?? 'default';
  const homeDir = init.homeDir ?? resolveHomeDir(init.env);
  const target = profileToken(readAwsConfig(init.env, homeDir), name, homeDir);
  if (target === undefined) return;
  const now = init.now ?? Date.now;
  const token = await readSsoToken(target.path);
  if (token === undefined || token.expiresAtMs - now() > SSO_PROFILE_REFRESH_WINDOW_SECONDS * 1000) return;
  if (!isRefreshable(token, now())) return;
  init.logger?.debug('Refreshing the SSO token of the base profile', { profile: name });
  await refreshSsoToken({
    path: target.path,
    sso: { startUrl: target.startUrl, region: token.region ?? target.region },
    env: init.env,
    now,
    logger: init.logger,
    withLock: init.withLock,
    windowSeconds: SSO_PROFILE_REFRESH_WINDOW_SECONDS,
    loginHint: target.loginHint,
  });
}
