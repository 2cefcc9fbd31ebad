import * as path from 'node:path';
import { isMap } from 'yaml';
import { DEFAULT_DEPLOY_BRANCH } from '../constants';
import type {
  AllowRule,
  CompiledConfig,
  CompiledMapping,
  Mode,
  Partition,
  RoleRef,
  SsoSettings,
} from './types';
import { CONFIG_KEYS } from './configKeys';
import { ACCOUNT_NAME_PATTERN, MODES, ROLE_PATTERN_PATTERN } from './configPatterns';
import { compileGlob } from './compileGlob';
import { deepFreeze } from './deepFreeze';
import { mergeSettings } from './mergeSettings';
import { nearestWord } from './nearestWord';
import { partitionForRegion } from './partitionForRegion';
import { readAccountRef } from './readAccountRef';
import { readDeployBranches } from './readDeployBranches';
import { readGlobs } from './readGlobs';
import type { SettingsLayer } from './mappingSettings';
import { readSettings } from './readSettings';
import { readSsoRef, readSsoSessions, type SsoSessions } from './readSso';
import { readVersion } from './readVersion';
import { resolveRole } from './resolveRole';
import { writeAs } from './writeAs';
import { YamlReader, type Field } from './YamlReader';

const KEYS = CONFIG_KEYS.mappingFile;

/** Where keys written at the wrong level belong, for the unknown-key hint. */
const TOP_LEVEL_MISPLACED: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    KEYS.settings.map((key) => [key, `\`${key}\` belongs under \`defaults:\` or on an entry of \`mappings:\``]),
  ),
  ...Object.fromEntries(
    ['paths', 'account', 'role'].map((key) => [key, `\`${key}\` belongs on an entry of \`mappings:\``]),
  ),
  allow: '`allow` belongs under `overrides:`',
  local: '`local` belongs under `modes:`',
  deploy_branch: '`deploy_branch` belongs under `modes:`',
  start_url: '`start_url` belongs under `sso:`',
};

const DEFAULTS_MISPLACED: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['paths', 'account', 'role'].map((key) => [key, `\`${key}\` is set per mapping: move it to each entry of \`mappings:\``]),
  ),
  sso: 'the default portal is the top-level `sso:`; a mapping may name its own with `sso:`',
  sso_sessions: '`sso_sessions` belongs at the top level',
};

interface Accounts {
  byName: Record<string, string>;
  nameById: Map<string, string>;
  /** Names whose id was already reported as wrong: uses of them are not reported again. */
  broken: Set<string>;
}

/**
 * Parses and validates a mapping file (`rolemap.yaml`, README, "The mapping file") and compiles it
 * to the plain-data, frozen CompiledConfig that matching and resolving trust without re-checking.
 *
 * Pure: reads nothing but its arguments. `file` is used for positions and `dir`.
 *
 * @throws ConfigError listing every problem found: the earliest in the file as the message and
 *   position, the others in `more`, each with file:line:column and a hint of what to write.
 * @example
 * compileMappingFile('version: 1\nmappings:\n  - {paths: ["live/**"], account: "111111111111", role: tg}\n',
 *   '/repo/rolemap.yaml').mappings[0].roles.plan.arn // 'arn:aws:iam::111111111111:role/tg'
 */
