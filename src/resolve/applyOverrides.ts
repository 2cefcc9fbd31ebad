import { resolveRole } from '../config/resolveRole';
import type { AllowRule, AuthKind, CompiledConfig, Partition, RoleRef, UserOverride } from '../config/types';
import { testGlob } from './testGlob';
import type { OverrideDecision } from './types';

export interface OverrideTarget {
  unitPath: string;
  accountId: string;
  accountName: string | undefined;
  partition: Partition;
  region: string | undefined;
}

export interface OverrideOutcome {
  /** The role an applied override set, resolved in the unit's account. */
  role: RoleRef | undefined;
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
    const role = override.role === undefined ? undefined : resolveRole(override.role, target);
    if (role !== undefined && !role.ok) {
      outcome.decisions.push({ status: 'refused', index: override.index, position: override.position, why: `${role.message}; ${role.hint}` });
      continue;
    }
    const refusal = refusalReason(config, role?.role, target);
    if (refusal !== undefined) {
      outcome.decisions.push({ status: 'refused', index: override.index, position: override.position, why: refusal });
      continue;
    }
    const changes: { role?: string; auth?: AuthKind } = {};
    if (role !== undefined) {
      changes.role = role.role.arn;
      outcome.role = role.role;
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

/** Role patterns are matched against the role's name (the last segment of its path). */
function permits(rule: AllowRule, role: RoleRef | undefined, target: OverrideTarget): boolean {
  const pathOk = rule.paths.length === 0 || rule.paths.some((g) => testGlob(g, target.unitPath));
  const accountOk = rule.accountIds.length === 0 || rule.accountIds.includes(target.accountId);
  const roleOk =
    role === undefined ||
    rule.rolePatterns.length === 0 ||
    rule.rolePatterns.some((p) => new RegExp(p.regexSource, p.regexFlags).test(role.name));
  return pathOk && accountOk && roleOk;
}

function refusalReason(config: CompiledConfig, role: RoleRef | undefined, target: OverrideTarget): string | undefined {
  if (config.overridesAllow.some((rule) => permits(rule, role, target))) return undefined;
  const account = target.accountName ?? target.accountId;
  const roleText = role === undefined ? '' : ` with role ${role.name}`;
  if (config.overridesAllow.length === 0) {
    return `${config.file} has no overrides.allow section, so no override is allowed; ask for an entry covering path ${target.unitPath} or account ${account}`;
  }
  return `no overrides.allow entry in ${config.file} covers path ${target.unitPath} in account ${account}${roleText}; it needs an entry such as {paths: ["${target.unitPath}"]} or {accounts: [${account}]${role === undefined ? '' : `, roles: ["${role.name}"]`}}`;
}
