import { ACCOUNT_NAMES, type AccountName } from './accounts';
import type { TreeSpec, UnitSpec } from './writeTree';

/** Units per account in the big tree. */
const UNITS_PER_ACCOUNT = 10;

/** The external dependency: outside `live/`, where `run --all` starts. */
export const EXTERNAL_UNIT = 'external/security-baseline';

/**
 * Dependencies of the big tree: a chain across five accounts (each unit reads the previous
 * one's output) and a unit that reads an external dependency.
 */
export const BIG_TREE_DEPENDENCIES: Readonly<Record<string, Record<string, string>>> = {
  'live/dev/us-east-1/app-0': { upstream: 'live/shared/us-east-1/app-0' },
  'live/stage/us-east-1/app-0': { upstream: 'live/dev/us-east-1/app-0' },
  'live/prod/us-east-1/app-0': { upstream: 'live/stage/us-east-1/app-0' },
  'live/security/us-east-1/app-0': { upstream: 'live/prod/us-east-1/app-0' },
  'live/data/us-east-1/app-0': { baseline: EXTERNAL_UNIT },
};

/** The big tree's units under `live/`: ten in each of the six accounts. */
export const BIG_TREE_LIVE_UNITS: readonly string[] = ACCOUNT_NAMES.flatMap((account) =>
  Array.from({ length: UNITS_PER_ACCOUNT }, (_, i) => `live/${account}/us-east-1/app-${i}`),
);

/** Sixty units in six accounts with plan/apply roles, the dependencies above, and the external unit. */
export const BIG_TREE: TreeSpec = {
  units: [
    ...BIG_TREE_LIVE_UNITS.map((dir): UnitSpec => {
      const dependencies = BIG_TREE_DEPENDENCIES[dir];
      return dependencies === undefined ? { dir } : { dir, dependencies };
    }),
    { dir: EXTERNAL_UNIT },
  ],
  mappings: [
    ...ACCOUNT_NAMES.map((account) => ({ paths: [`live/${account}/**`], account })),
    { paths: ['external/**'], account: 'security' as const },
  ],
};

/** The account a unit of the big tree is mapped to. */
export function bigTreeAccountOf(unit: string): AccountName {
  if (unit.startsWith('external/')) return 'security';
  const name = unit.split('/')[1];
  const account = ACCOUNT_NAMES.find((a) => a === name);
  if (account === undefined) throw new Error(`not a unit of the big tree: ${unit}`);
  return account;
}
