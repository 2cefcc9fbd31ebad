import type { CompiledConfig, CompiledGlob, CompiledMapping } from '../config/types';
import { testGlob } from './testGlob';
import type { Candidate } from './types';

export type MatchResult =
  | { status: 'matched'; winner: Candidate; candidates: readonly Candidate[] }
  | { status: 'unmatched'; nearest: readonly CompiledGlob[] }
  | { status: 'ambiguous'; tied: readonly Candidate[]; candidates: readonly Candidate[] };

const NEAREST_COUNT = 3;

/**
 * Finds the mapping for a unit path. The most specific match wins: the mapping whose matching
 * glob has the most literal segments. A tie between mappings that resolve to different
 * credentials is ambiguous, because picking one silently could hand out the wrong account.
 * Candidates are sorted most specific first, then by file order.
 */
export function matchUnit(config: CompiledConfig, unitPath: string): MatchResult {
  const candidates: Candidate[] = [];
  for (const mapping of config.mappings) {
    const glob = mostSpecificMatchingGlob(mapping, unitPath);
    if (glob !== undefined) candidates.push({ mapping, glob, literalSegments: glob.literalSegments });
  }
  candidates.sort((a, b) => b.literalSegments - a.literalSegments || a.mapping.index - b.mapping.index);

  const [winner] = candidates;
  if (winner === undefined) return { status: 'unmatched', nearest: nearestGlobs(config, unitPath) };

  const tied = candidates.filter((c) => c.literalSegments === winner.literalSegments);
  const conflicting = tied.filter((c) => !resolvesAlike(c.mapping, winner.mapping));
  if (conflicting.length > 0) return { status: 'ambiguous', tied, candidates };
  return { status: 'matched', winner, candidates };
}

function mostSpecificMatchingGlob(mapping: CompiledMapping, unitPath: string): CompiledGlob | undefined {
  let best: CompiledGlob | undefined;
  for (const glob of mapping.globs) {
    if ((best === undefined || glob.literalSegments > best.literalSegments) && testGlob(glob, unitPath)) {
      best = glob;
    }
  }
  return best;
}

/** Two mappings resolve alike when they give the same account, roles, settings and portal. */
function resolvesAlike(a: CompiledMapping, b: CompiledMapping): boolean {
  return a.accountId === b.accountId && sameValue(a.roles, b.roles) && sameValue(a.settings, b.settings) && sameValue(a.sso, b.sso);
}

/**
 * Deep equality of plain data in which a mapping's key order means nothing (`envs: {A, B}` and
 * `envs: {B, A}` resolve alike); list order is kept.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && sameValue(left[key], right[key]));
}

/**
 * The globs a human most likely meant: most leading segments in common with the unit path,
 * then the smallest difference in length.
 */
function nearestGlobs(config: CompiledConfig, unitPath: string): CompiledGlob[] {
  const unitSegments = unitPath.split('/');
  const scored = config.mappings.flatMap((mapping) =>
    mapping.globs.map((glob) => {
      const globSegments = glob.glob.split('/');
      let common = 0;
      while (common < globSegments.length && common < unitSegments.length) {
        const segment = globSegments[common];
        if (segment !== unitSegments[common] && segment !== '*' && segment !== '**') break;
        common += 1;
      }
      return { glob, common, lengthGap: Math.abs(globSegments.length - unitSegments.length) };
    }),
  );
  scored.sort((a, b) => b.common - a.common || a.lengthGap - b.lengthGap);
  return scored.slice(0, NEAREST_COUNT).map((s) => s.glob);
}
