/** User-facing limits and names, in one place. */

/** Kept equal to package.json's version by test/constants.test.ts. */
export const VERSION = '0.1.0';

export const SUPPORTED_CONFIG_VERSIONS: readonly number[] = [1];

/** sts:AssumeRole DurationSeconds bounds. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;
/** AWS caps a session at one hour when the caller is itself an assumed role ("role chaining"). */
export const CHAINED_ROLE_MAX_DURATION_SECONDS = 3600;

export const DEFAULT_DURATION_SECONDS = 3600;
export const DEFAULT_MIN_TTL_SECONDS = 900;
export const DEFAULT_SESSION_NAME = 'rolemap-{user}';
export const DEFAULT_WEB_IDENTITY_AUDIENCE = 'sts.amazonaws.com';
export const DEFAULT_DEPLOY_BRANCH = 'main';

/** RoleSessionName / SourceIdentity: 2..64 characters of [\w+=,.@-]. */
export const SESSION_NAME_MIN_LENGTH = 2;
export const SESSION_NAME_MAX_LENGTH = 64;
export const SESSION_NAME_DISALLOWED_CHAR = /[^\w+=,.@-]/g;
export const MAX_SESSION_TAGS = 50;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** arn:PARTITION:iam::ACCOUNT:role/PATH/NAME */
export const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
/** A role name, optionally with an IAM path: "name" or "path/to/name". */
export const ROLE_NAME_PATTERN = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Template placeholders allowed in session_name, source_identity and tag values. */
export const TEMPLATE_PLACEHOLDERS = [
  'user',
  'mode',
  'account',
  'account_name',
  'role',
  'unit',
  'ci_run',
  'pr',
  'branch',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Path segment where Terragrunt (< v1.0.4) copied units; everything from here on is cut. */
export const TERRAGRUNT_CACHE_SEGMENT = '.terragrunt-cache';

export const MAPPING_FILE_NAME = 'rolemap.yaml';

/**
 * rolemap puts the access key id it issued under this name in `envs`. A later call (a dependency
 * fetch inherits the dependent unit's env) that sees AWS_ACCESS_KEY_ID equal to this value knows
 * those credentials are rolemap's own and must not be used as a base identity (that would chain).
 */
export const ISSUED_MARKER_ENV = 'ROLEMAP_ISSUED_ACCESS_KEY_ID';
/**
 * Emitted beside the marker: the non-secret descriptor of the base identity the credentials were
 * obtained with. Terragrunt replaces the user's AWS_* keys with rolemap's in a dependency fetch's
 * environment, so once those are stripped the fetch still knows whose cache entries it may use.
 */
export const ISSUED_BASE_IDENTITY_ENV = 'ROLEMAP_BASE_IDENTITY';
/**
 * `rolemap env` exports the names of the variables it changed under this name, so that
 * `rolemap env --unset` (and the next `rolemap env`) knows what to put back.
 */
export const ENV_COMMAND_NAMES_ENV = 'ROLEMAP_ENV_VARIABLES';
/**
 * credential-process serves a cached credential only with at least this much life left (or the
 * mapping's min_ttl, if more): botocore refreshes 15 minutes before expiry and refuses, 10
 * minutes before, credentials that a refresh did not renew.
 */
export const CREDENTIAL_PROCESS_MIN_TTL_SECONDS = 900;

/** How long an AccessDenied-style failure is remembered, so parallel callers are not all refused by STS. */
export const FAILURE_MEMORY_SECONDS = 60;

/** Overall deadline for obtaining one credential, retries included. */
export const CREDENTIALS_DEADLINE_MS = 60_000;
/** Longest a caller waits for another process's lock before trying to break it. */
export const LOCK_WAIT_MS = 90_000;
/** A lock older than this whose owner cannot be confirmed alive is broken. */
export const LOCK_STALE_MS = 75_000;

export const EXIT_OK = 0;
export const EXIT_CREDENTIALS = 1;
export const EXIT_USAGE = 2;

/** Retried STS and token-endpoint calls back off as random() * min(cap, base * 2^(n-1)) ("full jitter"). */
export const RETRY_BASE_DELAY_MS = 100;
export const RETRY_MAX_DELAY_MS = 3_000;
/** Attempts per credential, the first included; the overall deadline (CREDENTIALS_DEADLINE_MS) also applies. */
export const RETRY_MAX_ATTEMPTS = 8;
/** Per-request limits for STS, so a hung endpoint becomes a retryable timeout rather than a hang. */
export const STS_CONNECTION_TIMEOUT_MS = 3_000;
export const STS_REQUEST_TIMEOUT_MS = 10_000;
/** Limit for GitHub Actions' OIDC token request. */
export const WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** IAM Identity Center (SSO): the scope that makes sso-oidc issue a refresh token. */
export const SSO_ACCOUNT_ACCESS_SCOPE = 'sso:account:access';
/** The clientName rolemap registers with sso-oidc. */
export const SSO_CLIENT_NAME = 'rolemap';
/** An SSO access token with less than this left is refreshed before use (the AWS SDK's window). */
export const SSO_TOKEN_REFRESH_WINDOW_SECONDS = 300;
/** `rolemap login` registers a new sso-oidc client when the cached one has less than this left. */
export const SSO_REGISTRATION_RENEW_SECONDS = 86_400;
/** RFC 8628: the poll interval when the server names none, and the increase on slow_down. */
export const SSO_DEFAULT_POLL_INTERVAL_SECONDS = 5;
export const SSO_SLOW_DOWN_INCREMENT_SECONDS = 5;
/** Per-request limits for sso-oidc and the SSO portal. */
export const SSO_CONNECTION_TIMEOUT_MS = 3_000;
export const SSO_REQUEST_TIMEOUT_MS = 10_000;

/** A lock waiter first pauses about this long, then longer each time, up to LOCK_POLL_MAX_MS (both jittered). */
export const LOCK_POLL_MIN_MS = 10;
/**
 * Hundreds of waiters poll at once during a `run --all`; a short ceiling starves the one process
 * that is actually talking to STS of CPU (seen in the 400-call bench on 2 cores).
 */
export const LOCK_POLL_MAX_MS = 200;
