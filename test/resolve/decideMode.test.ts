import { decideMode, type DecideModeInput } from '../../src/resolve/decideMode';
import { UsageError } from '../../src/errors';

const base: DecideModeInput = { modeFlag: undefined, env: {}, deployBranch: 'main', userMode: undefined, localMode: undefined };

describe('decideMode', () => {
  it.each([
    ['--mode wins over everything', { ...base, modeFlag: 'apply', env: { ROLEMAP_MODE: 'plan', CI: 'true' } }, 'apply', 'flag'],
    ['ROLEMAP_MODE wins over CI', { ...base, env: { ROLEMAP_MODE: 'apply', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request' } }, 'apply', 'env'],
    ['GitHub pull_request plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/heads/main' } }, 'plan', 'github-actions'],
    ['GitHub pull_request_target plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' } }, 'plan', 'github-actions'],
    ['GitHub merge_group plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'merge_group', GITHUB_REF: 'refs/heads/main' } }, 'plan', 'github-actions'],
    ['GitHub push to the deploy branch applies', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' } }, 'apply', 'github-actions'],
    ['GitHub schedule on the deploy branch applies', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' } }, 'apply', 'github-actions'],
    ['GitHub workflow_dispatch on the deploy branch applies', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/main' } }, 'apply', 'github-actions'],
    ['GitHub push to another branch plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' } }, 'plan', 'github-actions'],
    ['GitHub push of a tag plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/main' } }, 'plan', 'github-actions'],
    ['GitHub push to a custom deploy branch applies', { ...base, deployBranch: 'release', env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/release' } }, 'apply', 'github-actions'],
    ['GitHub release event plans', { ...base, env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'release', GITHUB_REF: 'refs/heads/main' } }, 'plan', 'github-actions'],
    ['GitLab merge request plans even on the deploy branch', { ...base, env: { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '12', CI_COMMIT_BRANCH: 'main' } }, 'plan', 'gitlab'],
    ['GitLab deploy branch applies', { ...base, env: { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'main' } }, 'apply', 'gitlab'],
    ['GitLab other branch plans', { ...base, env: { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'feature' } }, 'plan', 'gitlab'],
    ['GitLab tag pipeline plans', { ...base, env: { GITLAB_CI: 'true', CI_COMMIT_TAG: 'v1' } }, 'plan', 'gitlab'],
    ['other CI plans', { ...base, env: { CI: 'true' }, userMode: 'apply', localMode: 'apply' }, 'plan', 'ci'],
    ['the developer mode wins locally', { ...base, userMode: 'apply', localMode: 'plan' }, 'apply', 'user-config'],
    ['modes.local applies locally', { ...base, localMode: 'apply' }, 'apply', 'mapping-file'],
    ['plan when nothing says', base, 'plan', 'default'],
  ] as Array<[string, DecideModeInput, string, string]>)('%s', (_name, input, mode, source) => {
    const decision = decideMode(input);
    expect({ mode: decision.mode, source: decision.source }).toStrictEqual({ mode, source });
    expect(decision.why.length).toBeGreaterThan(0);
  });

  it('rejects a ROLEMAP_MODE that is not a mode, saying what to write', () => {
    expect(() => decideMode({ ...base, env: { ROLEMAP_MODE: 'deploy' } })).toThrow(UsageError);
    try {
      decideMode({ ...base, env: { ROLEMAP_MODE: 'deploy' } });
    } catch (error) {
      expect((error as UsageError).hint).toContain('plan or apply');
    }
  });
});