export function compileMappingFile(text: string, file: string): CompiledConfig {
  const reader = YamlReader.parse(text, file);
  const root = reader.root();
  if (root.node === undefined) {
    reader.report(0, 'the mapping file is empty', 'start it with `version: 1`, then `accounts:` and `mappings:`');
    reader.throwIfProblems();
  }
  const top = reader.keys(root, KEYS.top, TOP_LEVEL_MISPLACED);
  if (top === undefined) {
    reader.throwIfProblems();
    return unreachable();
  }
  const { version, supported } = readVersion(reader, top, root);
  if (!supported) {
    reader.throwIfProblems();
  }
  const accounts = readAccounts(reader, top.get('accounts'));
  const defaultsField = top.get('defaults');
  const defaultsKeys = defaultsField === undefined ? undefined : reader.keys(defaultsField, KEYS.settings, DEFAULTS_MISPLACED);
  const defaults = defaultsKeys === undefined ? { values: {}, at: {} } : readSettings(reader, defaultsKeys);
  const modes = readModes(reader, top.get('modes'));
  const ssoSessions = readSsoSessions(reader, top.get('sso_sessions'), KEYS.sso);
  const ssoField = top.get('sso');
  const sso: SsoSettings | undefined = ssoField === undefined ? undefined : readSsoRef(reader, ssoField, KEYS.sso, ssoSessions);
  const overridesAllow = readOverrides(reader, top.get('overrides'), accounts);
  const unmatchedField = top.get('unmatched');
  const unmatched = unmatchedField === undefined ? 'error' : reader.choice(unmatchedField, ['error', 'empty'] as const);
  const mappings = readMappings(reader, top, root, { accounts, defaults, ssoSessions });

  reader.throwIfProblems();
  if (version === undefined || unmatched === undefined) {
    return unreachable();
  }
  return deepFreeze({
    file,
    dir: path.dirname(file),
    version,
    accounts: accounts.byName,
    modes,
    sso,
    ssoSessions: ssoSessions.defined,
    overridesAllow,
    unmatched,
    mappings,
  });
}

/** Every path to here reported a problem, so throwIfProblems has thrown. */
function unreachable(): never {
  throw new Error('config compiler: a problem was not reported');
}

function readAccounts(reader: YamlReader, field: Field | undefined): Accounts {
  const accounts: Accounts = { byName: {}, nameById: new Map(), broken: new Set() };
  const entries = field === undefined ? [] : (reader.entries(field) ?? []);
  for (const entry of entries) {
    if (!ACCOUNT_NAME_PATTERN.test(entry.key)) {
      reader.report(
        entry.keyAt,
        `account name "${entry.key}" is not valid`,
        'account names start with a letter or digit and use letters, digits and "_.-"; they may not be all digits (ids go on the right: `dev: "111111111111"`)',
      );
      continue;
    }
    const ref = readAccountRef(reader, entry.field, { idsOnly: true });
    if (ref?.kind !== 'id') {
      accounts.broken.add(entry.key);
      continue;
    }
    const named = accounts.nameById.get(ref.id);
    if (named !== undefined) {
      accounts.broken.add(entry.key);
      reader.report(
        entry.field.at,
        `account id ${ref.id} is already named \`${named}\``,
        `give each account one name: remove \`${entry.key}\` or fix its id`,
      );
      continue;
    }
    accounts.byName[entry.key] = ref.id;
    accounts.nameById.set(ref.id, entry.key);
  }
  return accounts;
}

/** Resolves an account as written (name or quoted id) to its id and name. */
function readAccount(
  reader: YamlReader,
  field: Field,
  accounts: Accounts,
): { id: string; name: string | undefined } | undefined {
  const ref = readAccountRef(reader, field, { idsOnly: false });
  if (ref === undefined) {
    return undefined;
  }
  if (ref.kind === 'id') {
    return { id: ref.id, name: accounts.nameById.get(ref.id) };
  }
  const id = accounts.byName[ref.name];
  if (id !== undefined) {
    return { id, name: ref.name };
  }
  if (accounts.broken.has(ref.name)) {
    return undefined;
  }
  const known = Object.keys(accounts.byName);
  const near = nearestWord(ref.name, known);
  reader.report(
    field.at,
    `\`${field.label}\` names the account "${ref.name}", which is not in \`accounts\``,
    known.length === 0
      ? `add it under \`accounts:\` (e.g. \`${ref.name}: "111111111111"\`), or write its quoted 12-digit id`
      : `${near === undefined ? '' : `did you mean ${writeAs(field, near)}? `}Known accounts: ${known.join(', ')}; or add it under \`accounts:\``,
  );
  return undefined;
}

