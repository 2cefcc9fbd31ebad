import { ConfigError } from '../../errors';
import type { ResolveResult } from '../../resolve/types';
import { AMBIGUOUS_FIX, ambiguousText, UNMATCHED, unmatchedFix } from './verdictWords';

type Unresolved = Exclude<ResolveResult, { status: 'matched' }>;

/** The error for a unit that matches no mapping, or ties between mappings that differ. */
export function unresolvedError(result: Unresolved): ConfigError {
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
