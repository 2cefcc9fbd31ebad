import { obtainCredentials } from '../../auth/obtainCredentials';
import type { AwsCredentials } from '../../AwsCredentials';
import { readDelegateToken } from '../../auth/readDelegateToken';
import { resolveCommandUnit, type UnitOptions } from '../resolveCommandUnit';
import type { CommandContext } from '../CommandContext';
import { credentialsJson, delegateJson, type TerragruntJson } from '../render/toTerragruntJson';
import { unresolvedError } from '../render/unresolvedError';
import { UNMATCHED } from '../render/verdictWords';
import type { CredentialRequest, DelegateRequest } from '../../resolve/types';
import { CredentialsError } from '../../errors';

export type CredentialsOptions = UnitOptions;

/** What a unit gets, before any renderer (Terragrunt's JSON, credential_process, env, exec) shapes it. */
export type UnitCredentials =
  /** No mapping matches, and the file says `unmatched: empty`. */
  | { status: 'empty' }
  /** `auth: delegate`: a role for Terragrunt to assume, no credentials. */
  | { status: 'delegate'; request: DelegateRequest }
  | { status: 'credentials'; request: Exclude<CredentialRequest, DelegateRequest>; credentials: AwsCredentials; baseIdentity: string };

export interface UnitCredentialsInit {
  /**
   * Serve a cached credential only with more life left than this, when that is more than the
   * mapping's `min_ttl`: a caller that refreshes on its own schedule (an AWS SDK running
   * credential_process) must not be handed credentials it already considers expiring.
   */
  minTtlFloorSeconds?: number;
}

/**
 * Resolves the unit and obtains its credentials through the cache: the one resolution behind
 * every command that hands out credentials.
 */
export async function unitCredentialsFor(
  options: CredentialsOptions,
  context: CommandContext,
  init: UnitCredentialsInit = {},
): Promise<UnitCredentials> {
  const { deps } = context;
  const resolved = await resolveCommandUnit(options, context);
  const { result } = resolved;
  if (result.status === 'unmatched' && result.emptyAllowed) {
    deps.logger.info(`${UNMATCHED} this unit; unmatched: empty, so no credentials`, { unit: result.unitPath });
    return { status: 'empty' };
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
  if (request.auth === 'delegate') return { status: 'delegate', request };
  const floor = init.minTtlFloorSeconds === undefined ? 0 : Math.min(init.minTtlFloorSeconds, request.settings.durationSeconds - 1);
  const { credentials, cacheHit, baseIdentity } = await obtainCredentials({
    request: { ...request, settings: { ...request.settings, minTtlSeconds: Math.max(request.settings.minTtlSeconds, floor) } },
    env: deps.env,
    store: context.cache?.store,
    logger: deps.logger,
    now: deps.now,
  }).catch((error: unknown) => {
    throw strandedByEnv(error, deps.rolemapEnv.envCommandNames !== undefined);
  });
  deps.logger.debug(cacheHit ? 'cache hit' : 'obtained new credentials', { roleArn: request.roleArn, expiration: credentials.expiration });
  if (cacheHit) deps.onCacheHit?.();
  return { status: 'credentials', request, credentials, baseIdentity };
}

/**
 * What Terragrunt should get for the unit. Returns the JSON, or undefined for a unit that
 * `unmatched: empty` leaves without credentials (printed as `{}`).
 */
export async function terragruntJsonFor(options: CredentialsOptions, context: CommandContext): Promise<TerragruntJson | undefined> {
  const unit = await unitCredentialsFor(options, context);
  switch (unit.status) {
    case 'empty':
      return undefined;
    case 'delegate':
      return delegateJson(unit.request, await readDelegateToken(unit.request, context.deps.env));
    case 'credentials':
      return credentialsJson(unit.request, unit.credentials, unit.baseIdentity);
  }
}

/** `rolemap` / `rolemap credentials`: exactly one JSON object on stdout. */
export async function runCredentials(options: CredentialsOptions, context: CommandContext): Promise<void> {
  const json = await terragruntJsonFor(options, context);
  context.deps.output.json(json ?? {});
}

/**
 * A shell where `eval "$(rolemap env)"` replaced the user's own environment keys has no base
 * left: say how to get it back rather than only that it is missing.
 */
function strandedByEnv(error: unknown, envCommandRan: boolean): unknown {
  if (!(error instanceof CredentialsError) || error.kind !== 'no-base-credentials' || !envCommandRan) return error;
  return new CredentialsError(error.message, {
    kind: error.kind,
    ...(error.roleArn === undefined ? {} : { roleArn: error.roleArn }),
    ...(error.baseIdentity === undefined ? {} : { baseIdentity: error.baseIdentity }),
    hint: `This shell ran \`rolemap env\`, which replaced its AWS credentials. Put them back with: eval "$(rolemap env --unset)" (fish: rolemap env --unset --shell fish | source), then run this again.`,
    cause: error,
  });
}
