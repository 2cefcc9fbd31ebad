import type { SsoSettings } from '../../config/types';

/**
 * What to run when the SSO login is missing or spent. It names the start URL and region, so it
 * works from any directory, also where no config supplies them.
 */
export function ssoLoginHint(sso: SsoSettings): string {
  return `run \`rolemap login --start-url ${sso.startUrl} --region ${sso.region}\``;
}
