import { assumeBaseSource } from '../../resolve/assumeBaseSource';
import { findCaBundle } from '../../auth/caBundle';
import { describeBaseIdentity } from '../../auth/describeBaseIdentity';
import { readHttpsProxy } from '../../auth/httpsProxy';
import { UsageError } from '../../errors';
import type { Environment } from '../../resolve/types';
import { formatBaseSource } from '../../auth/formatBaseSource';
import { cacheKey } from '../../cache/cacheKey';
import { cacheKeyParts } from '../../cache/cacheKeyParts';
import { readCacheState } from '../../cache/readCacheState';
import { resolveCommandUnit } from '../resolveCommandUnit';
import type { CommandContext } from '../CommandContext';
import { explainCacheState, type ExplainCacheState } from '../render/explainCacheState';
import { explainReport, explainText, type ReportBaseIdentity, type ReportNetwork } from '../render/explainReport';
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
  let network: ReportNetwork | undefined;
  if (resolved.result.status === 'matched' && resolved.result.request.auth !== 'delegate') {
    const { request } = resolved.result;
    network = networkReport(deps.env, request.auth === 'assume' ? request.sourceProfile : undefined);
    const assumed = request.auth === 'assume' ? { source: assumeBaseSource(request.sourceProfile, deps.env), setting: request.sourceProfileSetting } : undefined;
    const source = assumed?.source;
    const mfa = source === undefined ? undefined : await explainMfaSession(source, deps.env, context.cache?.store, deps.now());
    base = {
      source: assumed === undefined ? null : formatBaseSource(assumed.source, assumed.setting),
      identity: maskAccessKeyIds(describeBaseIdentity(request, deps.env)),
      ...(mfa === undefined ? {} : { mfa }),
    };
  }
  const report = explainReport(resolved, cache, base, network);
  if (options.json) deps.output.json(report);
  else deps.output.text(explainText(report));
}

/**
 * The way a call would take to AWS, as awsHttpsAgent builds it from the same settings (without
 * reading the CA file); undefined when nothing changes it from a direct call trusting Node's roots.
 */
function networkReport(env: Environment, profile: string | undefined): ReportNetwork | undefined {
  try {
    const proxy = readHttpsProxy(env);
    const ca = findCaBundle(env, profile);
    if (proxy === undefined && ca === undefined) return undefined;
    return {
      proxy: proxy === undefined ? null : proxy.url.host,
      noProxy: [...(proxy?.noProxy ?? [])],
      caBundle: ca === undefined ? null : { path: ca.path, from: ca.origin },
    };
  } catch (error) {
    if (error instanceof UsageError) return { problem: error.message };
    throw error;
  }
}

/**
 * Access key ids shown as `aws configure list` shows them, by their last four characters only:
 * enough to tell which keys are in use, and `explain` shows no key id in full.
 */
function maskAccessKeyIds(text: string): string {
  return text.replace(/\b(?:AKIA|ASIA)[A-Z0-9]{4,}/g, (keyId) => `****************${keyId.slice(-4)}`);
}
