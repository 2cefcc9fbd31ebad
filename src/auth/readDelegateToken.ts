import type { DelegateRequest, Environment } from '../resolve/types';
import { isCi } from '../resolve/isCi';
import { webIdentityAvailable } from '../resolve/webIdentityAvailable';

/**
 * For `auth: delegate` in CI: the web identity token Terragrunt should assume the role with,
 * when one is available. Outside CI, or without a token, Terragrunt assumes the role with the
 * credentials it already has.
 */
export async function readDelegateToken(request: DelegateRequest, env: Environment): Promise<string | undefined> {
  if (!isCi(env) || !webIdentityAvailable(request.webIdentity.token, env)) return undefined;
  const { readWebIdentityToken } = await import('./readWebIdentityToken');
  const { token } = await readWebIdentityToken(request.webIdentity.token, { env, audience: request.webIdentity.audience });
  return token;
}
