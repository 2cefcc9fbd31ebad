import { decideMode, type DecideModeInput } from '../../src/resolve/decideMode';
import { detectCi } from '../../src/resolve/detectCi';
import type { DeployBranch } from '../../src/config/types';
import { unresolvedError } from '../../src/cli/render/unresolvedError';
import { UsageError } from '../../src/errors';
import { config, resolve, STANDARD_MAPPINGS } from './fixtures';
import type { Environment, ModeSource } from '../../src/resolve/types';

const MAIN: DeployBranch[] = [{ kind: 'name', name: 'main' }];
/** A decision's input with the environment the resolver detects CI from (resolveRequest). */
type ModeCase = Omit<DecideModeInput, 'ci'> & { env: Environment };
const base: ModeCase = { modeFlag: undefined, modeFromEnv: undefined, env: {}, deployBranches: MAIN, userMode: undefined, localMode: undefined };

function decideIn({ env, ...input }: ModeCase): ReturnType<typeof decideMode> {
  return decideMode({ ...input, ci: detectCi(env) });
}

type Row = [title: string, env: Environment, mode: 'plan' | 'apply'];

/** Decides with the developer's config and modes.local both saying apply, so only CI can say plan. */
function decide(env: Environment, deployBranches: readonly DeployBranch[] = MAIN): ReturnType<typeof decideMode> {
  return decideIn({ ...base, env, deployBranches, userMode: 'apply', localMode: 'apply' });
}

