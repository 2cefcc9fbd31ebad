import { logout } from '../../auth/sso/logout';
import { ssoBaseIdentity } from '../../auth/describeBaseIdentity';
import { removeCredentialEntries } from '../../cache/removeCredentialEntries';
import type { CommandContext } from '../CommandContext';
import { ssoPortalsFor, type SsoFlags } from './ssoPortalsFor';

/**
 * `rolemap logout`: signs out at the portal, removes the cached token, and removes credentials
 * rolemap cached from that SSO session (as `aws sso logout` does), so no unit keeps using them.
 * Without --start-url or --sso-session it does so for each portal the mapping tree uses.
 */
export async function runLogout(options: SsoFlags & { ssoSession: string | undefined }, context: CommandContext): Promise<void> {
  const { deps } = context;
  for (const { sso, storeAs } of await ssoPortalsFor(options, context, { every: true })) {
    await logout({
      startUrl: sso.startUrl,
      region: sso.region,
      sessionName: storeAs,
      env: deps.env,
      notify: deps.notify,
      homeDir: deps.homedir,
    });
    if (context.cache === undefined) continue;
    const session = ssoBaseIdentity(sso.startUrl);
    const removed = removeCredentialEntries(context.cache.store, (parts) => parts.authKind === 'sso' && parts.baseIdentity === session);
    if (removed > 0) deps.notify(`Removed ${removed} cached credential${removed === 1 ? '' : 's'} obtained through that session.`);
  }
}
