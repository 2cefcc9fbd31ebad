import { login } from '../../auth/sso/login';
import type { CommandContext } from '../CommandContext';
import { ssoPortalsFor, type SsoFlags } from './ssoPortalsFor';

/**
 * `rolemap login`: the device authorization flow; the URL and code go to stderr. Without
 * --start-url or --sso-session it signs in to each portal the mapping tree uses, one after another.
 * With --mfa, an MFA session for the base profile instead (loginMfa).
 */
export async function runLogin(
  options: SsoFlags & { noBrowser: boolean; ssoSession: string | undefined; mfa: boolean; profile: string | undefined; code: string | undefined },
  context: CommandContext,
): Promise<void> {
  if (options.mfa) return (await import('./loginMfa')).runLoginMfa(options, context);
  const { deps } = context;
  const portals = await ssoPortalsFor(options, context, { every: true });
  for (const [index, { sso, storeAs }] of portals.entries()) {
    if (portals.length > 1) {
      const named = sso.session === undefined ? '' : ` (sso session ${sso.session})`;
      deps.notify(`Portal ${index + 1} of ${portals.length}: ${sso.startUrl}${named}`);
    }
    const result = await login({
      startUrl: sso.startUrl,
      region: sso.region,
      noBrowser: options.noBrowser,
      sessionName: storeAs,
      env: deps.env,
      notify: deps.notify,
      isTTY: deps.stderrIsTTY(),
      homeDir: deps.homedir,
    });
    deps.notify(
      `Logged in to ${sso.startUrl}; the token is valid until ${result.expiresAt}` +
        (result.refreshable ? ' and will be refreshed automatically.' : '. Run `rolemap login` again after that.'),
    );
  }
}
