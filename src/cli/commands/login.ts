import { login } from '../../auth/sso/login';
import type { CommandContext } from '../CommandContext';
import { ssoSettingsFor, type SsoFlags } from './ssoSettingsFor';

/** `rolemap login`: the device authorization flow; the URL and code go to stderr. */
export async function runLogin(
  options: SsoFlags & { noBrowser: boolean; ssoSession: string | undefined; mfa: boolean; profile: string | undefined; code: string | undefined },
  context: CommandContext,
): Promise<void> {
  if (options.mfa) return (await import('./loginMfa')).runLoginMfa(options, context);
  const { deps } = context;
  const sso = await ssoSettingsFor(options, context);
  const result = await login({
    startUrl: sso.startUrl,
    region: sso.region,
    noBrowser: options.noBrowser,
    sessionName: options.ssoSession,
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
