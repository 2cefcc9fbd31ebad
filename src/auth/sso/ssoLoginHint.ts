import type { SsoSettings } from '../../config/types';

/**
 * What to run when the SSO login is missing or spent. A portal named under the mapping file's
 * `sso_sessions` is logged in to by that name (from anywhere in the tree); any other is named by
 * its start URL and region, so the command works from any directory, also where no config
 * supplies them.
 */
export function ssoLoginHint(sso: SsoSettings): string {
  if (sso.session !== undefined) return `run \`rolemap login --sso-session ${sso.session}\``;
  return `run \`rolemap login --start-url ${sso.startUrl} --region ${sso.region}\``;
}
