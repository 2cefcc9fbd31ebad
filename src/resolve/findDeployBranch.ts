import type { DeployBranch } from '../config/types';

/**
 * The entry of `modes.deploy_branch` that `branch` matches, if any. A glob was compiled to a
 * regular-expression source with the mapping file, so no glob library is loaded here.
 */
export function findDeployBranch(branch: string, deployBranches: readonly DeployBranch[]): DeployBranch | undefined {
  return deployBranches.find((entry) =>
    entry.kind === 'name' ? entry.name === branch : new RegExp(entry.regexSource).test(branch),
  );
}
