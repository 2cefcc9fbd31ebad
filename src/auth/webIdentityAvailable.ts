import type { WebIdentityTokenSource } from '../config/types';
import type { Environment } from '../resolve/types';

/** Variables `auto` looks at, in order, after GitHub's token request pair. */
export const AUTO_TOKEN_FILE_VARIABLE = 'AWS_WEB_IDENTITY_TOKEN_FILE';
export const AUTO_TOKEN_VARIABLES = ['ROLEMAP_WEB_IDENTITY_TOKEN', 'GITLAB_OIDC_TOKEN'] as const;

function present(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/**
 * Whether a web identity token can be had from `source`, judged from the environment alone
 * (no I/O), so that `auth: auto` can decide without fetching anything.
 */
export function webIdentityAvailable(source: WebIdentityTokenSource, env: Environment): boolean {
  switch (source.kind) {
    case 'github':
      return present(env['ACTIONS_ID_TOKEN_REQUEST_URL']) && present(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
    case 'env':
      return present(env[source.name]);
    case 'file':
      return true;
    case 'auto':
      return (
        webIdentityAvailable({ kind: 'github' }, env) ||
        present(env[AUTO_TOKEN_FILE_VARIABLE]) ||
        AUTO_TOKEN_VARIABLES.some((name) => present(env[name]))
      );
  }
}
