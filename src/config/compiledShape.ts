/**
 * Shape checks for compiled forms read back from the cache. A compiled file written by another
 * rolemap build (an upgrade, a downgrade, a hand edit) may be valid JSON of another shape; the
 * hot path must see it as a miss, never crash on it. These checks are cheap (no regex, no
 * allocation beyond the walk) and cover every field the resolver reads.
 */
import type {
  AllowRule,
  CompiledConfig,
  CompiledGlob,
  CompiledMapping,
  DeployBranch,
  CompiledUserConfig,
  RoleRef,
  SsoSettings,
  UserOverride,
  WebIdentityTokenSource,
} from './types';
import type { MappingSettings, SettingName } from './mappingSettings';
import { PARTITIONS } from './configPatterns';

type Guard<T> = (value: unknown) => value is T;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isOptional =
  <T>(guard: Guard<T>): Guard<T | undefined> =>
  (value: unknown): value is T | undefined =>
    value === undefined || guard(value);
const isArrayOf =
  <T>(guard: Guard<T>): Guard<readonly T[]> =>
  (value: unknown): value is readonly T[] =>
    Array.isArray(value) && value.every((item) => guard(item));
const isStringRecord = (value: unknown): value is Record<string, string> =>
  isObject(value) && Object.values(value).every(isString);
/** A `modes.deploy_branch` entry: a literal name, or a glob with its compiled regular expression. */
function isDeployBranch(value: unknown): value is DeployBranch {
  if (!isObject(value)) return false;
  if (value['kind'] === 'name') return isString(value['name']);
  return value['kind'] === 'glob' && isString(value['glob']) && isString(value['regexSource']);
}

const isOneOf =
  <T extends string>(...allowed: readonly T[]): Guard<T> =>
  (value: unknown): value is T =>
    typeof value === 'string' && (allowed as readonly string[]).includes(value);

const isMode = isOneOf('plan', 'apply');
const isAuthKind = isOneOf('auto', 'assume', 'web-identity', 'sso', 'delegate');
const isPartition = isOneOf(...PARTITIONS);
const isOptionalString = isOptional(isString);

function isPosition(value: unknown): boolean {
  return isObject(value) && isString(value['file']) && isNumber(value['line']) && isNumber(value['column']);
}

function isGlob(value: unknown): value is CompiledGlob {
  return (
    isObject(value) &&
    isString(value['glob']) &&
    isString(value['regexSource']) &&
    isString(value['regexFlags']) &&
    isNumber(value['literalSegments']) &&
    isPosition(value['position'])
  );
}

// Guards made once, not per value checked: a part of a large mapping file checks hundreds of mappings.
const isGlobs = isArrayOf(isGlob);

function isSso(value: unknown): value is SsoSettings {
  return isObject(value) && isString(value['startUrl']) && isString(value['region']) && isOptionalString(value['session']);
}

const isOptionalSso = isOptional(isSso);

const isSsoRecord = (value: unknown): value is Record<string, SsoSettings> => isObject(value) && Object.values(value).every(isSso);

function isTokenSource(value: unknown): value is WebIdentityTokenSource {
  if (!isObject(value)) return false;
  switch (value['kind']) {
    case 'github':
    case 'auto':
      return true;
    case 'env':
      return isString(value['name']);
    case 'file':
      return isString(value['path']);
    default:
      return false;
  }
}

/**
 * The check of each setting's compiled value, by setting name: the compiler refuses a setting
 * declared in mappingSettings.ts and missing here. (Only its types are imported: the declaration
 * stays out of the hot bundle.)
 */
const SETTING_SHAPES: { readonly [N in SettingName]: Guard<MappingSettings[N]> } = {
  region: isOptionalString,
  durationSeconds: isNumber,
  sessionNameTemplate: isString,
  auth: isAuthKind,
  minTtlSeconds: isNumber,
  externalId: isOptionalString,
  sourceIdentityTemplate: isOptionalString,
  tagTemplates: isStringRecord,
  envs: isStringRecord,
  webIdentity: (value): value is MappingSettings['webIdentity'] =>
    isObject(value) && isTokenSource(value['token']) && isString(value['audience']),
};

