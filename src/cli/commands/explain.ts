import { cacheKeyParts } from '../../auth/obtainCredentials';
import { cacheKey } from '../../cache/cacheKey';
import { readCacheState } from '../../cache/readCacheState';
import { resolveCommandUnit } from '../resolveCommandUnit';
import type { CommandContext } from '../CommandContext';
import { explainCacheState, type ExplainCacheState } from './explainCacheState';
import { explainReport, explainText } from './explainReport';

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
            readCacheState(context.cache.store, cacheKey(cacheKeyParts(resolved.result.request, deps.env)), {
              minTtlSeconds: resolved.result.request.minTtlSeconds,
              now: deps.now(),
            }),
          );
  }
  const report = explainReport(resolved, cache);
  if (options.json) deps.output.json(report);
  else deps.output.text(explainText(report));
}
