import { obtainCredentials } from '../../auth/obtainCredentials';
import { readDelegateToken } from '../../auth/readDelegateToken';
import { resolveCommandUnit, type UnitOptions } from '../resolveCommandUnit';
import type { CommandContext } from '../CommandContext';
import { credentialsJson, delegateJson, type TerragruntJson } from '../toTerragruntJson';
import { unresolvedError } from '../unresolvedError';

export type CredentialsOptions = UnitOptions;

/**
 * Resolves the unit and obtains what Terragrunt should get. Returns the JSON, or undefined for a
 * unit that `unmatched: empty` leaves without credentials (printed as `{}`).
 */
export async function terragruntJsonFor(options: CredentialsOptions, context: CommandContext): Promise<TerragruntJson | undefined> {
  const { deps } = context;
  const resolved = await resolveCommandUnit(options, context);
  const { result } = resolved;
  if (result.status === 'unmatched' && result.emptyAllowed) {
    deps.logger.info('no mapping matches this unit; unmatched: empty, so no credentials', { unit: result.unitPath });
    return undefined;
  }
  if (result.status !== 'matched') throw unresolvedError(result);
  const { request } = result;
  for (const refused of request.overrides.filter((o) => o.status === 'refused')) {
    deps.logger.warn(`your override at ${refused.position.file}:${refused.position.line} was refused: ${refused.why}`);
  }
  deps.logger.debug('resolved', {
    unit: request.unitPath,
    roleArn: request.roleArn,
    mode: request.mode.mode,
    auth: request.auth,
    sessionName: request.sessionName,
  });
  if (request.auth === 'delegate') {
    return delegateJson(request, await readDelegateToken(request, deps.env));
  }
  const { credentials, cacheHit, baseIdentity } = await obtainCredentials({
    request: { ...request, auth: request.auth },
    env: deps.env,
    store: context.cache?.store,
    logger: deps.logger,
    now: deps.now,
  });
  deps.logger.debug(cacheHit ? 'cache hit' : 'obtained new credentials', { roleArn: request.roleArn, expiration: credentials.expiration });
  return credentialsJson(request, credentials, baseIdentity);
}

/** `rolemap` / `rolemap credentials`: exactly one JSON object on stdout. */
export async function runCredentials(options: CredentialsOptions, context: CommandContext): Promise<void> {
  const json = await terragruntJsonFor(options, context);
  context.deps.output.json(json ?? {});
}
