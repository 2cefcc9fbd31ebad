import type { CompiledConfig } from '../../config/types';
import { matchUnit } from '../../resolve/matchUnit';

export interface UnitCoverage {
  units: Array<
    | { unit: string; status: 'covered'; mapping: number; glob: string }
    | { unit: string; status: 'uncovered'; nearest: string[] }
    | { unit: string; status: 'ambiguous'; mappings: number[] }
  >;
  /** 1-based numbers of mappings that no unit resolves to. */
  unusedMappings: Array<{ mapping: number; at: string; globs: string[] }>;
}

/** How the mapping file covers the given units: the data behind `validate --units`. */
export function unitCoverage(config: CompiledConfig, unitPaths: readonly string[]): UnitCoverage {
  const used = new Set<number>();
  const units = unitPaths.map((unit): UnitCoverage['units'][number] => {
    const match = matchUnit(config, unit);
    if (match.status === 'matched') {
      used.add(match.winner.mapping.index);
      return { unit, status: 'covered', mapping: match.winner.mapping.index + 1, glob: match.winner.glob.glob };
    }
    if (match.status === 'ambiguous') {
      return { unit, status: 'ambiguous', mappings: match.tied.map((c) => c.mapping.index + 1) };
    }
    return { unit, status: 'uncovered', nearest: match.nearest.map((g) => g.glob) };
  });
  const unusedMappings = config.mappings
    .filter((m) => !used.has(m.index))
    .map((m) => ({ mapping: m.index + 1, at: `${m.position.file}:${m.position.line}`, globs: m.globs.map((g) => g.glob) }));
  return { units, unusedMappings };
}
