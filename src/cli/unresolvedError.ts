import { ConfigError } from '../errors';
import type { ResolveResult } from '../resolve/types';

type Unresolved = Exclude<ResolveResult, { status: 'matched' }>;

/** The error for a unit that matches no mapping, or ties between mappings that differ. */
export function unresolvedError(result: Unresolved): ConfigError {
  if (result.status === 'unmatched') {
    const nearest = result.nearest.map((g) => `${g.glob} (${g.position.file}:${g.position.line})`).join(', ');
    return new ConfigError(`No mapping in ${result.configFile} matches the unit ${result.unitPath}.`, {
      hint:
        (nearest ? `The nearest globs are: ${nearest}. ` : '') +
        'Add a mapping whose paths cover this unit, or set `unmatched: empty` at the top of the file to give such units no credentials.',
    });
  }
  const tied = result.candidates
    .map((c) => `mapping #${c.mapping.index + 1} at ${c.mapping.position.file}:${c.mapping.position.line} (glob ${c.glob.glob})`)
    .join(' and ');
  const segments = result.candidates[0]?.literalSegments ?? 0;
  return new ConfigError(
    `The unit ${result.unitPath} matches ${tied} equally (${segments} literal ${segments === 1 ? 'segment' : 'segments'} each), and they give different accounts, roles or settings.`,
    {
      hint: 'Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.',
    },
  );
}
