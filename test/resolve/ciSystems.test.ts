import { CI_SYSTEMS } from '../../src/resolve/ciSystems';
import { isCi } from '../../src/resolve/isCi';
import type { CiSystemId, Environment } from '../../src/resolve/types';
import { config, mappingYaml, resolveMatched, userConfig } from './fixtures';

/** One realistic environment per system: a pull request build, as each system sets it. */
const PULL_REQUESTS: ReadonlyArray<[CiSystemId, Environment]> = [
  ['github-actions', { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge', GITHUB_HEAD_REF: 'fix/x', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '987654' }],
  ['gitlab', { CI: 'true', GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '42', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix/x', GITLAB_USER_LOGIN: 'gl-bob', CI_PIPELINE_ID: '555' }],
  ['buildkite', { CI: 'true', BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: '42', BUILDKITE_BRANCH: 'fix/x', BUILDKITE_TAG: '', BUILDKITE_BUILD_CREATOR: 'Keith Pitt', BUILDKITE_BUILD_NUMBER: '1514', BUILDKITE_BUILD_ID: '9e08ef3c-d6e6-4a86-91dd-577ce5205b8e' }],
  ['circleci', { CI: 'true', CIRCLECI: 'true', CIRCLE_PULL_REQUEST: 'https://github.com/acme/infra/pull/42', CIRCLE_BRANCH: 'fix/x', CIRCLE_USERNAME: 'circle-carl', CIRCLE_WORKFLOW_ID: 'wf-555', CIRCLE_BUILD_NUM: '77' }],
  ['azure-pipelines', { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', BUILD_SOURCEBRANCH: 'refs/pull/42/merge', SYSTEM_PULLREQUEST_PULLREQUESTID: '9042', SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: '42', SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/fix/x', BUILD_REQUESTEDFOR: 'Ada Azure', BUILD_BUILDID: '555' }],
  ['bitbucket-pipelines', { CI: 'true', BITBUCKET_BUILD_NUMBER: '555', BITBUCKET_PR_ID: '42', BITBUCKET_BRANCH: 'fix/x', BITBUCKET_STEP_TRIGGERER_UUID: '{a1b2}' }],
  ['atlantis', { ATLANTIS_TERRAFORM_VERSION: '1.9.8', COMMAND_NAME: 'plan', PULL_NUM: '42', HEAD_BRANCH_NAME: 'fix/x', USER_NAME: 'atlas', BASE_REPO_NAME: 'infra', BASE_REPO_OWNER: 'acme' }],
  ['jenkins', { JENKINS_URL: 'https://jenkins.example.com/', BUILD_ID: '153', BUILD_TAG: 'jenkins-infra-PR-42-153', BRANCH_NAME: 'PR-42', CHANGE_ID: '42', CHANGE_BRANCH: 'fix/x', CHANGE_AUTHOR: 'jen' }],
  ['ci', { CI: 'true' }],
];

describe('CI_SYSTEMS', () => {
  it('holds every system once, generic CI last', () => {
    const ids = CI_SYSTEMS.map((system) => system.id);
    expect([new Set(ids).size, ids.at(-1), PULL_REQUESTS.map(([id]) => id).sort()]).toStrictEqual([ids.length, 'ci', [...ids].sort()]);
  });
});

describe('isCi', () => {
  it.each(PULL_REQUESTS)('recognises %s', (_id, env) => {
    expect(isCi(env)).toBe(true);
  });

  it.each<[string, Environment]>([
    ['Jenkins without CI=true', { JENKINS_URL: 'https://jenkins.example.com/', BUILD_ID: '153' }],
    ['a Jenkins agent without a configured URL', { JENKINS_HOME: '/var/jenkins_home', BUILD_ID: '153' }],
    ['an Atlantis run step', { ATLANTIS_TERRAFORM_VERSION: '1.9.8', WORKSPACE: 'default' }],
    ['an Atlantis workflow hook', { COMMAND_NAME: 'plan', PULL_NUM: '7', BASE_REPO_NAME: 'infra' }],
    ['Azure, which spells it True', { TF_BUILD: 'True' }],
    ['Bitbucket, by its build number', { BITBUCKET_BUILD_NUMBER: '1' }],
  ])('recognises %s', (_title, env) => {
    expect(isCi(env)).toBe(true);
  });

  it.each<[string, Environment]>([
    ['an empty environment', {}],
    ['CI=false', { CI: 'false' }],
    ['a developer shell with JENKINS_URL for the jenkins CLI', { JENKINS_URL: 'https://jenkins.example.com/' }],
    ['a shell that set COMMAND_NAME for itself', { COMMAND_NAME: 'apply' }],
    ['BUILD_ID alone', { BUILD_ID: '42' }],
    ['GITHUB_ACTIONS=false', { GITHUB_ACTIONS: 'false' }],
    ['empty variables', { BUILDKITE: '', TF_BUILD: '', BITBUCKET_BUILD_NUMBER: '', ATLANTIS_TERRAFORM_VERSION: '' }],
  ])('does not take %s for CI', (_title, env) => {
    expect(isCi(env)).toBe(false);
  });
});

const TEMPLATED = mappingYaml(`
  - paths: ["live/prod/**"]
    account: prod
    role:
      plan: terragrunt-plan
      apply: terragrunt-apply
    session_name: "s-{mode}"
    tags:
      User: "{user}"
      Run: "{ci_run}"
      Pr: "{pr}"
      Branch: "{branch}"
`);

describe('resolveRequest in each CI', () => {
  const withAllow = mappingYaml(
    `
  - paths: ["live/dev/**"]
    account: dev
    role: terragrunt`,
    'overrides:\n  allow:\n    - paths: ["live/dev/**"]\n',
  );
  const mine = userConfig('version: 1\nmode: apply\noverrides:\n  - paths: ["live/dev/**"]\n    role: AdministratorAccess\n');

  it.each(PULL_REQUESTS)('never reads the user config in %s (no override, no mode, no file)', (id, env) => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/dev/vpc', env });
    expect({ roleArn: request.roleArn, overrides: request.overrides, mode: request.mode, userConfigFile: request.userConfigFile }).toStrictEqual({
      roleArn: 'arn:aws:iam::111111111111:role/terragrunt',
      overrides: [],
      mode: expect.objectContaining({ mode: 'plan', source: id }),
      userConfigFile: undefined,
    });
  });

  it.each<[CiSystemId, Record<string, string>]>([
    ['github-actions', { User: 'octocat', Run: '987654', Pr: '42', Branch: 'fix-x' }],
    ['gitlab', { User: 'gl-bob', Run: '555', Pr: '42', Branch: 'fix-x' }],
    ['buildkite', { User: 'Keith-Pitt', Run: '1514', Pr: '42', Branch: 'fix-x' }],
    ['circleci', { User: 'circle-carl', Run: 'wf-555', Pr: '42', Branch: 'fix-x' }],
    ['azure-pipelines', { User: 'Ada-Azure', Run: '555', Pr: '42', Branch: 'fix-x' }],
    ['bitbucket-pipelines', { User: '-a1b2-', Run: '555', Pr: '42', Branch: 'fix-x' }],
    ['atlantis', { User: 'atlas', Run: '', Pr: '42', Branch: 'fix-x' }],
    ['jenkins', { User: 'jen', Run: 'jenkins-infra-PR-42-153', Pr: '42', Branch: 'fix-x' }],
    ['ci', { User: 'alice', Run: '', Pr: '', Branch: '' }],
  ])('fills {user}, {ci_run}, {pr} and {branch} of a %s pull request from its own variables', (id, tags) => {
    const env = PULL_REQUESTS.find(([system]) => system === id)?.[1] ?? {};
    const request = resolveMatched({ config: config(TEMPLATED), unitPath: 'live/prod/vpc', env, osUser: 'alice' });
    expect(Object.fromEntries(request.tags.map((tag) => [tag.Key, tag.Value]))).toStrictEqual(tags);
  });

  it.each<[string, Environment, Record<string, string>]>([
    ['a GitHub push fills the branch, no pull request', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '1' }, { User: 'octocat', Run: '1', Pr: '', Branch: 'main' }],
    ['a Buildkite branch build, BUILDKITE_PULL_REQUEST=false', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BRANCH: 'main', BUILDKITE_BUILD_NUMBER: '9' }, { User: 'alice', Run: '9', Pr: '', Branch: 'main' }],
    ['an Azure branch build', { TF_BUILD: 'True', BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/release/1', BUILD_BUILDID: '7', BUILD_REQUESTEDFOR: 'Ada' }, { User: 'Ada', Run: '7', Pr: '', Branch: 'release-1' }],
    ['an Azure pull request from a GitHub repository (bare source branch)', { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_PULLREQUESTID: '9', SYSTEM_PULLREQUEST_SOURCEBRANCH: 'feat' }, { User: 'alice', Run: '', Pr: '9', Branch: 'feat' }],
    ['a CircleCI forked pull request', { CIRCLECI: 'true', CIRCLE_BRANCH: 'pull/12', CIRCLE_PR_NUMBER: '12' }, { User: 'alice', Run: '', Pr: '12', Branch: 'pull-12' }],
    ['a Jenkins tag build has no branch', { JENKINS_URL: 'x', BUILD_ID: '3', BRANCH_NAME: 'v1', TAG_NAME: 'v1' }, { User: 'alice', Run: '3', Pr: '', Branch: '' }],
    ['a Bitbucket tag build', { BITBUCKET_BUILD_NUMBER: '8', BITBUCKET_TAG: 'v1' }, { User: 'alice', Run: '8', Pr: '', Branch: '' }],
  ])('%s', (_title, env, tags) => {
    const request = resolveMatched({ config: config(TEMPLATED), unitPath: 'live/prod/vpc', env, osUser: 'alice' });
    expect(Object.fromEntries(request.tags.map((tag) => [tag.Key, tag.Value]))).toStrictEqual(tags);
  });
});
