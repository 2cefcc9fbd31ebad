import type { TemplatePlaceholder } from '../constants';
import type { CiDetection } from './types';

export type TemplateValues = Readonly<Record<TemplatePlaceholder, string>>;

export interface TemplateContext {
  /** The CI system rolemap runs in (detectCi), undefined outside CI. */
  ci: CiDetection | undefined;
  osUser: string;
  mode: string;
  accountId: string;
  accountName: string | undefined;
  roleName: string;
  unitPath: string;
}

/**
 * The values of every template placeholder for one unit, from the OS and the CI environment.
 * `{user}`, `{ci_run}`, `{pr}` and `{branch}` come from the recognised CI system's own variables
 * (src/resolve/ciSystems.ts); outside CI, or where the system has no such variable, `{user}` is
 * the OS user and the others are the empty string.
 */
export function templateValues(context: TemplateContext): TemplateValues {
  const build = context.ci?.build;
  return {
    user: build?.user ?? context.osUser,
    mode: context.mode,
    account: context.accountId,
    account_name: context.accountName ?? context.accountId,
    role: context.roleName,
    unit: context.unitPath,
    ci_run: build?.run ?? '',
    pr: build?.pr ?? '',
    branch: build?.branch ?? '',
  };
}
