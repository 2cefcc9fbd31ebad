import { detectCi } from './detectCi';
import type { Environment } from './types';

/**
 * Whether rolemap runs in CI: any system of the CI registry (src/resolve/ciSystems.ts), Jenkins
 * and Atlantis included, or anything that sets `CI`. In CI the developer's own config is never read.
 */
export function isCi(env: Environment): boolean {
  return detectCi(env) !== undefined;
}
