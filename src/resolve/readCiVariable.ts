import type { Environment } from './types';

/**
 * How to read one CI variable. An empty or missing variable is never a value.
 * - `prefix`: the value counts only when it starts with this, and the prefix is cut off
 *   (`refs/heads/` of Azure's BUILD_SOURCEBRANCH);
 * - `ignore`: a value that means "none" (Buildkite's BUILDKITE_PULL_REQUEST is `false` outside
 *   pull requests);
 * - `equals`: the value counts only when it is this, in any case (BUILD_REASON=PullRequest);
 * - `match`: the value counts only when it matches, and becomes the first group (a pull request
 *   number from CircleCI's pull request URL).
 */
export interface CiVariableRead {
  name: string;
  prefix?: string;
  ignore?: string;
  equals?: string;
  match?: RegExp;
}

/** A value read, with `NAME=value` as it was set, for `explain`. */
export interface CiVariableValue {
  value: string;
  evidence: string;
}

/** The first of `reads` that gives a value. */
export function readCiVariable(env: Environment, reads: readonly CiVariableRead[]): CiVariableValue | undefined {
  for (const read of reads) {
    const raw = env[read.name];
    if (raw === undefined || raw === '' || raw === read.ignore) continue;
    if (read.equals !== undefined && raw.toLowerCase() !== read.equals.toLowerCase()) continue;
    let value = raw;
    if (read.prefix !== undefined) {
      if (!value.startsWith(read.prefix)) continue;
      value = value.slice(read.prefix.length);
    }
    if (read.match !== undefined) {
      const group = read.match.exec(value)?.[1];
      if (group === undefined) continue;
      value = group;
    }
    if (value !== '') return { value, evidence: `${read.name}=${raw}` };
  }
  return undefined;
}
