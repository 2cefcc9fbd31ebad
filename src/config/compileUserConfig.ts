import { ACCOUNT_ID_PATTERN, ROLE_ARN_PATTERN, ROLE_NAME_PATTERN } from '../constants';
import type { BaseProfileRule, CompiledUserConfig, Mode, UserOverride } from './types';
import { CONFIG_KEYS } from './configKeys';
import { ACCOUNT_NAME_PATTERN, MODES, PARTITIONS, PROFILE_NAME_PATTERN } from './configPatterns';
import { deepFreeze } from './deepFreeze';
import { SETTINGS } from './mappingSettings';
import { readAccountRef } from './readAccountRef';
import { readGlobs } from './readGlobs';
import { readSso } from './readSso';
import { readVersion } from './readVersion';
import { writeAs } from './writeAs';
import { YamlReader, type Field } from './YamlReader';

const KEYS = CONFIG_KEYS.userConfig;

/**
 * Parses and validates a developer's own config (`~/.config/rolemap/config.yaml`; README,
 * "Your own overrides") and compiles it to a frozen CompiledUserConfig. Whether an override is
 * allowed is decided later, against the mapping file's `overrides.allow`; account names in
 * overrides are kept as written for the same reason.
 *
 * Pure: reads nothing but its arguments. An empty file is a valid config with nothing set
 * except that it still needs `version`.
 *
 * @throws ConfigError listing every problem, like compileMappingFile.
 * @example
 * compileUserConfig('version: 1\nmode: apply\n', '/home/me/.config/rolemap/config.yaml').mode // 'apply'
 */
export function compileUserConfig(text: string, file: string): CompiledUserConfig {
  const reader = YamlReader.parse(text, file);
  const root = reader.root();
  if (root.node === undefined) {
    reader.report(0, 'the rolemap user config is empty', 'start it with `version: 1`, or delete the file');
    reader.throwIfProblems();
  }
  const top = reader.keys(root, KEYS.top, {
    role: '`role` belongs on an entry of `overrides:`, with the `paths` or `accounts` it applies to',
    auth: '`auth` belongs on an entry of `overrides:`, with the `paths` or `accounts` it applies to',
    start_url: '`start_url` belongs under `sso:`',
  });
  if (top === undefined) {
    reader.throwIfProblems();
    return unreachable();
  }
  const { version, supported } = readVersion(reader, top, root);
  if (!supported) {
    reader.throwIfProblems();
  }
  const modeField = top.get('mode');
  const mode: Mode | undefined = modeField === undefined ? undefined : reader.choice(modeField, MODES);
  const ssoField = top.get('sso');
  const sso = ssoField === undefined ? undefined : readSso(reader, ssoField, KEYS.sso);
  const profileField = top.get('source_profile');
  const sourceProfile = profileField === undefined ? undefined : readProfile(reader, profileField);
  const baseProfilesField = top.get('base_profiles');
  const baseProfiles = baseProfilesField === undefined ? [] : readBaseProfiles(reader, baseProfilesField);
  const overridesField = top.get('overrides');
  const overrides = overridesField === undefined ? [] : readOverrides(reader, overridesField);

  reader.throwIfProblems();
  if (version === undefined) {
    return unreachable();
  }
  return deepFreeze({ file, version, mode, sso, sourceProfile, baseProfiles, overrides });
}

/** Every path to here reported a problem, so throwIfProblems has thrown. */
function unreachable(): never {
  throw new Error('config compiler: a problem was not reported');
}

function readProfile(reader: YamlReader, field: Field): string | undefined {
  const profile = reader.string(field, 'base');
  if (profile !== undefined && !PROFILE_NAME_PATTERN.test(profile)) {
    reader.report(
      field.at,
      `\`${field.label}\` "${profile}" is not an AWS profile name`,
      `write the name of a profile from ~/.aws/config without "profile " or brackets, e.g. ${writeAs(field, 'base')}`,
    );
    return undefined;
  }
  return profile;
}

