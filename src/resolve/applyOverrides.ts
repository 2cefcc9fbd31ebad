import { ROLE_ARN_PATTERN } from '../constants';
import type { AllowRule, AuthKind, CompiledConfig, UserOverride } from '../config/types';
import { testGlob } from '../config/testGlob';
import type { OverrideDecision } from './types';

export interface OverrideTarget {
  unitPath: string;
  accountId: string;
  accountName: string | undefined;
}

export interface OverrideOutcome {
  /** The role as the developer wrote it (name, path/name or ARN), when an applied override set one. */
  role: string | undefined;
  auth: AuthKind | undefined;
  decisions: OverrideDecision[];
}

/**
 * Applies the developer's overrides that target this unit, in file order (a later one wins),
 * but only where the mapping file's `overrides.allow` permits. Overrides that do not target the
 * unit are left out of the decisions; refused ones say which allow rule is missing.
 */
export function applyOverrides(
  config: CompiledConfig,
  overrides: readonly UserOverride[],
  target: OverrideTarget,
): OverrideOutcome {
  const outcome: OverrideOutcome = { role: undefined, auth: undefined, decisions: [] };
  for (const override of overrides) {
    if (!targets(config, override, target)) continue;
    const refusal = refusalReason(config, override, target);
    if (refusal !== undefined) {
      outcome.decisions.push({ status: 'refused', index: override.index, position: override.position, why: refusal });
      continue;
    }
    const changes: { role?: string; auth?: AuthKind } = {};
    if (override.role !== undefined) {
      changes.role = override.role;
      outcome.role = override.role;
    }
    if (override.auth !== undefined) {
      changes.auth = override.auth;
      outcome.auth = override.auth;
    }
    outcome.decisions.push({
      status: 'applied',
      index: override.index,
      position: override.position,
      changes,
      why: `allowed by overrides.allow in ${config.file}`,
    });
  }
  return outcome;
}

function targets(config: CompiledConfig, override: UserOverride, target: OverrideTarget): boolean {
  const pathOk = override.paths.length === 0 || override.paths.some((g) => testGlob(g, target.unitPath));
  const accountOk =
    override.accounts.length === 0 ||
    override.accounts.some((a) => (config.accounts[a] ?? a) === target.accountId);
  return pathOk && accountOk;
}

function roleNameOf(role: string): string {
  const arn = ROLE_ARN_PATTERN.exec(role);
  if (arn) return arn[4] ?? role;
  return role.slice(role.lastIndexOf('/') + 1);
}

function permits(rule: AllowRule, override: UserOverride, target: OverrideTarget): boolean {
  const pathOk = rule.paths.length === 0 || rule.paths.some((g) => testGlob(g, target.unitPath));
  const accountOk = rule.accountIds.length === 0 || rule.accountIds.includes(target.accountId);
  const role = override.role;
  const roleOk =
    role === undefined ||
    rule.rolePatterns.length === 0 ||
    rule.rolePatterns.some((p) => new RegExp(p.regexSource, p.regexFlags).test(roleNameOf(role)));
  return pathOk && accountOk && roleOk;
}

function refusalReason(config: CompiledConfig, override: UserOverride, target: OverrideTarget): string | undefined {
  const role = override.role;
  if (role !== undefined) {
    const arn = ROLE_ARN_PATTERN.exec(role);
    if (arn && arn[2] !== target.accountId) {
      return `the override's role ${role} is in account ${arn[2] ?? '?'}, but ${target.unitPath} is in account ${target.accountId}`;
    }
  }
  if (config.overridesAllow.some((rule) => permits(rule, override, target))) return undefined;
  const account = target.accountName ?? target.accountId;
  const roleText = role === undefined ? '' : ` with role ${roleNameOf(role)}`;
  if (config.overridesAllow.length === 0) {
    return `${config.file} has no overrides.allow section, so no override is allowed; ask for an entry covering path ${target.unitPath} or account ${account}`;
  }
  return `no overrides.allow entry in ${config.file} covers path ${target.unitPath} in account ${account}${roleText}; it needs an entry such as {paths: ["${target.unitPath}"]} or {accounts: [${account}]${role === undefined ? '' : `, roles: ["${roleNameOf(role)}"]`}}`;
}
