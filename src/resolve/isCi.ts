import type { Environment } from './types';

const TRUTHY = new Set(['true', '1', 'yes']);

/** Whether `value` is how CI systems spell "on" (`true`, `1`, `yes`, any case). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.has(value.toLowerCase());
}

/**
 * Whether rolemap runs in CI: GitHub Actions, GitLab CI, or anything that sets `CI`.
 * In CI the developer's own config is never read.
 */
export function isCi(env: Environment): boolean {
  return isTruthy(env['GITHUB_ACTIONS']) || isTruthy(env['GITLAB_CI']) || isTruthy(env['CI']);
}
