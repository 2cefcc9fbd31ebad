import type { Mode } from '../config/types';
import { UsageError } from '../errors';
import { isTruthy } from './isCi';
import type { Environment, ModeDecision } from './types';

/** GitHub events that only ever plan: they run code that is not yet on the deploy branch. */
const GITHUB_PLAN_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);
/** GitHub events that apply when they run on the deploy branch. */
const GITHUB_APPLY_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch']);

export interface DecideModeInput {
  modeFlag: Mode | undefined;
  env: Environment;
  deployBranch: string;
  /** The developer's `mode`; undefined in CI, where the user config is never read. */
  userMode: Mode | undefined;
  /** The mapping file's `modes.local`. */
  localMode: Mode | undefined;
}

/**
 * Decides plan or apply by DESIGN section 4: the first source that answers wins.
 * @throws UsageError when ROLEMAP_MODE holds something other than plan or apply.
 */
export function decideMode(input: DecideModeInput): ModeDecision {
  const { env } = input;
  if (input.modeFlag !== undefined) {
    return { mode: input.modeFlag, source: 'flag', why: `--mode ${input.modeFlag}` };
  }
  const fromEnv = env['ROLEMAP_MODE'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv !== 'plan' && fromEnv !== 'apply') {
      throw new UsageError(`ROLEMAP_MODE is ${JSON.stringify(fromEnv.slice(0, 100))}, which is not a mode.`, {
        hint: 'Set ROLEMAP_MODE to plan or apply, or unset it.',
      });
    }
    return { mode: fromEnv, source: 'env', why: `ROLEMAP_MODE=${fromEnv}` };
  }
  if (isTruthy(env['GITHUB_ACTIONS'])) return decideGitHubMode(env, input.deployBranch);
  if (isTruthy(env['GITLAB_CI'])) return decideGitLabMode(env, input.deployBranch);
  if (isTruthy(env['CI'])) {
    return { mode: 'plan', source: 'ci', why: 'CI is set and this is neither GitHub Actions nor GitLab: plan' };
  }
  if (input.userMode !== undefined) {
    return { mode: input.userMode, source: 'user-config', why: `your config sets mode: ${input.userMode}` };
  }
  if (input.localMode !== undefined) {
    return { mode: input.localMode, source: 'mapping-file', why: `modes.local is ${input.localMode}` };
  }
  return { mode: 'plan', source: 'default', why: 'nothing chose a mode, so plan (the safe default)' };
}

function decideGitHubMode(env: Environment, deployBranch: string): ModeDecision {
  const event = env['GITHUB_EVENT_NAME'] ?? '';
  const ref = env['GITHUB_REF'] ?? '';
  if (GITHUB_PLAN_EVENTS.has(event)) {
    return { mode: 'plan', source: 'github-actions', why: `GitHub Actions ${event} event: plan` };
  }
  if (GITHUB_APPLY_EVENTS.has(event) && ref === `refs/heads/${deployBranch}`) {
    return {
      mode: 'apply',
      source: 'github-actions',
      why: `GitHub Actions ${event} on the deploy branch ${deployBranch}: apply`,
    };
  }
  return {
    mode: 'plan',
    source: 'github-actions',
    why: `GitHub Actions ${event || 'unknown'} event on ${ref || 'an unknown ref'}, not a push to ${deployBranch}: plan`,
  };
}

function decideGitLabMode(env: Environment, deployBranch: string): ModeDecision {
  const mergeRequest = env['CI_MERGE_REQUEST_IID'];
  if (mergeRequest !== undefined && mergeRequest !== '') {
    return { mode: 'plan', source: 'gitlab', why: `GitLab merge request !${mergeRequest}: plan` };
  }
  const branch = env['CI_COMMIT_BRANCH'];
  if (branch === deployBranch) {
    return { mode: 'apply', source: 'gitlab', why: `GitLab pipeline on the deploy branch ${deployBranch}: apply` };
  }
  return {
    mode: 'plan',
    source: 'gitlab',
    why: `GitLab pipeline on ${branch ? `branch ${branch}` : 'a tag or detached ref'}, not ${deployBranch}: plan`,
  };
}
