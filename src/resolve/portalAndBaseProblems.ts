import type { CompiledConfig, CompiledUserConfig } from '../config/types';
import type { SourcePosition } from '../errors';
import { pickBaseProfile } from './pickBaseProfile';

export interface PortalOrBaseProblem {
  message: string;
  position: SourcePosition;
  hint: string;
}

/**
 * What `validate` can tell about portals and bases without calling AWS: a mapping with `auth: sso`
 * and no portal anywhere (its own `sso`, the developer's, the file's), a `base_profiles` key
 * naming an account the mapping file does not have, and a mapping whose base profile is not in
 * the AWS config or credentials files (`knownProfiles`; undefined when they could not be read).
 * Pure; in file order.
 */
export function portalAndBaseProblems(
  config: CompiledConfig,
  userConfig: CompiledUserConfig | undefined,
  knownProfiles: ReadonlySet<string> | undefined,
): PortalOrBaseProblem[] {
  const problems: PortalOrBaseProblem[] = [];
  for (const rule of userConfig?.baseProfiles ?? []) {
    if (rule.kind !== 'account' || /^\d{12}$/.test(rule.key) || config.accounts[rule.key] !== undefined) continue;
    const known = Object.keys(config.accounts);
    problems.push({
      message: `base_profiles.${rule.key} names an account that ${config.file} does not have`,
      position: rule.position,
      hint: `key it by an account name from that file (${known.length === 0 ? 'it names none' : known.join(', ')}), a quoted 12-digit id, or a partition (aws, aws-cn, aws-us-gov)`,
    });
  }
  for (const mapping of config.mappings) {
    const where = `mapping #${mapping.index + 1} (account ${mapping.accountName ?? mapping.accountId})`;
    if (mapping.settings.auth === 'sso' && (mapping.sso ?? userConfig?.sso ?? config.sso) === undefined) {
      problems.push({
        message: `${where} uses auth: sso, but no IAM Identity Center portal is defined for it`,
        position: mapping.position,
        hint: 'give the mapping `sso: NAME` (a portal under `sso_sessions`), or set a top-level `sso: {start_url, region}`',
      });
    }
    const base = pickBaseProfile(userConfig, mapping);
    const mayAssume = mapping.settings.auth === 'assume' || mapping.settings.auth === 'auto';
    if (base === undefined || knownProfiles === undefined || !mayAssume || knownProfiles.has(base.profile)) continue;
    problems.push({
      message: `${where} takes its base from profile "${base.profile}" (${base.setting} in ${userConfig?.file ?? 'your rolemap config'}), which is not in your AWS config or credentials file`,
      position: mapping.position,
      hint: `add [profile ${base.profile}] to ~/.aws/config (or [${base.profile}] to ~/.aws/credentials), or name an existing profile in ${base.setting}`,
    });
  }
  return problems;
}