function readModes(reader: YamlReader, field: Field | undefined): CompiledConfig['modes'] {
  const keys = field === undefined ? undefined : reader.keys(field, KEYS.modes);
  const localField = keys?.get('local');
  const branchField = keys?.get('deploy_branch');
  return {
    local: localField === undefined ? undefined : reader.choice(localField, MODES),
    deployBranches: (branchField === undefined ? undefined : readDeployBranches(reader, branchField)) ?? [
      { kind: 'name', name: DEFAULT_DEPLOY_BRANCH },
    ],
  };
}

function readOverrides(reader: YamlReader, field: Field | undefined, accounts: Accounts): AllowRule[] {
  const keys = field === undefined ? undefined : reader.keys(field, KEYS.overrides);
  const allowField = keys?.get('allow');
  const items = allowField === undefined ? [] : (reader.items(allowField, '[{paths: ["live/dev/**"]}]') ?? []);
  const rules: AllowRule[] = [];
  items.forEach((item, index) => {
    const ruleKeys = reader.keys(item, KEYS.allowRule);
    if (ruleKeys === undefined) {
      return;
    }
    if (ruleKeys.size === 0 && isMap(item.node)) {
      reader.report(
        item.at,
        `\`${item.label}\` is empty, which would allow every override everywhere`,
        'say where overrides are allowed with `paths`, `accounts` and/or `roles`; write `paths: ["**"]` to allow them everywhere',
      );
      return;
    }
    const pathsField = ruleKeys.get('paths');
    const paths = pathsField === undefined ? [] : readGlobs(reader, pathsField);
    const accountsField = ruleKeys.get('accounts');
    const accountIds = accountsField === undefined ? [] : readAccountList(reader, accountsField, accounts);
    const rolesField = ruleKeys.get('roles');
    const rolePatterns = rolesField === undefined ? [] : readRolePatterns(reader, rolesField);
    if (paths !== undefined && accountIds !== undefined && rolePatterns !== undefined) {
      rules.push({ index, position: reader.position(item.at), paths, accountIds, rolePatterns });
    }
  });
  return rules;
}

