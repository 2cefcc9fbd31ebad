import type { CompiledConfig } from '../config/types';
import { matchUnit } from './matchUnit';

export interface UnitCoverage {
  units: Array<
    | { unit: string; status: 'covered'; mapping: number; glob: string }
    | { unit: string; status: 'uncovered'; nearest: string[] }
    | { unit: string; status: 'ambiguous'; mappings: number[] }
  >;
  /** Mappings that no unit resolves to (1-based numbers): they never win, so they never decide credentials. */
  unusedMappings: Array<{ mapping: number; at: string; globs: string[] }>;
}

/**
 * How the mapping file covers the given units: the data behind `validate --units`. Each unit is
 * matched exactly as `credentials` matches it, so the report cannot disagree with a real run.
 */
export function unitCoverage(config: CompiledConfig, unitPaths: readonly string[]): UnitCoverage {
  const used = new Set<number>();
  const units = unitPaths.map((unit): UnitCoverage['units'][number] => {
    const match = matchUnit(config, unit);
    if (match.status === 'matched') {
      // Mappings that tie with the winner and resolve alike give this unit the same credentials.
      for (const c of match.candidates) if (c.literalSegments === match.winner.literalSegments) used.add(c.mapping.index);
      return { unit, status: 'covered', mapping: match.winner.mapping.index + 1, glob: match.winner.glob.glob };
    }
    if (match.status === 'ambiguous') {
      // A tied mapping does reach the unit; the tie is the problem to report, not the mapping.
      for (const c of match.tied) used.add(c.mapping.index);
      return { unit, status: 'ambiguous', mappings: match.tied.map((c) => c.mapping.index + 1) };
    }
    return { unit, status: 'uncovered', nearest: match.nearest.map((g) => g.glob) };
  });
  const unusedMappings = config.mappings
    .filter((m) => !used.has(m.index))
    .map((m) => ({ mapping: m.index + 1, at: `${m.position.file}:${m.position.line}`, globs: m.globs.map((g) => g.glob) }));
  return { units, unusedMappings };
}
