/**
 * The validated, compiled forms of the mapping file and the developer's config.
 *
 * These are plain JSON data (no class instances, no RegExp objects) so that a compiled config
 * can be written to the cache and read back on the hot path without loading the YAML parser or
 * the glob library. Globs are stored as regular-expression sources produced by minimatch.
 * Validation happens once, when compiling; nothing downstream re-checks.
 */

import type { SourcePosition } from '../errors';
import type { MappingSettings } from './mappingSettings';

export type { MappingSettings } from './mappingSettings';

export type Mode = 'plan' | 'apply';
export type AuthKind = 'auto' | 'assume' | 'web-identity' | 'sso' | 'delegate';
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * Where a web identity token comes from: `github`, `env:NAME`, `file:PATH` or `auto`
 * (the first of those that is present).
 */
export type WebIdentityTokenSource =
  | { kind: 'github' }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'auto' };

export interface WebIdentitySettings {
  token: WebIdentityTokenSource;
  /** `aud` asked of GitHub's token endpoint. */
  audience: string;
}

export interface SsoSettings {
  startUrl: string;
  region: string;
  /**
   * The name this portal has under the mapping file's `sso_sessions`, when it was given by name:
   * what `rolemap login --sso-session NAME` takes. Absent for a portal written inline.
   */
  session?: string;
}

/** A role as written, resolved to an ARN for the mapping's account and partition. */
export interface RoleRef {
  arn: string;
  /** The last path segment of the ARN: what `{role}` and sso permission sets use. */
  name: string;
}

export interface CompiledGlob {
  /** The glob as written in the file. */
  glob: string;
  /** minimatch's regular expression source for it. */
  regexSource: string;
  regexFlags: string;
  /** Segments without `*`, `?`, `[` or `{`: the specificity used to pick a winner. */
  literalSegments: number;
  position: SourcePosition;
}

export interface CompiledMapping {
  /** 0-based position in `mappings`. */
  index: number;
  position: SourcePosition;
  globs: readonly CompiledGlob[];
  accountId: string;
  /** The name from `accounts`, when the account was given by name or has one. */
  accountName: string | undefined;
  partition: Partition;
  roles: Readonly<Record<Mode, RoleRef>>;
  settings: MappingSettings;
  /** The mapping's own IAM Identity Center portal (`sso:`); absent means the file's default `sso`. */
  sso?: SsoSettings;
}

/** One `overrides.allow` entry of the mapping file. */
export interface AllowRule {
  index: number;
  position: SourcePosition;
  /** Compiled globs; empty means "any path". */
  paths: readonly CompiledGlob[];
  /** Account ids; empty means "any account". */
  accountIds: readonly string[];
  /** Role-name globs (as regex sources); empty means "any role". */
  rolePatterns: readonly { pattern: string; regexSource: string; regexFlags: string }[];
}

/**
 * One entry of `modes.deploy_branch`: a branch name, compared as it is, or a glob over branch
 * names (`release/*`), stored as a regular-expression source so that deciding the mode on every
 * call needs no glob library.
 */
export type DeployBranch = { kind: 'name'; name: string } | { kind: 'glob'; glob: string; regexSource: string };

export interface CompiledConfig {
  /** Absolute path of the mapping file. */
  file: string;
  /** Its directory: globs match unit paths relative to this. */
  dir: string;
  version: number;
  /** name -> 12-digit id */
  accounts: Readonly<Record<string, string>>;
  modes: { local: Mode | undefined; deployBranches: readonly DeployBranch[] };
  /** The default portal: the top-level `sso`, for mappings that do not name their own. */
  sso: SsoSettings | undefined;
  /** `sso_sessions`: the named portals mappings may refer to, by name. */
  ssoSessions: Readonly<Record<string, SsoSettings>>;
  overridesAllow: readonly AllowRule[];
  unmatched: 'error' | 'empty';
  mappings: readonly CompiledMapping[];
}

/** One entry of the developer's `overrides`. */
export interface UserOverride {
  index: number;
  position: SourcePosition;
  /** Compiled globs; empty means "any path". */
  paths: readonly CompiledGlob[];
  /** Account names or ids as written; resolved against the mapping file at resolve time. */
  accounts: readonly string[];
  /** A role name, path/name or ARN. */
  role: string | undefined;
  auth: AuthKind | undefined;
}

/**
 * One entry of the developer's `base_profiles`: the AWS profile that gives the base credentials
 * of `assume` for the accounts of a partition, or for one account (by id, or by its name in the
 * mapping file, resolved at resolve time like overrides' accounts).
 */
export interface BaseProfileRule {
  /** The key as written: a partition, a 12-digit account id or an account name. */
  key: string;
  kind: 'partition' | 'account';
  profile: string;
  position: SourcePosition;
}

export interface CompiledUserConfig {
  file: string;
  version: number;
  mode: Mode | undefined;
  sso: SsoSettings | undefined;
  sourceProfile: string | undefined;
  /** `base_profiles`, in file order. */
  baseProfiles: readonly BaseProfileRule[];
  overrides: readonly UserOverride[];
}
