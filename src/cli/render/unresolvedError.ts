import { ConfigError, UsageError } from '../../errors';
import type { ResolveResult } from '../../resolve/types';
import { AMBIGUOUS_FIX, ambiguousText, UNMATCHED, unmatchedFix } from './verdictWords';

type Unresolved = Exclude<ResolveResult, { status: 'matched' }>;

/**
 * The error for a unit that gets no request: it matches no mapping, ties between mappings that
 * differ, or the resolver refused its input (ROLEMAP_MODE, a missing portal, a name too short).
 */
export function unresolvedError(result: Unresolved): ConfigError | UsageError {
  switch (result.status) {
    case 'bad-mode':
      return new UsageError(`ROLEMAP_MODE is ${JSON.stringify(result.text.slice(0, 100))}, which is not a mode.`, {
        hint: 'Set ROLEMAP_MODE to plan or apply, or unset it.',
      });
    case 'no-sso-portal':
      return new ConfigError(`The unit ${result.unitPath} uses auth: sso, but neither ${result.configFile} nor your rolemap config says which IAM Identity Center to use.`, {
        position: result.position,
        hint: 'Add `sso: {start_url: https://YOUR.awsapps.com/start, region: REGION}` at the top of the mapping file, on the mapping, or to your ~/.config/rolemap/config.yaml.',
      });
    case 'bad-name':
      return new ConfigError(`${result.key} for unit ${result.unitPath} came out as "${result.value}", but STS needs 2 to 64 characters.`, {
        position: result.position,
        hint: `Give ${result.key} a literal prefix, e.g. "rolemap-{user}", so it is never shorter than 2 characters.`,
      });
    default:
  }
  if (result.status === 'unmatched') {
    const nearest = result.nearest.map((g) => `${g.glob} (${g.position.file}:${g.position.line})`).join(', ');
    return new ConfigError(`In ${result.configFile}, ${UNMATCHED} the unit ${result.unitPath}.`, {
      hint: (nearest ? `The nearest globs are: ${nearest}. ` : '') + unmatchedFix(true),
    });
  }
  const tied = result.candidates.map((c) => {
    const segments = `${c.literalSegments} literal ${c.literalSegments === 1 ? 'segment' : 'segments'}`;
    return `#${c.mapping.index + 1} at ${c.mapping.position.file}:${c.mapping.position.line} (glob ${c.glob.glob}, ${segments})`;
  });
  return new ConfigError(`For the unit ${result.unitPath}, ${ambiguousText(tied)}.`, { hint: AMBIGUOUS_FIX });
}
