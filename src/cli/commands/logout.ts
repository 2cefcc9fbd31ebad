import { logout } from '../../auth/sso/logout';
import type { CommandContext } from '../CommandContext';
import { ssoSettingsFor, type SsoFlags } from './ssoSettingsFor';

/** `rolemap logout`: signs out at the portal and removes the cached token. */
export async function runLogout(options: SsoFlags, context: CommandContext): Promise<void> {
  const { deps } = context;
  const sso = await ssoSettingsFor(options, context);
  await logout({ startUrl: sso.startUrl, region: sso.region, env: deps.env, notify: deps.notify, homeDir: deps.homedir });
}