const SETTING_CHECKS = Object.entries(SETTING_SHAPES) as [SettingName, Guard<unknown>][];

function isSettings(value: unknown): value is MappingSettings {
  return isObject(value) && SETTING_CHECKS.every(([name, isShape]) => isShape(value[name]));
}

function isRole(value: unknown): value is RoleRef {
  return isObject(value) && isString(value['arn']) && isString(value['name']);
}

function isMapping(value: unknown): value is CompiledMapping {
  return (
    isObject(value) &&
    isNumber(value['index']) &&
    isPosition(value['position']) &&
    isGlobs(value['globs']) &&
    isString(value['accountId']) &&
    isOptionalString(value['accountName']) &&
    isPartition(value['partition']) &&
    isObject(value['roles']) &&
    isRole(value['roles']['plan']) &&
    isRole(value['roles']['apply']) &&
    isSettings(value['settings']) &&
    isOptionalSso(value['sso'])
  );
}

function isRolePattern(value: unknown): boolean {
  return isObject(value) && isString(value['pattern']) && isString(value['regexSource']) && isString(value['regexFlags']);
}

function isAllowRule(value: unknown): value is AllowRule {
  return (
    isObject(value) &&
    isNumber(value['index']) &&
    isPosition(value['position']) &&
    isGlobs(value['paths']) &&
    isArrayOf(isString)(value['accountIds']) &&
    Array.isArray(value['rolePatterns']) &&
    value['rolePatterns'].every(isRolePattern)
  );
}

/** Whether a value read back from the cache is a list of CompiledMappings (one part of a mapping file). */
export const isCompiledMappings: Guard<readonly CompiledMapping[]> = isArrayOf(isMapping);

/** Whether a value read back from the cache has the shape of a CompiledConfig. */
export function isCompiledConfig(value: unknown): value is CompiledConfig {
  return (
    isObject(value) &&
    isString(value['file']) &&
    isString(value['dir']) &&
    isNumber(value['version']) &&
    isStringRecord(value['accounts']) &&
    isObject(value['modes']) &&
    isOptional(isMode)(value['modes']['local']) &&
    isArrayOf(isDeployBranch)(value['modes']['deployBranches']) &&
    isOptionalSso(value['sso']) &&
    isSsoRecord(value['ssoSessions']) &&
    isArrayOf(isAllowRule)(value['overridesAllow']) &&
    isOneOf('error', 'empty')(value['unmatched']) &&
    isArrayOf(isMapping)(value['mappings'])
  );
}

function isUserOverride(value: unknown): value is UserOverride {
  return (
    isObject(value) &&
    isNumber(value['index']) &&
    isPosition(value['position']) &&
    isGlobs(value['paths']) &&
    isArrayOf(isString)(value['accounts']) &&
    isOptionalString(value['role']) &&
    isOptional(isAuthKind)(value['auth'])
  );
}

function isBaseProfileRule(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value['key']) &&
    isOneOf('partition', 'account')(value['kind']) &&
    isString(value['profile']) &&
    isPosition(value['position'])
  );
}

/** Whether a value read back from the cache has the shape of a CompiledUserConfig. */
export function isCompiledUserConfig(value: unknown): value is CompiledUserConfig {
  return (
    isObject(value) &&
    isString(value['file']) &&
    isNumber(value['version']) &&
    isOptional(isMode)(value['mode']) &&
    isOptionalSso(value['sso']) &&
    isOptionalString(value['sourceProfile']) &&
    Array.isArray(value['baseProfiles']) &&
    value['baseProfiles'].every(isBaseProfileRule) &&
    isArrayOf(isUserOverride)(value['overrides'])
  );
}
