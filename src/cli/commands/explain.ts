import { assumeBaseSource } from '../../resolve/assumeBaseSource';
import { describeBaseIdentity } from '../../auth/describeBaseIdentity';
import { formatBaseSource } from '../../auth/formatBaseSource';
import { cacheKey } from '../../cache/cacheKey';
import { cacheKeyParts } from '../../cache/cacheKeyParts';
import { readCacheState } from '../../cache/readCacheState';
import { resolveCommandUnit } from '../resolveCommandUnit';
import type { CommandContext } from '../CommandContext';
import { explainCacheState, type ExplainCacheState } from '../render/explainCacheState';
import { explainReport, explainText, type ReportBaseIdentity } from '../render/explainReport';
import { explainMfaSession } from './explainMfaSession';

export interface ExplainOptions {
  dir: string | undefined;
  mode: 'plan' | 'apply' | undefined;
  config: string | undefined;
  json: boolean;
}

/** `rolemap explain`: how a unit resolves, with no AWS call and no secret. */
export async function runExplain(options: ExplainOptions, context: CommandContext): Promise<void> {
  const { deps } = context;
  const resolved = await resolveCommandUnit(options, context);
  let cache: ExplainCacheState = { status: 'not-applicable' };
  if (resolved.result.status === 'matched' && resolved.result.request.auth !== 'delegate') {
    cache =
      context.cache === undefined
        ? { status: 'disabled', why: context.cacheDisabledWhy ?? 'the cache is off' }
        : explainCacheState(
            readCacheState(context.cache.store, cacheKey(cacheKeyParts(resolved.result.request, deps.env, describeBaseIdentity(resolved.result.request, deps.env))), {
              minTtlSeconds: resolved.result.request.settings.minTtlSeconds,
              now: deps.now(),
            }),
          );
  }
  let base: ReportBaseIdentity | undefined;
  if (resolved.result.status === 'matched' && resolved.result.request.auth !== 'delegate') {
    const { request } = resolved.result;
    const assumed = request.auth === 'assume' ? { source: assumeBaseSource(request.sourceProfile, deps.env), setting: request.sourceProfileSetting } : undefined;
    const source = assumed?.source;
    const mfa = source === undefined ? undefined : await explainMfaSession(source, deps.env, context.cache?.store, deps.now());
    base = {
      source: assumed === undefined ? null : formatBaseSource(assumed.source, assumed.setting),
      identity: maskAccessKeyIds(describeBaseIdentity(request, deps.env)),
      ...(mfa === undefined ? {} : { mfa }),
    };
  }
  const report = explainReport(resolved, cache, base);
  if (options.json) deps.output.json(report);
  else deps.output.text(explainText(report));
}

/**
 * Access key ids shown as `aws configure list` shows them, by their last four characters only:
 * enough to tell which keys are in use, and `explain` shows no key id in full.
 */
function maskAccessKeyIds(text: string): string {
  return text.replace(/\b(?:AKIA|ASIA)[A-Z0-9]{4,}/g, (keyId) => `****************${keyId.slice(-4)}`);
}
