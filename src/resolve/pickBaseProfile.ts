import type { CompiledMapping, CompiledUserConfig } from '../config/types';

/** The profile `assume` takes its base credentials from, and the setting that named it. */
export interface BaseProfileChoice {
  profile: string;
  /** As `explain` names it: `base_profiles.aws-cn`, `base_profiles.prod`, `source_profile`. */
  setting: string;
}

/**
 * The developer's base profile for a mapping: a `base_profiles` entry for its account (by id or
 * by its name in the mapping file) beats one for its partition, which beats `source_profile`.
 * Undefined when the developer's config names none (AWS_PROFILE and the rest of the chain decide).
 * Pure.
 */
export function pickBaseProfile(
  userConfig: Pick<CompiledUserConfig, 'baseProfiles' | 'sourceProfile'> | undefined,
  mapping: Pick<CompiledMapping, 'accountId' | 'accountName' | 'partition'>,
): BaseProfileChoice | undefined {
  if (userConfig === undefined) return undefined;
  const rules = userConfig.baseProfiles;
  const rule =
    rules.find((r) => r.kind === 'account' && (r.key === mapping.accountId || r.key === mapping.accountName)) ??
    rules.find((r) => r.kind === 'partition' && r.key === mapping.partition);
  if (rule !== undefined) return { profile: rule.profile, setting: `base_profiles.${rule.key}` };
  return userConfig.sourceProfile === undefined ? undefined : { profile: userConfig.sourceProfile, setting: 'source_profile' };
}
