/**
 * What the resolver produces: a fully resolved credential request, or the reason there is none.
 * `credentials`, `env` and `explain` are all projections of this one result, so they cannot
 * disagree about which account and role a unit gets.
 */

import type {
  AuthKind,
  CompiledGlob,
  CompiledMapping,
  Mode,
  Partition,
  SsoSettings,
} from '../config/types';
import type { MappingSettings } from '../config/mappingSettings';
import type { SourcePosition } from '../errors';

/** The environment the resolver reads: process.env, already stripped of rolemap's own credentials. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** ROLEMAP_MODE as read at the entry: a mode, or the text that is not one. */
export type ModeFromEnv = { status: 'mode'; mode: Mode } | { status: 'not-a-mode'; text: string };

export interface ResolveInput {
  config: import('../config/types').CompiledConfig;
  /** Undefined when there is none, or in CI (where it is never read). */
  userConfig: import('../config/types').CompiledUserConfig | undefined;
  /** The unit path relative to the mapping file's directory, `/`-separated, already cut at `.terragrunt-cache`. */
  unitPath: string;
  env: Environment;
  /**
   * The CI system rolemap runs in (detectCi(env)), undefined outside CI. Detected once per call by
   * the caller, which has already used it to leave the developer's config unread in CI.
   */
  ci: CiDetection | undefined;
  /** `--mode`, when given. */
  modeFlag: Mode | undefined;
  /** ROLEMAP_MODE, when set. */
  modeFromEnv: ModeFromEnv | undefined;
  /** The login name (LOGNAME, USER, LNAME, USERNAME, else the passwd entry), for `{user}` outside CI. */
  osUser: string;
}

/** The CI systems rolemap tells apart; `ci` is any other CI that sets `CI=true`. */
export type CiSystemId =
  | 'github-actions'
  | 'gitlab'
  | 'buildkite'
  | 'circleci'
  | 'azure-pipelines'
  | 'bitbucket-pipelines'
  | 'atlantis'
  | 'jenkins'
  | 'ci';

export type ModeSource = 'flag' | 'env' | CiSystemId | 'user-config' | 'mapping-file' | 'default';

/** A variable test in a CI system's detection: set and non-empty, or with `truthy`, `true`/`1`/`yes` in any case. */
export interface CiVariableTest {
  name: string;
  truthy?: true;
}

/** What a CI build is, as far as plan or apply is concerned. */
export type CiTrigger =
  | { kind: 'pull-request' }
  | { kind: 'branch'; branch: string }
  | { kind: 'tag'; tag: string }
  /** Atlantis names its command (COMMAND_NAME) instead of a branch. */
  | { kind: 'command'; command: string }
  /** Nothing that decides: a schedule without a branch, an unknown event, an unknown CI. */
  | { kind: 'other'; what: string };

/** One CI build, read from its system's own variables. */
export interface CiBuild {
  trigger: CiTrigger;
  /** The variables that decided the trigger, as `NAME=value` (none of them is a secret). */
  readFrom: readonly string[];
  /** `{user}`: the actor who started the build, when the system names one. */
  user: string | undefined;
  /** `{ci_run}` */
  run: string | undefined;
  /** `{pr}` */
  pr: string | undefined;
  /** `{branch}`: the branch built, or a pull request's source branch. */
  branch: string | undefined;
}

/**
 * One entry of the CI registry (src/resolve/ciSystems.ts): how a CI system is recognised and
 * how its build is read.
 */
export interface CiSystem {
  id: CiSystemId;
  /** As people write it: "Buildkite". */
  name: string;
  /** Recognised when every test of any one group holds. */
  detect: readonly (readonly CiVariableTest[])[];
  read(env: Environment): CiBuild;
}

/** A CI system recognised in the environment, with the variables that gave it away. */
export interface CiDetection {
  system: CiSystem;
  /** `NAME=value` of the detection group that matched. */
  recognisedBy: readonly string[];
  build: CiBuild;
}

export interface ModeDecision {
  mode: Mode;
  source: ModeSource;
  /** One sentence a human reads in `explain`, e.g. "GitHub Actions pull_request event". */
  why: string;
  /** In CI: which system was recognised, by which variables, and which variables were read. */
  ci?: { system: string; recognisedBy: readonly string[]; readFrom: readonly string[] };
}

export interface Candidate {
  mapping: CompiledMapping;
  /** The mapping's most specific glob that matched the unit. */
  glob: CompiledGlob;
  literalSegments: number;
}

export type OverrideDecision =
  | {
      status: 'applied';
      index: number;
      position: SourcePosition;
      changes: { role?: string; auth?: AuthKind };
      why: string;
    }
  | {
      status: 'refused';
      index: number;
      position: SourcePosition;
      /** Names the allow rule that is missing, for the warning. */
      why: string;
    };