function readAccountList(reader: YamlReader, field: Field, accounts: Accounts): string[] | undefined {
  const items = reader.items(field, '[dev, "111111111111"]', { nonEmpty: true });
  if (items === undefined) {
    return undefined;
  }
  const ids = items.map((item) => readAccount(reader, item, accounts)?.id);
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

function readRolePatterns(reader: YamlReader, field: Field): AllowRule['rolePatterns'] | undefined {
  const items = reader.items(field, '["ReadOnly*"]', { nonEmpty: true });
  if (items === undefined) {
    return undefined;
  }
  const patterns: Array<{ pattern: string; regexSource: string; regexFlags: string }> = [];
  for (const item of items) {
    const pattern = reader.string(item, '"ReadOnly*"');
    if (pattern === undefined) {
      continue;
    }
    const compiled = ROLE_PATTERN_PATTERN.test(pattern) ? compileGlob(pattern) : undefined;
    if (compiled === undefined || !compiled.ok) {
      reader.report(
        item.at,
        compiled?.message ?? `\`${item.label}\` "${pattern}" is not a role name pattern`,
        compiled?.hint ?? 'write a role name, optionally with * and ? wildcards, e.g. "ReadOnly*"; not an ARN',
      );
      continue;
    }
    patterns.push({ pattern, regexSource: compiled.regexSource, regexFlags: compiled.regexFlags });
  }
  return patterns.length === items.length ? patterns : undefined;
}

/** What every mapping is read against: the file's accounts, defaults and named portals. */
interface MappingContext {
  accounts: Accounts;
  defaults: SettingsLayer;
  ssoSessions: SsoSessions;
}

function readMappings(reader: YamlReader, top: ReadonlyMap<string, Field>, root: Field, context: MappingContext): CompiledMapping[] {
  const field = reader.requireKey(
    top,
    'mappings',
    root,
    'add `mappings:` with at least one entry: `- {paths: ["live/dev/**"], account: dev, role: terragrunt}`',
  );
  const example = '[{paths: ["live/dev/**"], account: dev, role: terragrunt}]';
  const items = field === undefined ? [] : (reader.items(field, example, { nonEmpty: true }) ?? []);
  const mappings: CompiledMapping[] = [];
  items.forEach((item, index) => {
    const mapping = readMapping(reader, item, index, context);
    if (mapping !== undefined) {
      mappings.push(mapping);
    }
  });
  return mappings;
}

function readMapping(reader: YamlReader, item: Field, index: number, context: MappingContext): CompiledMapping | undefined {
  const { accounts, defaults } = context;
  const keys = reader.keys(item, KEYS.mapping);
  if (keys === undefined) {
    return undefined;
  }
  const pathsField = reader.requireKey(keys, 'paths', item, 'add the unit directories it covers, e.g. `paths: ["live/dev/**"]`');
  const globs = pathsField === undefined ? undefined : readGlobs(reader, pathsField);
  const accountField = reader.requireKey(keys, 'account', item, 'add `account:` with a name from `accounts` or a quoted 12-digit id');
  const account = accountField === undefined ? undefined : readAccount(reader, accountField, accounts);
  const settings = mergeSettings(reader, defaults, readSettings(reader, keys), item);
  const partition = partitionForRegion(settings.region);
  const roleField = reader.requireKey(keys, 'role', item, 'add `role: NAME`, or `role: {plan: NAME, apply: NAME}`');
  const roles =
    roleField === undefined
      ? undefined
      : readRoles(reader, roleField, account === undefined ? undefined : { ...account, partition, region: settings.region });
  const ssoField = keys.get('sso');
  const sso = ssoField === undefined ? undefined : readSsoRef(reader, ssoField, KEYS.sso, context.ssoSessions);
  if (globs === undefined || account === undefined || roles === undefined || (ssoField !== undefined && sso === undefined)) {
    return undefined;
  }
  return {
    index,
    position: reader.position(item.at),
    globs,
    accountId: account.id,
    accountName: account.name,
    partition,
    roles,
    settings,
    ...(sso === undefined ? {} : { sso }),
  };
}

/**
 * Reads `role`: one role for both modes, or `{plan, apply}`. Without a resolved account only the
 * shape is checked, since an ARN's account cannot be compared.
 */
function readRoles(
  reader: YamlReader,
  field: Field,
  context: { id: string; name: string | undefined; partition: Partition; region: string | undefined } | undefined,
): Record<Mode, RoleRef> | undefined {
  const readOne = (roleField: Field): RoleRef | undefined => {
    const written = reader.string(roleField, 'terragrunt');
    if (written === undefined || context === undefined) {
      return undefined;
    }
    const resolved = resolveRole(written, {
      accountId: context.id,
      accountName: context.name,
      partition: context.partition,
      region: context.region,
    });
    if (!resolved.ok) {
      reader.report(roleField.at, `\`${roleField.label}\`: ${resolved.message}`, resolved.hint);
      return undefined;
    }
    return resolved.role;
  };
  if (!isMap(field.node)) {
    const role = readOne(field);
    return role === undefined ? undefined : { plan: role, apply: role };
  }
  const keys = reader.keys(field, KEYS.role);
  if (keys === undefined) {
    return undefined;
  }
  const planField = reader.requireKey(keys, 'plan', field, 'add `plan: NAME` (the read-only role used for plan), or write `role: NAME` for one role in both modes');
  const applyField = reader.requireKey(keys, 'apply', field, 'add `apply: NAME` (the read-write role used for apply), or write `role: NAME` for one role in both modes');
  const plan = planField === undefined ? undefined : readOne(planField);
  const apply = applyField === undefined ? undefined : readOne(applyField);
  return plan === undefined || apply === undefined ? undefined : { plan, apply };
}
