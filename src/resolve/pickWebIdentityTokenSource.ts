import type { WebIdentityTokenSource } from '../config/types';
import type { Environment } from './types';

/** Variables `auto` looks at, in order, after GitHub's token request pair. */
export const AUTO_TOKEN_FILE_VARIABLE = 'AWS_WEB_IDENTITY_TOKEN_FILE';
export const AUTO_TOKEN_VARIABLES = ['ROLEMAP_WEB_IDENTITY_TOKEN', 'GITLAB_OIDC_TOKEN'] as const;

/** A token source with `auto` settled. */
export type ConcreteTokenSource = Exclude<WebIdentityTokenSource, { kind: 'auto' }>;

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** Whether GitHub Actions offers an OIDC token: the job has `permissions: id-token: write`. */
export function githubTokenRequestable(env: Environment): boolean {
  return present(env['ACTIONS_ID_TOKEN_REQUEST_URL']) && present(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
}

/**
 * Settles `auto` from the environment alone: GitHub Actions when both ACTIONS_ID_TOKEN_REQUEST_URL
 * and ACTIONS_ID_TOKEN_REQUEST_TOKEN are set, else the file named by AWS_WEB_IDENTITY_TOKEN_FILE
 * (unless AWS_ROLE_ARN is set too: that pair is IRSA's base identity), else ROLEMAP_WEB_IDENTITY_TOKEN, else GITLAB_OIDC_TOKEN. Returns undefined when none is there.
 * An explicit source is returned as it is, present or not.
 */
export function pickWebIdentityTokenSource(source: WebIdentityTokenSource, env: Environment): ConcreteTokenSource | undefined {
  if (source.kind !== 'auto') return source;
  if (githubTokenRequestable(env)) return { kind: 'github' };
  const file = env[AUTO_TOKEN_FILE_VARIABLE];
  // With AWS_ROLE_ARN beside it, the file is EKS's (IRSA) token for the pod's own role: a base
  // identity for `assume`, never a token for the mapped role.
  if (present(file) && !present(env['AWS_ROLE_ARN'])) return { kind: 'file', path: file };
  const name = AUTO_TOKEN_VARIABLES.find((variable) => present(env[variable]));
  return name === undefined ? undefined : { kind: 'env', name };
}

/** How a token source is written in the mapping file: `github`, `env:NAME`, `file:PATH`. */
export function formatTokenSource(source: WebIdentityTokenSource): string {
  switch (source.kind) {
    case 'github':
    case 'auto':
      return source.kind;
    case 'env':
      return `env:${source.name}`;
    case 'file':
      return `file:${source.path}`;
  }
}