/**
 * A resolved credential request: what every auth kind shares (`RequestBase`) and, by `auth`, only
 * what that kind uses: the base profile for `assume`, the token settings for `web-identity` (and
 * `delegate`, which hands Terragrunt the token), the portal for `sso`.
 */
export type CredentialRequest = AssumeRequest | WebIdentityRequest | SsoRequest | DelegateRequest;

export interface AssumeRequest extends RequestBase {
  auth: 'assume';
  /**
   * The user config's base profile for this mapping (`base_profiles` by account or partition, else
   * `source_profile`): an explicit base profile (AWS_PROFILE is read by assumeBaseSource).
   */
  sourceProfile: string | undefined;
  /** The setting that named `sourceProfile`, e.g. `base_profiles.aws-cn` or `source_profile`. */
  sourceProfileSetting: string | undefined;
}

export interface WebIdentityRequest extends RequestBase {
  auth: 'web-identity';
  webIdentity: MappingSettings['webIdentity'];
}

export interface SsoRequest extends RequestBase {
  auth: 'sso';
  /** The portal: the mapping's own, else the user config's, else the mapping file's. */
  sso: SsoSettings;
}

export interface DelegateRequest extends RequestBase {
  auth: 'delegate';
  /** For the web-identity token handed to Terragrunt in CI. */
  webIdentity: MappingSettings['webIdentity'];
}

/**
 * The settings only some auth kinds use: each is its own field of those kinds' requests (above),
 * typed from the declaration, and absent from `RequestSettings`.
 */
export type PerAuthSetting = 'webIdentity';

/**
 * The mapping's merged settings (config/mappingSettings.ts), every declared setting but those of
 * one auth kind, as the mapping file and `defaults` gave them: templates still unfilled, `auth` as
 * configured (possibly `auto`). What the resolver computes from them is a request field of its own
 * (`sessionName`, `sourceIdentity`, `tags`, `auth`).
 */
export type RequestSettings = Omit<MappingSettings, PerAuthSetting>;

/** What a request holds whatever its auth kind. */
export interface RequestBase {
  configFile: string;
  unitPath: string;
  mapping: CompiledMapping;
  matchedGlob: CompiledGlob;
  mode: ModeDecision;
  accountId: string;
  accountName: string | undefined;
  partition: Partition;
  roleArn: string;
  roleName: string;
  /** `session_name` filled for this unit. */
  sessionName: string;
  /** Never `auto`: the resolver has already chosen. */
  auth: Exclude<AuthKind, 'auto'>;
  authWhy: string;
  /**
   * `source_identity` and `tags` filled for this unit. Only `assume` sends them (with
   * `settings.externalId`); they are here for every kind because each kind's cache key holds them
   * (cacheKeyFields) and `web-identity` refuses them when set.
   */
  sourceIdentity: string | undefined;
  tags: ReadonlyArray<{ Key: string; Value: string }>;
  /**
   * The merged settings: `settings.durationSeconds`, `settings.region` (undefined: the SDK
   * default), `settings.envs` (emitted as they are; region variables are added at output), ...
   */
  settings: RequestSettings;
  overrides: readonly OverrideDecision[];
  /** Whether the user config was read (never in CI). */
  userConfigFile: string | undefined;
}

/**
 * Every outcome of resolving a unit. A verdict (matched, unmatched, ambiguous) is what `explain`
 * reports; a refusal is input that gives no request at all, which the cli turns into an error
 * (cli/render/unresolvedError).
 */
export type ResolveResult = ResolveVerdict | ResolveRefusal;

export type ResolveRefusal =
  /** ROLEMAP_MODE is not a mode, and no --mode overrides it. */
  | { status: 'bad-mode'; text: string }
  /** The unit's auth is sso, and neither the mapping file nor the user config names a portal. */
  | { status: 'no-sso-portal'; unitPath: string; configFile: string; position: SourcePosition }
  /** A template filled to a name STS refuses (fewer than 2 characters). */
  | { status: 'bad-name'; key: 'session_name' | 'source_identity'; value: string; unitPath: string; position: SourcePosition };

export type ResolveVerdict =
  | { status: 'matched'; request: CredentialRequest; candidates: readonly Candidate[] }
  | {
      status: 'unmatched';
      unitPath: string;
      configFile: string;
      /** Globs nearest to the unit path, best first. */
      nearest: readonly CompiledGlob[];
      /** True when the mapping file says `unmatched: empty`. */
      emptyAllowed: boolean;
      mode: ModeDecision;
    }
  | {
      status: 'ambiguous';
      unitPath: string;
      configFile: string;
      candidates: readonly Candidate[];
      mode: ModeDecision;
    };
