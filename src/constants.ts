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

/**
 * An MFA session from `rolemap login --mfa` is used as the base only with more than this left:
 * enough to sign the AssumeRole calls of one credential (their results live on by themselves).
 */
export const MFA_SESSION_MARGIN_SECONDS = 60;

/** How long an AccessDenied-style failure is remembered, so parallel callers are not all refused by STS. */
export const FAILURE_MEMORY_SECONDS = 60;

/**
 * Overall deadline for obtaining one credential: everything done under a credential lock (the
 * base credential chain, an SSO token refresh, STS with its retries) is raced against it
 * (singleFlight), so no holder keeps a lock longer. test/constants.test.ts keeps it below
 * LOCK_STALE_MS, with LOCK_RELEASE_MARGIN_MS to spare for writing the entry and releasing.
 */
export const CREDENTIALS_DEADLINE_MS = 60_000;
/** Time a holder needs after its deadline to store the result and remove its lock (generous, for a loaded machine). */
export const LOCK_RELEASE_MARGIN_MS = 10_000;
/**
 * A lock that a waiter has itself watched unchanged for this long, or that is this old by its
 * file, is broken even if its owner seems alive: its pid may have been reused, and no rolemap
 * holds a lock past CREDENTIALS_DEADLINE_MS.
 */
export const LOCK_STALE_MS = 75_000;
/**
 * How long a dependency fetch that cannot ask AWS itself (Terragrunt replaced its base keys with
 * rolemap's) waits for another rolemap to start obtaining its credential, when none is: in a
 * `run --all` the unit's own calls for that role run beside the fetch, on a busy machine a few
 * seconds apart. While one is obtaining it, the fetch waits for it as any waiter on the lock.
 */
export const INHERITED_BASE_WAIT_MS = 15_000;
/**
 * Longest a caller waits for one holder of a lock; the wait starts again when the lock changes
 * hands. Longer than LOCK_STALE_MS, so a waiter breaks a stuck lock before it gives up.
 */
export const LOCK_WAIT_MS = 90_000;
/**
 * Longest wait for the SSO token file's lock, taken while a credential lock is held: bounded so
 * the refresh and the call after it still fit in CREDENTIALS_DEADLINE_MS.
 */
export const SSO_TOKEN_LOCK_WAIT_MS = 30_000;
/**
 * A lock file without a readable owner (empty or partial, left by an older rolemap killed
 * between creating and writing it; or anything else found at a lock's path) is broken once it
 * is this old: current rolemap makes a lock's content visible with the lock itself (link(2)).
 */
export const ODD_LOCK_GRACE_MS = 2_000;
/** A waiter says on stderr who holds the lock once it has waited this long. */
export const LOCK_WAIT_NOTICE_MS = 5_000;

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
/** Redirects the GitHub Actions token request follows (fetch follows 20, @actions/core 50; GitHub's endpoint answers directly). */
export const MAX_TOKEN_REQUEST_REDIRECTS = 5;

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
/**
 * A refresh_token grant spends the refresh token it presents (rotation), so once it may have
 * reached the service it is not sent again (it is retried only when it certainly was not
 * processed: refreshSsoToken), and its answer is waited for with botocore's patience (its 60 s
 * read timeout): giving up early leaves only a spent token behind.
 */
export const SSO_REFRESH_REQUEST_TIMEOUT_MS = 60_000;
/**
 * After a refresh token is refused as spent, how long rolemap waits for the tool that spent it
 * (the AWS CLI, an SDK, another rolemap) to save the rotated token, counted from the refusal and
 * shared by every waiter.
 */
export const SSO_REFRESH_SETTLE_MS = 10_000;
/**
 * Everything one process does under the SSO token lock (the grant and the settle wait) ends
 * within this. A credential lock is held meanwhile, so it stays below CREDENTIALS_DEADLINE_MS,
 * which bounds the whole obtain (and itself stays below LOCK_STALE_MS).
 */
export const SSO_REFRESH_BUDGET_MS = 55_000;
/**
 * An SSO profile used as the base of `auth: assume` is refreshed by rolemap when its token has
 * less than this left: botocore's window, wider than the JS SDK's 300 s, so the SDK's own
 * token provider (which no lock guards) always finds a fresh token and never refreshes.
 */
export const SSO_PROFILE_REFRESH_WINDOW_SECONDS = 900;

/** A lock waiter first pauses about this long, then longer each time, up to LOCK_POLL_MAX_MS (both jittered). */
export const LOCK_POLL_MIN_MS = 10;
/**
 * Hundreds of waiters poll at once during a `run --all`; a short ceiling starves the one process
 * that is actually talking to STS of CPU (seen in the 400-call bench on 2 cores).
 */
export const LOCK_POLL_MAX_MS = 200;

/**
 * Size limits on what rolemap reads. A mapping file of thousands of units is tens of KiB; the
 * limits only stop files and answers that would stall a run or exhaust memory.
 */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** An OIDC token or an SSO token file is a few KiB. */
export const MAX_TOKEN_FILE_BYTES = 256 * 1024;
/** ~/.aws/config and ~/.aws/credentials. */
export const MAX_AWS_SHARED_FILE_BYTES = 1024 * 1024;
/** The PEM file AWS_CA_BUNDLE names: a system bundle of ~150 roots is about 220 KiB. */
export const MAX_CA_BUNDLE_BYTES = 4 * 1024 * 1024;
/** A body from STS, SSO, sso-oidc or GitHub's token endpoint is a few KiB. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Values nested deeper than this in a YAML file are refused (rolemap's own schema is 5 deep). */
export const MAX_YAML_DEPTH = 64;
/** How many values YAML aliases may add to a file, all of them counted once per use. */
export const MAX_YAML_ALIAS_EXPANSION = 20_000;
/** A path glob longer than this is refused (the glob library throws past 64 KiB). */
export const MAX_GLOB_LENGTH = 4096;
