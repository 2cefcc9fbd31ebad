/**
 * Validation patterns and limits for the mapping file and the developer's config. They live here,
 * not in src/constants.ts, because only the config compiler uses them.
 */

/**
 * Region names of the partitions rolemap supports: `us-east-1`, `eu-central-2`, `cn-north-1`,
 * `us-gov-west-1`. ISO partitions (`us-iso-east-1`) are not supported and fail this on purpose.
 */
export const REGION_PATTERN =
  /^[a-z]{2}(?:-gov)?-(?:central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** A name under `accounts:`. Never all digits, so a name can never be mistaken for an id. */
export const ACCOUNT_NAME_PATTERN = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** An environment variable name in `envs` or `web_identity.token: env:NAME`. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** sts:AssumeRole ExternalId: 2..1224 characters of [\w+=,.@:/-]. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

/** An STS session tag key: 1..128 letters, digits, spaces and `_.:/=+-@`. */
export const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
export const TAG_VALUE_MAX_LENGTH = 256;

/** A role-name glob in `overrides.allow[].roles`: role-name characters plus glob syntax. */
export const ROLE_PATTERN_PATTERN = /^[\w+=,.@\-/*?[\]!^{}]+$/;

/** An AWS profile name for `source_profile`. */
export const PROFILE_NAME_PATTERN = /^[\w.+@:/-]+$/;

/** Environment variables rolemap sets itself; a mapping may not set them in `envs`. */
export const RESERVED_ENV_NAMES: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'ROLEMAP_ISSUED_ACCESS_KEY_ID',
];

/**
 * Brace expansion (`{a,b}`, `{1..20}`) is capped so that a typo such as `{1..100000}` cannot
 * turn one glob into a regular expression too large to run on every call.
 */
export const MAX_GLOB_ALTERNATIVES = 256;

/**
 * Each `*` inside one path segment multiplies the regular expression's worst-case backtracking
 * by the segment length; four keeps the worst case well under a millisecond for real paths.
 */
export const MAX_STARS_PER_SEGMENT = 4;

/** Values of `auth`, in the order the docs list them. */
export const AUTH_KINDS = ['auto', 'assume', 'web-identity', 'sso', 'delegate'] as const;

/** The partitions rolemap supports, as `base_profiles` keys name them. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

/** Values of `modes.local` and the user config's `mode`. */
export const MODES = ['plan', 'apply'] as const;
