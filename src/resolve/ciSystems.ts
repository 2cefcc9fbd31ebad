import { fromCiVariables } from './fromCiVariables';
import { readCiVariable, type CiVariableRead } from './readCiVariable';
import type { CiBuild, CiSystem, Environment } from './types';

/** GitHub events that only ever plan: they run code that is not yet on the deploy branch. */
const GITHUB_PLAN_EVENTS: readonly string[] = ['pull_request', 'pull_request_target', 'merge_group'];
/** GitHub events that apply when they run on a deploy branch. */
const GITHUB_APPLY_EVENTS: readonly string[] = ['push', 'schedule', 'workflow_dispatch'];

const GITHUB_READS = {
  user: [{ name: 'GITHUB_ACTOR' }],
  run: [{ name: 'GITHUB_RUN_ID' }],
  // GitHub puts the pull request number only in the ref of a pull request event.
  pr: [{ name: 'GITHUB_REF', match: /^refs\/pull\/(\d+)\// }],
  branch: [{ name: 'GITHUB_HEAD_REF' }, { name: 'GITHUB_REF', prefix: 'refs/heads/' }],
} satisfies Record<string, readonly CiVariableRead[]>;

/** GitHub Actions says what runs by its event, not by a pull request variable. */
function readGitHubActions(env: Environment): CiBuild {
  const read = (reads: readonly CiVariableRead[]): string | undefined => readCiVariable(env, reads)?.value;
  const values = { user: read(GITHUB_READS.user), run: read(GITHUB_READS.run), pr: read(GITHUB_READS.pr), branch: read(GITHUB_READS.branch) };
  const event = env['GITHUB_EVENT_NAME'] ?? '';
  const ref = env['GITHUB_REF'] ?? '';
  const eventSet = `GITHUB_EVENT_NAME=${event}`;
  if (GITHUB_PLAN_EVENTS.includes(event)) {
    return { trigger: { kind: 'pull-request' }, readFrom: [eventSet], ...values };
  }
  const readFrom = [eventSet, `GITHUB_REF=${ref}`];
  if (ref.startsWith('refs/tags/')) {
    return { trigger: { kind: 'tag', tag: ref.slice('refs/tags/'.length) }, readFrom, ...values, branch: undefined };
  }
  if (GITHUB_APPLY_EVENTS.includes(event) && ref.startsWith('refs/heads/')) {
    return { trigger: { kind: 'branch', branch: ref.slice('refs/heads/'.length) }, readFrom, ...values };
  }
  const what = `a ${event || 'nameless'} event on ${ref || 'no ref'}, which is neither a pull request nor a ${GITHUB_APPLY_EVENTS.join('/')} on a branch`;
  return { trigger: { kind: 'other', what }, readFrom, ...values };
}

/**
 * Atlantis decides by its command. It names it (COMMAND_NAME) to workflow hooks, but not to
 * custom workflow `run` steps, where Terragrunt runs: there the apply stage sets it with an `env`
 * step (see the README), and without it rolemap plans.
 */
function readAtlantis(env: Environment): CiBuild {
  const read = (name: string): string | undefined => readCiVariable(env, [{ name }])?.value;
  // Atlantis has no run id.
  const values = { user: read('USER_NAME'), run: undefined, pr: read('PULL_NUM'), branch: read('HEAD_BRANCH_NAME') };
  const command = readCiVariable(env, [{ name: 'COMMAND_NAME' }]);
  if (command === undefined) {
    return {
      trigger: { kind: 'other', what: 'COMMAND_NAME is not set (Atlantis sets it for workflow hooks only; set it in the apply stage with an `env` step)' },
      readFrom: [],
      ...values,
    };
  }
  return { trigger: { kind: 'command', command: command.value }, readFrom: [command.evidence], ...values };
}

/**
 * Every CI system rolemap recognises, ordered from specific to generic: the first whose
 * detection holds is the one. Each entry is read from its own documented variables:
 * - GitHub Actions: docs.github.com, "Variables reference";
 * - GitLab: "Predefined CI/CD variables";
 * - Buildkite: buildkite.com/docs/pipelines/environment-variables;
 * - CircleCI: circleci.com/docs/variables;
 * - Azure Pipelines: "Predefined variables" (TF_BUILD, Build.*, System.PullRequest.*);
 * - Bitbucket Pipelines: "Variables and secrets", default variables;
 * - Atlantis: runatlantis.io custom workflows and workflow hooks;
 * - Jenkins: the multibranch pipeline's env-vars.html (BRANCH_NAME, CHANGE_*, TAG_NAME).
 * Systems with a variable of their own come first; Jenkins and Atlantis are known by
 * combinations of plainer names, and `CI=true` alone is any other CI.
 */
export const CI_SYSTEMS: readonly CiSystem[] = [
  {
    id: 'github-actions',
    name: 'GitHub Actions',
    detect: [[{ name: 'GITHUB_ACTIONS', truthy: true }]],
    read: readGitHubActions,
  },
  {
    id: 'gitlab',
    name: 'GitLab CI',
    detect: [[{ name: 'GITLAB_CI', truthy: true }]],
    read: (env) =>
      fromCiVariables(env, {
        pullRequest: [{ name: 'CI_MERGE_REQUEST_IID' }],
        tag: [{ name: 'CI_COMMIT_TAG' }],
        branch: [{ name: 'CI_COMMIT_BRANCH' }],
        headBranch: [{ name: 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME' }],
        pr: [{ name: 'CI_MERGE_REQUEST_IID' }],
        user: [{ name: 'GITLAB_USER_LOGIN' }],
        run: [{ name: 'CI_PIPELINE_ID' }],
      }),
  },
  {
    id: 'buildkite',
    name: 'Buildkite',
    detect: [[{ name: 'BUILDKITE', truthy: true }]],
    read: (env) =>
      fromCiVariables(env, {
        // The pull request number, or "false" when the build is not for one.
        pullRequest: [{ name: 'BUILDKITE_PULL_REQUEST', ignore: 'false' }],
        // Checked before the branch: a tag build sets BUILDKITE_BRANCH to the tag's name.
        tag: [{ name: 'BUILDKITE_TAG' }],
        branch: [{ name: 'BUILDKITE_BRANCH' }],
        headBranch: [{ name: 'BUILDKITE_BRANCH' }],
        pr: [{ name: 'BUILDKITE_PULL_REQUEST', ignore: 'false' }],
        user: [{ name: 'BUILDKITE_BUILD_CREATOR' }],
        run: [{ name: 'BUILDKITE_BUILD_NUMBER' }],
      }),
  },
  {
    id: 'circleci',
    name: 'CircleCI',
    detect: [[{ name: 'CIRCLECI', truthy: true }]],
    read: (env) =>
      fromCiVariables(env, {
        // Set when the branch built has an open pull request (CIRCLE_PR_NUMBER: forks only).
        pullRequest: [{ name: 'CIRCLE_PULL_REQUEST' }, { name: 'CIRCLE_PULL_REQUESTS' }, { name: 'CIRCLE_PR_NUMBER' }],
        tag: [{ name: 'CIRCLE_TAG' }],
        branch: [{ name: 'CIRCLE_BRANCH' }],
        headBranch: [{ name: 'CIRCLE_BRANCH' }],
        pr: [{ name: 'CIRCLE_PR_NUMBER' }, { name: 'CIRCLE_PULL_REQUEST', match: /\/(\d+)$/ }],
        user: [{ name: 'CIRCLE_USERNAME' }],
        run: [{ name: 'CIRCLE_WORKFLOW_ID' }],
      }),
  },
  {
    id: 'azure-pipelines',
    name: 'Azure Pipelines',
    detect: [[{ name: 'TF_BUILD', truthy: true }]],
    read: (env) =>
      fromCiVariables(env, {
        pullRequest: [{ name: 'BUILD_REASON', equals: 'PullRequest' }, { name: 'SYSTEM_PULLREQUEST_PULLREQUESTID' }],
        tag: [{ name: 'BUILD_SOURCEBRANCH', prefix: 'refs/tags/' }],
        branch: [{ name: 'BUILD_SOURCEBRANCH', prefix: 'refs/heads/' }],
        // Azure Repos give refs/heads/NAME; GitHub repositories give the bare name.
        headBranch: [{ name: 'SYSTEM_PULLREQUEST_SOURCEBRANCH', prefix: 'refs/heads/' }, { name: 'SYSTEM_PULLREQUEST_SOURCEBRANCH' }],
        // GitHub pull requests have a number besides Azure's id; the number is what people see.
        pr: [{ name: 'SYSTEM_PULLREQUEST_PULLREQUESTNUMBER' }, { name: 'SYSTEM_PULLREQUEST_PULLREQUESTID' }],
        user: [{ name: 'BUILD_REQUESTEDFOR' }],
        run: [{ name: 'BUILD_BUILDID' }],
      }),
  },
  {
    id: 'bitbucket-pipelines',
    name: 'Bitbucket Pipelines',
    detect: [[{ name: 'BITBUCKET_BUILD_NUMBER' }]],
    read: (env) =>
      fromCiVariables(env, {
        pullRequest: [{ name: 'BITBUCKET_PR_ID' }],
        tag: [{ name: 'BITBUCKET_TAG' }],
        branch: [{ name: 'BITBUCKET_BRANCH' }],
        headBranch: [{ name: 'BITBUCKET_BRANCH' }],
        pr: [{ name: 'BITBUCKET_PR_ID' }],
        // Bitbucket names the user who started the step only by account UUID.
        user: [{ name: 'BITBUCKET_STEP_TRIGGERER_UUID' }],
        run: [{ name: 'BITBUCKET_BUILD_NUMBER' }],
      }),
  },
  {
    id: 'atlantis',
    name: 'Atlantis',
    detect: [
      // Custom workflow `run` steps, where Terragrunt runs.
      [{ name: 'ATLANTIS_TERRAFORM_VERSION' }],
      // Pre- and post-workflow hooks.
      [{ name: 'COMMAND_NAME' }, { name: 'PULL_NUM' }, { name: 'BASE_REPO_NAME' }],
    ],
    read: readAtlantis,
  },
  {
    id: 'jenkins',
    name: 'Jenkins',
    // Jenkins before 2.4xx sets no CI=true; every build has BUILD_ID, and JENKINS_URL once the
    // controller's URL is configured (JENKINS_HOME otherwise).
    detect: [
      [{ name: 'JENKINS_URL' }, { name: 'BUILD_ID' }],
      [{ name: 'JENKINS_HOME' }, { name: 'BUILD_ID' }],
    ],
    read: (env) =>
      fromCiVariables(env, {
        // Multibranch pipelines: CHANGE_ID is set for pull (change) requests, TAG_NAME for tags,
        // and BRANCH_NAME always (PR-12 for a pull request, the tag's name for a tag).
        pullRequest: [{ name: 'CHANGE_ID' }],
        tag: [{ name: 'TAG_NAME' }],
        branch: [{ name: 'BRANCH_NAME' }],
        headBranch: [{ name: 'CHANGE_BRANCH' }],
        pr: [{ name: 'CHANGE_ID' }],
        user: [{ name: 'CHANGE_AUTHOR' }, { name: 'BUILD_USER_ID' }],
        run: [{ name: 'BUILD_TAG' }, { name: 'BUILD_ID' }],
      }),
  },
  {
    id: 'ci',
    name: 'CI',
    detect: [[{ name: 'CI', truthy: true }]],
    read: () => ({
      trigger: { kind: 'other', what: 'this CI is not one rolemap knows' },
      readFrom: [],
      user: undefined,
      run: undefined,
      pr: undefined,
      branch: undefined,
    }),
  },
];
