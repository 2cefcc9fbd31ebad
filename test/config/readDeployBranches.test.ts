import { compileMappingFile } from '../../src/config/compileMappingFile';
import type { DeployBranch } from '../../src/config/types';
import { ConfigError } from '../../src/errors';
import { findDeployBranch } from '../../src/resolve/findDeployBranch';

const FILE = '/repo/rolemap.yaml';

/** A valid mapping file whose `modes:` block is `modes` (line 3 on). */
function withModes(...modes: string[]): string {
  return ['version: 1', 'accounts: {dev: "111111111111"}', 'modes:', ...modes, 'mappings:', '  - {paths: ["live/**"], account: dev, role: tg}', ''].join('\n');
}

function deployBranches(...modes: string[]): readonly DeployBranch[] {
  return compileMappingFile(withModes(...modes), FILE).modes.deployBranches;
}

function problem(...modes: string[]): { message: string; hint: string | undefined; at: string } {
  try {
    compileMappingFile(withModes(...modes), FILE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const position = error.position;
    return { message: error.message, hint: error.hint, at: position === undefined ? '' : `${position.file}:${position.line}:${position.column}` };
  }
  throw new Error('expected a ConfigError');
}

describe('modes.deploy_branch', () => {
  it.each<[string, string[], DeployBranch[]]>([
    ['one name', ['  deploy_branch: release'], [{ kind: 'name', name: 'release' }]],
    ['a list of names', ['  deploy_branch: [main, production]'], [{ kind: 'name', name: 'main' }, { kind: 'name', name: 'production' }]],
    ['a glob alone', ['  deploy_branch: "release/*"'], [{ kind: 'glob', glob: 'release/*', regexSource: '^release/[^/]+$' }]],
    [
      'names and globs in a block list',
      ['  deploy_branch:', '    - main', '    - "release/**"', '    - "v[0-9]*"'],
      [
        { kind: 'name', name: 'main' },
        { kind: 'glob', glob: 'release/**', regexSource: '^release(?:/[^/]+)+$' },
        { kind: 'glob', glob: 'v[0-9]*', regexSource: '^v[0-9][^/]*$' },
      ],
    ],
    ['a name with characters git allows', ['  deploy_branch: "team/infra_v2.x#1"'], [{ kind: 'name', name: 'team/infra_v2.x#1' }]],
  ])('accepts %s', (_title, modes, expected) => {
    expect(deployBranches(...modes)).toStrictEqual(expected);
  });

  it('defaults to main', () => {
    expect(deployBranches('  local: plan')).toStrictEqual([{ kind: 'name', name: 'main' }]);
  });

  it.each<[string, string, string[], boolean]>([
    ['main', 'main', ['  deploy_branch: [main, "release/*"]'], true],
    ['release/1.2', 'release/*', ['  deploy_branch: [main, "release/*"]'], true],
    ['release/1.2/x', '', ['  deploy_branch: [main, "release/*"]'], false],
    ['release', '', ['  deploy_branch: [main, "release/*"]'], false],
    ['mainline', '', ['  deploy_branch: [main, "release/*"]'], false],
    ['env/prod', 'env/{prod,stage}', ['  deploy_branch: "env/{prod,stage}"'], true],
    ['env/dev', '', ['  deploy_branch: "env/{prod,stage}"'], false],
    ['feature/x', '', ['  deploy_branch: "*"'], false],
    ['main', '*', ['  deploy_branch: "*"'], true],
  ])('matches the branch %s as compiled (%s)', (branch, by, modes, matches) => {
    const found = findDeployBranch(branch, deployBranches(...modes));
    expect(found === undefined ? '' : found.kind === 'name' ? found.name : found.glob).toBe(matches ? by : '');
  });

  it.each<[string, string[], string, string, string]>([
    ['a full ref', ['  deploy_branch: refs/heads/main'], '4:18', '`modes.deploy_branch` "refs/heads/main" is not a branch name but a ref', 'write the branch name alone: `deploy_branch: main`'],
    ['a ref in a list', ['  deploy_branch: [main, refs/heads/release]'], '4:25', '`modes.deploy_branch[1]` "refs/heads/release" is not a branch name but a ref', 'write the branch name alone: `- release`'],
    ['a space', ['  deploy_branch: "my branch"'], '4:18', '`modes.deploy_branch` "my branch" is not a branch name', 'or a glob such as `deploy_branch: "release/*"`'],
    ['".."', ['  deploy_branch:', '    - main', '    - "a..b"'], '6:7', '`modes.deploy_branch[1]` "a..b" is not a branch name', 'write a branch name such as `- main`, or a glob such as `- "release/*"`'],
    ['a negation', ['  deploy_branch: ["!feature/*"]'], '4:19', '`modes.deploy_branch[0]` "!feature/*" is a negation', 'list the branches that deploy instead'],
    ['a trailing "/"', ['  deploy_branch: "release/"'], '4:18', '"release/" has an empty path segment', 'a glob such as'],
    ['a segment starting with "."', ['  deploy_branch: "release/.x"'], '4:18', 'has a path segment starting with "."', 'a glob such as'],
    ['an unclosed "["', ['  deploy_branch: "release/[0-9"'], '4:18', '`modes.deploy_branch`: glob "release/[0-9" has a "[" without a closing "]"', 'close it or remove it'],
    ['a number YAML made of 1.10', ['  deploy_branch: 1.10'], '4:18', '`modes.deploy_branch`', 'quote it: `deploy_branch: "1.10"`'],
    ['an empty list', ['  deploy_branch: []'], '4:18', '`modes.deploy_branch` is an empty list', 'list at least one entry'],
    ['a map', ['  deploy_branch: {name: main}'], '4:18', '`modes.deploy_branch`', 'write e.g. `deploy_branch: main`'],
  ])('refuses %s at file:line:column, saying what to write', (_title, modes, at, message, hint) => {
    const found = problem(...modes);
    expect(found.at).toBe(`${FILE}:${at}`);
    expect(found.message).toContain(message);
    expect(found.hint).toContain(hint);
  });
});
