import type { TemplatePlaceholder } from '../constants';
import { isCi } from './isCi';
import type { Environment } from './types';

export type TemplateValues = Readonly<Record<TemplatePlaceholder, string>>;

export interface TemplateContext {
  env: Environment;
  osUser: string;
  mode: string;
  accountId: string;
  accountName: string | undefined;
  roleName: string;
  unitPath: string;
}

/**
 * The values of every template placeholder for one unit, from the OS and the CI environment.
 * A placeholder with nothing to say (`{pr}` outside a pull request) is the empty string.
 */
export function templateValues(context: TemplateContext): TemplateValues {
  const { env } = context;
  const ci = isCi(env);
  return {
    user: (ci ? first(env['GITHUB_ACTOR'], env['GITLAB_USER_LOGIN']) : undefined) ?? context.osUser,
    mode: context.mode,
    account: context.accountId,
    account_name: context.accountName ?? context.accountId,
    role: context.roleName,
    unit: context.unitPath,
    ci_run: first(env['GITHUB_RUN_ID'], env['CI_PIPELINE_ID'], env['BUILD_ID']) ?? '',
    pr: first(pullRequestFromGitHubRef(env['GITHUB_REF']), env['CI_MERGE_REQUEST_IID']) ?? '',
    branch:
      first(
        env['GITHUB_HEAD_REF'],
        env['GITHUB_REF_NAME'],
        env['CI_COMMIT_BRANCH'],
        env['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'],
      ) ?? '',
  };
}

function first(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value !== '');
}

/** GitHub puts the PR number only in the ref of a pull_request event: refs/pull/123/merge. */
function pullRequestFromGitHubRef(ref: string | undefined): string | undefined {
  const match = ref === undefined ? null : /^refs\/pull\/(\d+)\//.exec(ref);
  return match?.[1];
}
