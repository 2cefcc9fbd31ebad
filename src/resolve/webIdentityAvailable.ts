import type { WebIdentityTokenSource } from '../config/types';
import type { Environment } from './types';
import { githubTokenRequestable, pickWebIdentityTokenSource } from './pickWebIdentityTokenSource';

/**
 * Whether a web identity token can be had from `source`, judged from the environment alone
 * (no I/O), so that `auth: auto` can decide without fetching anything. `auto` is settled by
 * pickWebIdentityTokenSource, which only picks a source that is there.
 */
export function webIdentityAvailable(source: WebIdentityTokenSource, env: Environment): boolean {
  const concrete = pickWebIdentityTokenSource(source, env);
  if (concrete === undefined) return false;
  switch (concrete.kind) {
    case 'github':
      return githubTokenRequestable(env);
    case 'env':
      return (env[concrete.name] ?? '') !== '';
    case 'file':
      return true;
  }
}
