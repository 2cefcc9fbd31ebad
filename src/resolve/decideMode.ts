import type { DeployBranch, Mode } from '../config/types';
import { findDeployBranch } from './findDeployBranch';
import type { CiDetection, ModeDecision } from './types';

export interface DecideModeInput {
  modeFlag: Mode | undefined;
  /** ROLEMAP_MODE, when set to a mode (the resolver refuses one that is not). */
  modeFromEnv: Mode | undefined;
  /** The CI system rolemap runs in (detectCi), undefined outside CI. */
  ci: CiDetection | undefined;
  /** The mapping file's `modes.deploy_branch`: names and globs. */
  deployBranches: readonly DeployBranch[];
  /** The developer's `mode`; undefined in CI, where the user config is never read. */
  userMode: Mode | undefined;
  /** The mapping file's `modes.local`. */
  localMode: Mode | undefined;
}

/**
 * Decides plan or apply by README, "Modes: plan or apply": the first source that answers wins.
 */
export function decideMode(input: DecideModeInput): ModeDecision {
  if (input.modeFlag !== undefined) {
    return { mode: input.modeFlag, source: 'flag', why: `--mode ${input.modeFlag}` };
  }
  if (input.modeFromEnv !== undefined) {
    return { mode: input.modeFromEnv, source: 'env', why: `ROLEMAP_MODE=${input.modeFromEnv}` };
  }
  if (input.ci !== undefined) return decideCiMode(input.ci, input.deployBranches);
  if (input.userMode !== undefined) {
    return { mode: input.userMode, source: 'user-config', why: `your config sets mode: ${input.userMode}` };
  }
  if (input.localMode !== undefined) {
    return { mode: input.localMode, source: 'mapping-file', why: `modes.local is ${input.localMode}` };
  }
  return { mode: 'plan', source: 'default', why: 'nothing chose a mode, so plan (the safe default)' };
}

/**
 * The same rule for every CI: a pull request plans, even from the deploy branch; a build of a
 * deploy branch applies; a tag or anything else plans. Atlantis applies on its apply command.
 */
function decideCiMode(ci: CiDetection, deployBranches: readonly DeployBranch[]): ModeDecision {
  const { system, build } = ci;
  const decided = (mode: Mode, why: string): ModeDecision => ({
    mode,
    source: system.id,
    why: `${why}: ${mode}`,
    ci: { system: system.name, recognisedBy: ci.recognisedBy, readFrom: build.readFrom },
  });
  const trigger = build.trigger;
  switch (trigger.kind) {
    case 'pull-request':
      return decided('plan', `${system.name} pull request${build.pr === undefined ? '' : ` #${build.pr}`}`);
    case 'tag':
      return decided('plan', `${system.name} build of the tag ${trigger.tag}, and a tag never applies`);
    case 'command':
      return decided(trigger.command === 'apply' ? 'apply' : 'plan', `${system.name} ${trigger.command} command`);
    case 'other':
      return decided('plan', `${system.name}, ${trigger.what}`);
    case 'branch': {
      const match = findDeployBranch(trigger.branch, deployBranches);
      if (match === undefined) {
        return decided('plan', `${system.name} build of the branch ${trigger.branch}, not a deploy branch (${deployBranches.map(describe).join(', ')})`);
      }
      const by = match.kind === 'glob' ? ` (by ${match.glob})` : '';
      return decided('apply', `${system.name} build of the deploy branch ${trigger.branch}${by}`);
    }
  }
}

function describe(entry: DeployBranch): string {
  return entry.kind === 'name' ? entry.name : entry.glob;
}
