/**
 * rolemap's error hierarchy. The command line maps these to exit codes and messages in one
 * place (`src/cli/exitCodeFor.ts`; docs/architecture.md, "Exit codes"); nothing else decides an
 * exit code.
 *
 * Every message is written for the person reading Terragrunt's output: what is wrong, where,
 * and what to do. No message may hold a secret.
 */

/** Where in a YAML file something is, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface RolemapErrorOptions {
  /** What to do about it, shown on its own line after the message. */
  hint?: string;
  cause?: unknown;
}

/*
 * Each class names itself in a string: the bundle is minified, so a class's own name (and
 * `new.target.name`) would read "l" in a log line.
 */
export class RolemapError extends Error {
  override name = 'RolemapError';
  readonly hint: string | undefined;

  constructor(message: string, options: RolemapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}

/** Bad command-line arguments or environment values. Exit code 2. */
export class UsageError extends RolemapError {
  override name = 'UsageError';
}

export interface ConfigErrorOptions extends RolemapErrorOptions {
  /** file:line:column of the offending value, when known. */
  position?: SourcePosition;
  /** Further problems found in the same file, each with its own position. */
  more?: ReadonlyArray<{ message: string; position?: SourcePosition; hint?: string }>;
}

/** The mapping file or user config is missing, malformed or does not cover the unit. Exit code 2. */
export class ConfigError extends RolemapError {
  override name = 'ConfigError';
  readonly position: SourcePosition | undefined;
  readonly more: ReadonlyArray<{ message: string; position?: SourcePosition; hint?: string }>;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    this.position = options.position;
    this.more = options.more ?? [];
  }
}

export type CredentialsErrorKind =
  | 'access-denied'
  | 'expired-token'
  | 'validation'
  | 'throttled'
  | 'network'
  | 'server'
  | 'account-mismatch'
  | 'expired-credentials'
  | 'no-base-credentials'
  | 'no-web-identity-token'
  | 'sso-login-required'
  | 'mfa-login-required'
  | 'malformed-response'
  | 'timeout';

export interface CredentialsErrorOptions extends RolemapErrorOptions {
  kind: CredentialsErrorKind;
  /** The role being obtained, when there is one. */
  roleArn?: string;
  /** Who asked: an ARN, profile name or token subject. Never a secret. */
  baseIdentity?: string;
  /** Whether trying again later may succeed (throttling, 5xx, network). */
  retryable?: boolean;
}

/** Credentials could not be obtained. Exit code 1. */
export class CredentialsError extends RolemapError {
  override name = 'CredentialsError';
  readonly kind: CredentialsErrorKind;
  readonly roleArn: string | undefined;
  readonly baseIdentity: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: CredentialsErrorOptions) {
    super(message, options);
    this.kind = options.kind;
    this.roleArn = options.roleArn;
    this.baseIdentity = options.baseIdentity;
    this.retryable = options.retryable ?? false;
  }
}

/** The credential cache could not be used safely. Callers usually warn and bypass it. */
export class CacheError extends RolemapError {
  override name = 'CacheError';
}
