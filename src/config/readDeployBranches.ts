import { isSeq } from 'yaml';
import type { DeployBranch } from './types';
import { compileGlob } from './compileGlob';
import type { Field, YamlReader } from './YamlReader';
import { writeAs } from './writeAs';

/** Characters that make an entry a glob rather than a branch name (the same set testGlob treats as magic). */
const GLOB_CHARACTERS = /[*?[{]/;
/** Characters git never allows in a branch name (`git check-ref-format`), besides the glob ones. */
const FORBIDDEN_IN_BRANCH = /[\s~^:\\\u0000-\u001f\u007f]/;
const EXAMPLE = '[main, "release/*"]';

/**
 * Reads `modes.deploy_branch`: one branch name, a list of names, or globs over branch names
 * (`release/*`: `*` stays within one `/`-separated segment, `**` spans several, as in path globs).
 * Globs are compiled here, once, to a regular-expression source, so deciding the mode on every
 * call loads no glob library.
 *
 * @example
 * # rolemap.yaml
 * modes:
 *   deploy_branch: [main, "release/*"]
 */
export function readDeployBranches(reader: YamlReader, field: Field): DeployBranch[] | undefined {
  const items = isSeq(field.node) ? reader.items(field, EXAMPLE, { nonEmpty: true }) : [field];
  if (items === undefined) return undefined;
  const branches = items.map((item) => readDeployBranch(reader, item));
  return branches.every((branch): branch is DeployBranch => branch !== undefined) ? branches : undefined;
}

function readDeployBranch(reader: YamlReader, item: Field): DeployBranch | undefined {
  const written = reader.string(item, 'main');
  if (written === undefined) return undefined;
  const problem = findBranchProblem(written, item);
  if (problem !== undefined) {
    reader.report(item.at, `\`${item.label}\` "${written}" ${problem.message}`, problem.hint);
    return undefined;
  }
  if (!GLOB_CHARACTERS.test(written)) return { kind: 'name', name: written };
  const compiled = compileGlob(written);
  if (!compiled.ok) {
    reader.report(item.at, `\`${item.label}\`: ${compiled.message}`, compiled.hint);
    return undefined;
  }
  return { kind: 'glob', glob: written, regexSource: compiled.regexSource };
}

/**
 * What makes `written` match no branch git can create, checked before the glob compiler so that
 * the message speaks of branches, not of unit paths.
 */
function findBranchProblem(written: string, item: Field): { message: string; hint: string } | undefined {
  const anyBranch = `write a branch name such as ${writeAs(item, 'main')}, or a glob such as ${writeAs(item, '"release/*"')}`;
  if (written.startsWith('refs/')) {
    const bare = written.replace(/^refs\/(?:heads\/)?/, '');
    return { message: 'is not a branch name but a ref', hint: `write the branch name alone: ${writeAs(item, bare)}` };
  }
  if (written.startsWith('!')) {
    return {
      message: 'is a negation, which deploy_branch does not support',
      hint: `list the branches that deploy instead, e.g. ${writeAs(item, EXAMPLE)}`,
    };
  }
  if (FORBIDDEN_IN_BRANCH.test(written) || written.includes('..') || written.includes('@{')) {
    return { message: 'is not a branch name: git branch names have no spaces, "..", "@{" or any of ~ ^ : \\', hint: anyBranch };
  }
  if (written.startsWith('/') || written.endsWith('/') || written.includes('//')) {
    return { message: 'has an empty path segment (a leading, trailing or double "/")', hint: anyBranch };
  }
  if (written.split('/').some((segment) => segment.startsWith('.'))) {
    return { message: 'has a path segment starting with ".", which git branch names never have', hint: anyBranch };
  }
  if (written.startsWith('#') && GLOB_CHARACTERS.test(written)) {
    return { message: 'is a glob starting with "#", which the glob syntax reads as a comment', hint: `write "[#]" for a literal "#": ${writeAs(item, `"[#]${written.slice(1)}"`)}` };
  }
  return undefined;
}
