import { resolve } from 'node:path';

/**
 * path.join(dir, ...names) for an absolute `dir` and relative `names`, less any trailing
 * separator, computed by path.resolve: Node compiles path.resolve to load dist/rolemap, while
 * path.join and path.normalize would cost a cache hit their own compilation (about 0.1 M
 * instructions).
 */
export function joinAbsolute(dir: string, ...names: string[]): string {
  return resolve(dir, ...names);
}