describe('decideMode', () => {
  it.each([
    ['--mode wins over everything', { ...base, modeFlag: 'apply', modeFromEnv: 'plan', env: { CI: 'true' } }, 'apply', 'flag'],
    ['ROLEMAP_MODE wins over CI', { ...base, modeFromEnv: 'apply', env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request' } }, 'apply', 'env'],
    ['other CI plans', { ...base, env: { CI: 'true' }, userMode: 'apply', localMode: 'apply' }, 'plan', 'ci'],
    ['the developer mode wins locally', { ...base, userMode: 'apply', localMode: 'plan' }, 'apply', 'user-config'],
    ['modes.local applies locally', { ...base, localMode: 'apply' }, 'apply', 'mapping-file'],
    ['plan when nothing says', base, 'plan', 'default'],
  ] as Array<[string, ModeCase, string, string]>)('%s', (_name, input, mode, source) => {
    const decision = decideIn(input);
    expect({ mode: decision.mode, source: decision.source }).toStrictEqual({ mode, source });
    expect(decision.why.length).toBeGreaterThan(0);
  });

  it('refuses a ROLEMAP_MODE that is not a mode, saying what to write, unless --mode overrides it', () => {
    const notAMode = { status: 'not-a-mode', text: 'deploy' } as const;
    const refused = resolve({ config: config(STANDARD_MAPPINGS), unitPath: 'live/dev/vpc', modeFromEnv: notAMode });
    expect(refused).toStrictEqual({ status: 'bad-mode', text: 'deploy' });
    if (refused.status !== 'bad-mode') return;
    const error = unresolvedError(refused);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('ROLEMAP_MODE is "deploy", which is not a mode.');
    expect(error.hint).toContain('plan or apply');
    const overridden = resolve({ config: config(STANDARD_MAPPINGS), unitPath: 'live/dev/vpc', modeFromEnv: notAMode, modeFlag: 'apply' });
    expect(overridden.status === 'matched' && overridden.request.mode.source).toBe('flag');
  });
});

const GITHUB = { GITHUB_ACTIONS: 'true' };
const GITLAB = { GITLAB_CI: 'true', CI: 'true' };
const BUILDKITE = { BUILDKITE: 'true', CI: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_TAG: '' };
const CIRCLECI = { CIRCLECI: 'true', CI: 'true' };
const AZURE = { TF_BUILD: 'True' };
const BITBUCKET = { BITBUCKET_BUILD_NUMBER: '42', CI: 'true' };
const JENKINS = { JENKINS_URL: 'https://jenkins.example.com/', BUILD_ID: '153' };
const ATLANTIS = { ATLANTIS_TERRAFORM_VERSION: '1.9.8', PULL_NUM: '7', HEAD_BRANCH_NAME: 'feature', BASE_BRANCH_NAME: 'main' };

describe.each<[system: string, source: ModeSource, rows: Row[]]>([
  [
    'GitHub Actions',
    'github-actions',
    [
      ['pull_request plans', { ...GITHUB, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }, 'plan'],
      ['pull_request_target plans, though its ref is the base branch', { ...GITHUB, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' }, 'plan'],
      ['merge_group plans', { ...GITHUB, GITHUB_EVENT_NAME: 'merge_group', GITHUB_REF: 'refs/heads/gh-readonly-queue/main/pr-7' }, 'plan'],
      ['push to the deploy branch applies', { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, 'apply'],
      ['schedule on the deploy branch applies', { ...GITHUB, GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' }, 'apply'],
      ['workflow_dispatch on the deploy branch applies', { ...GITHUB, GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/main' }, 'apply'],
      ['push to another branch plans', { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' }, 'plan'],
      ['push of a tag named like the deploy branch plans', { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/main' }, 'plan'],
      ['a release event on the deploy branch plans', { ...GITHUB, GITHUB_EVENT_NAME: 'release', GITHUB_REF: 'refs/heads/main' }, 'plan'],
    ],
  ],
  [
    'GitLab CI',
    'gitlab',
    [
      ['a merge request plans even from the deploy branch', { ...GITLAB, CI_MERGE_REQUEST_IID: '12', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'main' }, 'plan'],
      ['the deploy branch applies', { ...GITLAB, CI_COMMIT_BRANCH: 'main' }, 'apply'],
      ['another branch plans', { ...GITLAB, CI_COMMIT_BRANCH: 'feature' }, 'plan'],
      ['a tag plans', { ...GITLAB, CI_COMMIT_TAG: 'main' }, 'plan'],
    ],
  ],
  [
    'Buildkite',
    'buildkite',
    [
      ['a pull request build plans even from the deploy branch', { ...BUILDKITE, BUILDKITE_PULL_REQUEST: '12', BUILDKITE_BRANCH: 'main' }, 'plan'],
      ['the deploy branch applies (BUILDKITE_PULL_REQUEST=false)', { ...BUILDKITE, BUILDKITE_BRANCH: 'main' }, 'apply'],
      ['another branch plans', { ...BUILDKITE, BUILDKITE_BRANCH: 'feature' }, 'plan'],
      ['a tag plans, though Buildkite sets the branch to the tag name', { ...BUILDKITE, BUILDKITE_TAG: 'main', BUILDKITE_BRANCH: 'main' }, 'plan'],
    ],
  ],
  [
    'CircleCI',
    'circleci',
    [
      ['a branch with a pull request plans', { ...CIRCLECI, CIRCLE_BRANCH: 'main', CIRCLE_PULL_REQUEST: 'https://github.com/acme/infra/pull/12' }, 'plan'],
      ['a forked pull request plans', { ...CIRCLECI, CIRCLE_BRANCH: 'pull/12', CIRCLE_PR_NUMBER: '12' }, 'plan'],
      ['the deploy branch applies', { ...CIRCLECI, CIRCLE_BRANCH: 'main' }, 'apply'],
      ['another branch plans', { ...CIRCLECI, CIRCLE_BRANCH: 'feature' }, 'plan'],
      ['a tag plans', { ...CIRCLECI, CIRCLE_TAG: 'main' }, 'plan'],
    ],
  ],
  [
    'Azure Pipelines',
    'azure-pipelines',
    [
      ['a pull request build plans', { ...AZURE, BUILD_REASON: 'PullRequest', BUILD_SOURCEBRANCH: 'refs/pull/12/merge', SYSTEM_PULLREQUEST_PULLREQUESTID: '12' }, 'plan'],
      ['a pull request with a policy-less reason still plans by its id', { ...AZURE, BUILD_REASON: 'Manual', BUILD_SOURCEBRANCH: 'refs/heads/main', SYSTEM_PULLREQUEST_PULLREQUESTID: '12' }, 'plan'],
      ['a CI build of the deploy branch applies', { ...AZURE, BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/main' }, 'apply'],
      ['a scheduled build of the deploy branch applies', { ...AZURE, BUILD_REASON: 'Schedule', BUILD_SOURCEBRANCH: 'refs/heads/main' }, 'apply'],
      ['another branch plans', { ...AZURE, BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/feature' }, 'plan'],
      ['a tag plans', { ...AZURE, BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/tags/main' }, 'plan'],
    ],
  ],
  [
    'Bitbucket Pipelines',
    'bitbucket-pipelines',
    [
      ['a pull request pipeline plans even from the deploy branch', { ...BITBUCKET, BITBUCKET_PR_ID: '12', BITBUCKET_BRANCH: 'main' }, 'plan'],
      ['the deploy branch applies', { ...BITBUCKET, BITBUCKET_BRANCH: 'main' }, 'apply'],
      ['another branch plans', { ...BITBUCKET, BITBUCKET_BRANCH: 'feature' }, 'plan'],
      ['a tag plans', { ...BITBUCKET, BITBUCKET_TAG: 'main' }, 'plan'],
    ],
  ],
  [
    'Jenkins',
    'jenkins',
    [
      ['a multibranch pull request build plans', { ...JENKINS, BRANCH_NAME: 'PR-12', CHANGE_ID: '12', CHANGE_TARGET: 'main', CHANGE_BRANCH: 'feature' }, 'plan'],
      ['the deploy branch applies', { ...JENKINS, BRANCH_NAME: 'main' }, 'apply'],
      ['the deploy branch applies with JENKINS_HOME when no URL is configured', { JENKINS_HOME: '/var/jenkins_home', BUILD_ID: '9', BRANCH_NAME: 'main' }, 'apply'],
      ['another branch plans', { ...JENKINS, BRANCH_NAME: 'feature' }, 'plan'],
      ['a tag plans, though BRANCH_NAME is the tag name', { ...JENKINS, BRANCH_NAME: 'main', TAG_NAME: 'main' }, 'plan'],
      ['a job that is not multibranch plans', { ...JENKINS, GIT_BRANCH: 'origin/main' }, 'plan'],
    ],
  ],
  [
    'Atlantis',
    'atlantis',
    [
      ['its apply command applies, on a pull request as Atlantis does', { ...ATLANTIS, COMMAND_NAME: 'apply' }, 'apply'],
      ['its plan command plans', { ...ATLANTIS, COMMAND_NAME: 'plan' }, 'plan'],
      ['any other command plans', { ...ATLANTIS, COMMAND_NAME: 'import' }, 'plan'],
      ['a run step without COMMAND_NAME plans', ATLANTIS, 'plan'],
      ['a workflow hook (no ATLANTIS_TERRAFORM_VERSION) is recognised by its command', { COMMAND_NAME: 'apply', PULL_NUM: '7', BASE_REPO_NAME: 'infra' }, 'apply'],
      ['a branch named like the deploy branch does not apply by itself', { ...ATLANTIS, HEAD_BRANCH_NAME: 'main', COMMAND_NAME: 'plan' }, 'plan'],
    ],
  ],
])('decideMode in %s', (system, source, rows) => {
  it.each(rows)(`%s`, (_title, env, mode) => {
    const decision = decide(env);
    expect({ mode: decision.mode, source: decision.source, system: decision.ci?.system }).toStrictEqual({ mode, source, system });
    expect(decision.why).toMatch(new RegExp(`^${system}[ ,].*: ${mode}$`));
  });
});

describe('decideMode explains which CI it recognised and by which variables', () => {
  it.each<[string, Environment, NonNullable<ReturnType<typeof decideMode>['ci']>, string]>([
    [
      'Buildkite',
      { ...BUILDKITE, BUILDKITE_PULL_REQUEST: '12', BUILDKITE_BRANCH: 'feature' },
      { system: 'Buildkite', recognisedBy: ['BUILDKITE=true'], readFrom: ['BUILDKITE_PULL_REQUEST=12'] },
      'Buildkite pull request #12: plan',
    ],
    [
      'Azure Pipelines',
      { ...AZURE, BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/main' },
      { system: 'Azure Pipelines', recognisedBy: ['TF_BUILD=True'], readFrom: ['BUILD_SOURCEBRANCH=refs/heads/main'] },
      'Azure Pipelines build of the deploy branch main: apply',
    ],
    [
      'Jenkins',
      { ...JENKINS, BRANCH_NAME: 'feature' },
      { system: 'Jenkins', recognisedBy: ['JENKINS_URL=https://jenkins.example.com/', 'BUILD_ID=153'], readFrom: ['BRANCH_NAME=feature'] },
      'Jenkins build of the branch feature, not a deploy branch (main): plan',
    ],
    [
      'Atlantis',
      { ...ATLANTIS, COMMAND_NAME: 'apply' },
      { system: 'Atlantis', recognisedBy: ['ATLANTIS_TERRAFORM_VERSION=1.9.8'], readFrom: ['COMMAND_NAME=apply'] },
      'Atlantis apply command: apply',
    ],
    [
      'GitHub Actions',
      { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' },
      { system: 'GitHub Actions', recognisedBy: ['GITHUB_ACTIONS=true'], readFrom: ['GITHUB_EVENT_NAME=push', 'GITHUB_REF=refs/tags/v1'] },
      'GitHub Actions build of the tag v1, and a tag never applies: plan',
    ],
    [
      'another CI',
      { CI: 'true' },
      { system: 'CI', recognisedBy: ['CI=true'], readFrom: [] },
      'CI, this CI is not one rolemap knows: plan',
    ],
  ])('%s', (_title, env, ci, why) => {
    const decision = decide(env);
    expect({ ci: decision.ci, why: decision.why }).toStrictEqual({ ci, why });
  });

  it('takes the more specific system when several are set (Buildkite sets CI=true too)', () => {
    expect(decide({ CI: 'true', BUILDKITE: 'true', BUILDKITE_BRANCH: 'main', JENKINS_URL: 'x', BUILD_ID: '1' }).source).toBe('buildkite');
  });
});

describe('decideMode with modes.deploy_branch lists and globs', () => {
  const RELEASES: DeployBranch[] = [
    { kind: 'name', name: 'main' },
    { kind: 'glob', glob: 'release/*', regexSource: '^release/[^/]+$' },
    { kind: 'glob', glob: 'hotfix/**', regexSource: '^hotfix(?:/[^/]+)+$' },
  ];
  it.each<[string, Environment, 'plan' | 'apply', string]>([
    ['a listed name applies', { ...GITLAB, CI_COMMIT_BRANCH: 'main' }, 'apply', 'GitLab CI build of the deploy branch main: apply'],
    ['a branch matching release/* applies, naming the glob', { ...BUILDKITE, BUILDKITE_BRANCH: 'release/1.2' }, 'apply', 'Buildkite build of the deploy branch release/1.2 (by release/*): apply'],
    ['release/* does not reach a deeper branch', { ...BUILDKITE, BUILDKITE_BRANCH: 'release/1.2/fix' }, 'plan', 'Buildkite build of the branch release/1.2/fix, not a deploy branch (main, release/*, hotfix/**): plan'],
    ['hotfix/** reaches any depth', { ...AZURE, BUILD_SOURCEBRANCH: 'refs/heads/hotfix/a/b' }, 'apply', 'Azure Pipelines build of the deploy branch hotfix/a/b (by hotfix/**): apply'],
    ['a glob is not a prefix match', { ...BITBUCKET, BITBUCKET_BRANCH: 'prerelease/1' }, 'plan', 'Bitbucket Pipelines build of the branch prerelease/1, not a deploy branch (main, release/*, hotfix/**): plan'],
    ['a pull request from a matching branch still plans', { ...CIRCLECI, CIRCLE_BRANCH: 'release/1.2', CIRCLE_PULL_REQUEST: 'https://github.com/acme/infra/pull/3' }, 'plan', 'CircleCI pull request #3: plan'],
    ['a tag matching the glob plans', { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/release/1.2' }, 'plan', 'GitHub Actions build of the tag release/1.2, and a tag never applies: plan'],
    ['a GitHub push to a matching branch applies', { ...GITHUB, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/release/2' }, 'apply', 'GitHub Actions build of the deploy branch release/2 (by release/*): apply'],
    ['a Jenkins build of a matching branch applies', { ...JENKINS, BRANCH_NAME: 'release/2' }, 'apply', 'Jenkins build of the deploy branch release/2 (by release/*): apply'],
  ])('%s', (_title, env, mode, why) => {
    const decision = decide(env, RELEASES);
    expect({ mode: decision.mode, why: decision.why }).toStrictEqual({ mode, why });
  });
});