/**
 * `base_profiles: {aws-cn: cn-base, "111111111111": other, prod: prod-base}`: keys are partitions,
 * quoted 12-digit account ids or account names (resolved against the mapping file later).
 */
function readBaseProfiles(reader: YamlReader, field: Field): BaseProfileRule[] {
  const rules: BaseProfileRule[] = [];
  for (const entry of reader.entries(field) ?? []) {
    const kind = (PARTITIONS as readonly string[]).includes(entry.key)
      ? 'partition'
      : ACCOUNT_ID_PATTERN.test(entry.key) || ACCOUNT_NAME_PATTERN.test(entry.key)
        ? 'account'
        : undefined;
    if (kind === undefined) {
      reader.report(
        entry.keyAt,
        `\`${entry.field.label}\` is neither a partition, a 12-digit account id nor an account name`,
        `key each base profile by a partition (${PARTITIONS.join(', ')}), a quoted 12-digit account id, or an account name from the mapping file`,
      );
      continue;
    }
    const profile = readProfile(reader, entry.field);
    if (profile !== undefined) rules.push({ key: entry.key, kind, profile, position: reader.position(entry.keyAt) });
  }
  return rules;
}

function readOverrides(reader: YamlReader, field: Field): UserOverride[] {
  const items = reader.items(field, '[{paths: ["live/dev/**"], role: AdministratorAccess}]') ?? [];
  const overrides: UserOverride[] = [];
  items.forEach((item, index) => {
    const keys = reader.keys(item, KEYS.override);
    if (keys === undefined) {
      return;
    }
    const roleField = keys.get('role');
    const authField = keys.get('auth');
    if (roleField === undefined && authField === undefined) {
      reader.report(item.at, `\`${item.label}\` changes nothing`, 'add the `role` and/or `auth` to use where it applies');
      return;
    }
    const pathsField = keys.get('paths');
    const paths = pathsField === undefined ? [] : readGlobs(reader, pathsField);
    const accountsField = keys.get('accounts');
    const accounts = accountsField === undefined ? [] : readAccounts(reader, accountsField);
    const role = roleField === undefined ? undefined : readRole(reader, roleField);
    const auth = authField === undefined ? undefined : SETTINGS.auth.read(reader, authField);
    const valid =
      paths !== undefined &&
      accounts !== undefined &&
      (roleField === undefined || role !== undefined) &&
      (authField === undefined || auth !== undefined);
    if (valid) {
      overrides.push({ index, position: reader.position(item.at), paths, accounts, role, auth });
    }
  });
  return overrides;
}

function readAccounts(reader: YamlReader, field: Field): string[] | undefined {
  const items = reader.items(field, '[stage, "222222222222"]', { nonEmpty: true });
  if (items === undefined) {
    return undefined;
  }
  const accounts = items.map((item) => {
    const ref = readAccountRef(reader, item, { idsOnly: false });
    return ref === undefined ? undefined : ref.kind === 'id' ? ref.id : ref.name;
  });
  return accounts.every((account): account is string => account !== undefined) ? accounts : undefined;
}

function readRole(reader: YamlReader, field: Field): string | undefined {
  const role = reader.string(field, 'AdministratorAccess');
  if (role === undefined) {
    return undefined;
  }
  const valid = role.startsWith('arn:') ? ROLE_ARN_PATTERN.test(role) : ROLE_NAME_PATTERN.test(role);
  if (!valid) {
    reader.report(
      field.at,
      role.startsWith('arn:') ? `\`${field.label}\` "${role}" is not an IAM role ARN` : `\`${field.label}\` "${role}" is not a valid role name`,
      'write a role name ("ReadOnlyAccess"), path/name ("team/deploy") or a full role ARN ("arn:aws:iam::111111111111:role/deploy")',
    );
    return undefined;
  }
  return role;
}
