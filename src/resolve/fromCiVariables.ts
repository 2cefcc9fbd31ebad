import { readCiVariable, type CiVariableRead } from './readCiVariable';
import type { CiBuild, Environment } from './types';

/** Where a CI system keeps each fact about its build, each as a list tried in order. */
export interface CiVariables {
  /** The build is for a pull (or merge) request when any of these has a value. */
  pullRequest: readonly CiVariableRead[];
  /** The tag built, when the build is for a tag. */
  tag: readonly CiVariableRead[];
  /** The branch built, for any build that is neither a pull request nor a tag. */
  branch: readonly CiVariableRead[];
  /** A pull request's source branch, for `{branch}` (else `branch` is used). */
  headBranch: readonly CiVariableRead[];
  pr: readonly CiVariableRead[];
  user: readonly CiVariableRead[];
  run: readonly CiVariableRead[];
}

/**
 * The build of a CI system that says what it builds in plain variables, as most do: a pull
 * request first (even one whose branch is the deploy branch is only ever planned), then a tag,
 * then the branch.
 */
export function fromCiVariables(env: Environment, variables: CiVariables): CiBuild {
  const read = (reads: readonly CiVariableRead[]): string | undefined => readCiVariable(env, reads)?.value;
  const values = { user: read(variables.user), run: read(variables.run), pr: read(variables.pr) };
  const pullRequest = readCiVariable(env, variables.pullRequest);
  if (pullRequest !== undefined) {
    return {
      trigger: { kind: 'pull-request' },
      readFrom: [pullRequest.evidence],
      ...values,
      branch: read(variables.headBranch) ?? read(variables.branch),
    };
  }
  const tag = readCiVariable(env, variables.tag);
  if (tag !== undefined) {
    return { trigger: { kind: 'tag', tag: tag.value }, readFrom: [tag.evidence], ...values, branch: undefined };
  }
  const branch = readCiVariable(env, variables.branch);
  if (branch !== undefined) {
    return { trigger: { kind: 'branch', branch: branch.value }, readFrom: [branch.evidence], ...values, branch: branch.value };
  }
  const looked = [...variables.pullRequest, ...variables.tag, ...variables.branch].map((v) => v.name);
  return {
    trigger: { kind: 'other', what: `none of ${[...new Set(looked)].join(', ')} says what is built` },
    readFrom: [],
    ...values,
    branch: undefined,
  };
}
