/**
 * Every mapping setting, declared once: the keys `defaults:` and each entry of `mappings:` may set
 * (README, "The mapping file"). Like @eslint/config-array's schema, where each key has its
 * `{merge, validate}`, each setting here says how it is read and validated, how a mapping's value
 * and `defaults`' combine, its built-in default, its label in `explain`, and its JSON Schema.
 *
 * Everything else is derived: the list of keys (CONFIG_KEYS), the settings a level sets
 * (SettingsLayer) and a mapping's merged settings (MappingSettings, the compiled form the resolver
 * reads), readSettings, mergeSettings, the settings' part of the JSON Schemas in schema/
 * (settingsSchema, `npm run schema`), and explain's labels. test/config/mappingSettings.test.ts
 * walks the declarations.
 */
import {
  DEFAULT_DURATION_SECONDS,
  DEFAULT_MIN_TTL_SECONDS,
  DEFAULT_SESSION_NAME,
  DEFAULT_WEB_IDENTITY_AUDIENCE,
  MAX_DURATION_SECONDS,
  MAX_SESSION_TAGS,
  MIN_DURATION_SECONDS,
  TEMPLATE_PLACEHOLDERS,
} from '../constants';
import {
  AUTH_KINDS,
  ENV_NAME_PATTERN,
  EXTERNAL_ID_PATTERN,
  REGION_PATTERN,
  RESERVED_ENV_NAMES,
  TAG_VALUE_MAX_LENGTH,
} from './configPatterns';
import { readRegion } from './readRegion';
import {
  readEnvs,
  readExternalId,
  readSourceIdentity,
  readTags,
  readTemplate,
  readWebIdentity,
  type TagsLayer,
  type WebIdentityLayer,
} from './readSettingValues';
import type { AuthKind, WebIdentitySettings } from './types';
import type { Field, YamlReader } from './YamlReader';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonSchema = { readonly [keyword: string]: JsonValue };

/** What merging one setting may need besides the two values: where to report a problem. */
export interface MergeContext {
  reader: YamlReader;
  /** The entry of `mappings:` being compiled. */
  mapping: Field;
  /** Where `defaults` wrote the setting, when it did. */
  defaultsAt: number | undefined;
  /** Where the mapping itself wrote it, when it did. */
  ownAt: number | undefined;
}

/**
 * One setting. `Value` is what one level (`defaults` or a mapping) writes, `Merged` what a
 * compiled mapping carries.
 */
export interface SettingDeclaration<Key extends string, Value, Merged> {
  /** The key as written in the YAML. */
  key: Key;
  /**
   * Reads and validates the value written under the key. A problem is reported through the
   * reader, at the value's file:line:column with a hint, and the result is undefined.
   */
  read(reader: YamlReader, field: Field): Value | undefined;
  /** The value when neither the mapping nor `defaults` sets it. */
  default: Merged;
  /** Combines `defaults`' value and the mapping's own (either may be absent); the mapping's wins. */
  merge(fromDefaults: Value | undefined, own: Value | undefined, builtIn: Merged, context: MergeContext): Merged;
  /** How `explain` labels it. */
  label: string;
  /**
   * Its JSON Schema, the `$defs` entry named by the key in schema/rolemap.schema.json. A string or
   * number default is added as `default`.
   */
  schema: JsonSchema;
  /**
   * Set when a developer's `overrides` entry (in the user config) may set it too; an override that
   * applies beats the mapping. It is read by `read`, and described in the user config's schema.
   */
  userOverride?: { description: string };
}

function setting<Key extends string, Value, Merged>(declaration: SettingDeclaration<Key, Value, Merged>): SettingDeclaration<Key, Value, Merged> {
  return declaration;
}

/** The mapping's value, else `defaults`', else the built-in default. */
function ownWins<Value, Merged>(fromDefaults: Value | undefined, own: Value | undefined, builtIn: Merged): Value | Merged {
  return own ?? fromDefaults ?? builtIn;
}

/** Key by key: the built-in entries, then `defaults`', then the mapping's, each winning over the one before. */
function keyByKey(
  fromDefaults: Readonly<Record<string, string>> | undefined,
  own: Readonly<Record<string, string>> | undefined,
  builtIn: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return { ...builtIn, ...fromDefaults, ...own };
}

/**
 * Tags merge key by key, but STS compares tag keys without case: a mapping's key that differs
 * from an inherited one only in case is refused, and the merged tags are still at most
 * MAX_SESSION_TAGS.
 */
function mergeTags(
  fromDefaults: TagsLayer | undefined,
  own: TagsLayer | undefined,
  builtIn: Readonly<Record<string, string>>,
  { reader, mapping, defaultsAt, ownAt }: MergeContext,
): Readonly<Record<string, string>> {
  const merged: Record<string, string> = { ...builtIn, ...fromDefaults?.templates };
  const byLowerCase = new Map(Object.keys(merged).map((key) => [key.toLowerCase(), key]));
  for (const [key, value] of Object.entries(own?.templates ?? {})) {
    const inherited = byLowerCase.get(key.toLowerCase());
    if (inherited !== undefined && inherited !== key) {
      reader.report(
        own?.keyAt[key] ?? mapping.at,
        `tag key "${key}" differs from "${inherited}" in \`defaults.tags\` only in case; STS treats them as the same key`,
        `spell it "${inherited}" to override the default tag`,
      );
      continue;
    }
    merged[key] = value;
  }
  const count = Object.keys(merged).length;
  if (count > MAX_SESSION_TAGS) {
    reader.report(
      ownAt ?? defaultsAt ?? mapping.at,
      `\`${mapping.label}\` ends up with ${count} tags (its own and those from \`defaults\`); STS accepts at most ${MAX_SESSION_TAGS}`,
      `remove tags until at most ${MAX_SESSION_TAGS} remain`,
    );
  }
  return merged;
}

/** `web_identity` merges key by key: `token` and `audience` each come from the nearest level that sets it. */
function mergeWebIdentity(
  fromDefaults: WebIdentityLayer | undefined,
  own: WebIdentityLayer | undefined,
  builtIn: WebIdentitySettings,
): WebIdentitySettings {
  return {
    token: own?.token ?? fromDefaults?.token ?? builtIn.token,
    audience: own?.audience ?? fromDefaults?.audience ?? builtIn.audience,
  };
}

/** The placeholders as the schema's descriptions list them: `{user} {mode} …`. */
const PLACEHOLDERS_TEXT = TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(' ');
/** A tag or env value: YAML may write it as a number or boolean; it is kept as written. */
const SCALAR_VALUE: JsonSchema = { type: ['string', 'number', 'boolean'] };

/**
 * The settings, in the order the compiler reads them, each under the name of its field in
 * MappingSettings. Code reads them through SETTINGS.
 */
const MAPPING_SETTINGS = {
  region: setting<'region', string, string | undefined>({
    key: 'region',
    read: readRegion,
    default: undefined,
    merge: ownWins,
    label: 'region',
    schema: {
      description:
        'AWS region for STS (and the partition: cn-* is aws-cn, us-gov-* is aws-us-gov). Also emitted as AWS_REGION and AWS_DEFAULT_REGION. Default: none (the SDK\'s default).',
      type: 'string',
      pattern: REGION_PATTERN.source,
      examples: ['us-east-1', 'eu-central-1', 'cn-north-1', 'us-gov-west-1'],
    },
  }),
  durationSeconds: setting<'duration', number, number>({
    key: 'duration',
    read: (reader, field) => reader.integer(field, MIN_DURATION_SECONDS, MAX_DURATION_SECONDS, 'seconds', '3600'),
    default: DEFAULT_DURATION_SECONDS,
    merge: ownWins,
    label: 'duration',
    schema: {
      description: `Session length in seconds, ${MIN_DURATION_SECONDS}..${MAX_DURATION_SECONDS}. At most 3600 when roles are chained. Default: ${DEFAULT_DURATION_SECONDS}.`,
      type: 'integer',
      minimum: MIN_DURATION_SECONDS,
      maximum: MAX_DURATION_SECONDS,
    },
  }),
  sessionNameTemplate: setting<'session_name', string, string>({
    key: 'session_name',
    read: (reader, field) => readTemplate(reader, field, 'rolemap-{user}', true),
    default: DEFAULT_SESSION_NAME,
    merge: ownWins,
    label: 'session name',
    schema: {
      description: `RoleSessionName template. Placeholders: ${PLACEHOLDERS_TEXT}. After filling, characters outside [\\w+=,.@-] become - and the result is cut to 64 characters. Default: ${DEFAULT_SESSION_NAME}.`,
      type: 'string',
      minLength: 1,
    },
  }),
  auth: setting<'auth', AuthKind, AuthKind>({
    key: 'auth',
    read: (reader, field) => reader.choice(field, AUTH_KINDS),
    default: 'auto',
    merge: ownWins,
    label: 'auth',
    schema: {
      description:
        'How credentials are obtained: auto (web-identity in CI with an OIDC token, else sso when configured and no base credentials, else assume), assume (sts:AssumeRole from the default credential chain), web-identity (sts:AssumeRoleWithWebIdentity), sso (IAM Identity Center; the role name is the permission set), delegate (print awsRole and let Terragrunt assume it). Default: auto.',
      enum: AUTH_KINDS,
    },
    userOverride: { description: `How to obtain credentials instead: ${AUTH_KINDS.slice(0, -1).join(', ')} or ${AUTH_KINDS[AUTH_KINDS.length - 1] ?? ''}.` },
  }),
  minTtlSeconds: setting<'min_ttl', number, number>({
    key: 'min_ttl',
    read: (reader, field) => reader.integer(field, 0, MAX_DURATION_SECONDS - 1, 'seconds', '900'),
    default: DEFAULT_MIN_TTL_SECONDS,
    merge: ownWins,
    label: 'min ttl',
    schema: {
      description: `Seconds of life a cached credential must still have to be reused; must be less than duration. Default: ${DEFAULT_MIN_TTL_SECONDS}.`,
      type: 'integer',
      minimum: 0,
      maximum: MAX_DURATION_SECONDS - 1,
    },
  }),
  externalId: setting<'external_id', string, string | undefined>({
    key: 'external_id',
    read: readExternalId,
    default: undefined,
    merge: ownWins,
    label: 'external id',
    schema: {
      description: 'ExternalId sent to sts:AssumeRole: 2 to 1224 characters of [\\w+=,.@:/-].',
      type: 'string',
      pattern: EXTERNAL_ID_PATTERN.source,
    },
  }),
  sourceIdentityTemplate: setting<'source_identity', string, string | undefined>({
    key: 'source_identity',
    read: readSourceIdentity,
    default: undefined,
    merge: ownWins,
    label: 'source identity',
    schema: {
      description: 'SourceIdentity template (same placeholders as session_name). May not start with aws:.',
      type: 'string',
      minLength: 1,
      not: { pattern: '^[aA][wW][sS]:' },
    },
  }),
  tagTemplates: setting<'tags', TagsLayer, Readonly<Record<string, string>>>({
    key: 'tags',
    read: readTags,
    default: {},
    merge: mergeTags,
    label: 'session tags',
    schema: {
      description: `Session tags: key -> value template (same placeholders as session_name). At most ${MAX_SESSION_TAGS} in total after merging with defaults. Keys are case-insensitively unique.`,
      type: 'object',
      maxProperties: MAX_SESSION_TAGS,
      propertyNames: { type: 'string', minLength: 1, maxLength: 128, not: { pattern: '^[aA][wW][sS]:' } },
      additionalProperties: { ...SCALAR_VALUE, description: `A value template, at most ${TAG_VALUE_MAX_LENGTH} characters.` },
    },
  }),
  envs: setting<'envs', Readonly<Record<string, string>>, Readonly<Record<string, string>>>({
    key: 'envs',
    read: readEnvs,
    default: {},
    merge: keyByKey,
    label: 'envs',
    schema: {
      description:
        'Extra environment variables for Terraform: NAME -> value. Numbers and booleans are kept exactly as written (1.10 stays "1.10"). rolemap\'s own credential variables (AWS_ACCESS_KEY_ID, ...) may not be set here.',
      type: 'object',
      propertyNames: { type: 'string', pattern: ENV_NAME_PATTERN.source, not: { enum: RESERVED_ENV_NAMES } },
      additionalProperties: SCALAR_VALUE,
    },
  }),
  webIdentity: setting<'web_identity', WebIdentityLayer, WebIdentitySettings>({
    key: 'web_identity',
    read: readWebIdentity,
    default: { token: { kind: 'auto' }, audience: DEFAULT_WEB_IDENTITY_AUDIENCE },
    merge: mergeWebIdentity,
    label: 'web identity',
    schema: {
      description: 'Where auth: web-identity gets its OIDC token.',
      type: 'object',
      additionalProperties: false,
      properties: {
        token: {
          description:
            'github (GitHub Actions\' ID token endpoint), env:NAME (an environment variable, e.g. from GitLab id_tokens), file:PATH (a file, e.g. AWS_WEB_IDENTITY_TOKEN_FILE), or auto (the first of those present). Default: auto.',
          type: 'string',
          pattern: `^(github|auto|env:${ENV_NAME_PATTERN.source.slice(1, -1)}|file:.+)$`,
          default: 'auto',
        },
        audience: {
          description: `Audience (aud) asked of GitHub's token endpoint. Default: ${DEFAULT_WEB_IDENTITY_AUDIENCE}.`,
          type: 'string',
          minLength: 1,
          default: DEFAULT_WEB_IDENTITY_AUDIENCE,
        },
      },
    },
  }),
};

type Declarations = typeof MAPPING_SETTINGS;
/** A setting's name in the compiled form: `durationSeconds`. */
export type SettingName = keyof Declarations;
/** Each setting's key, its value as one level writes it, and its merged value, by name. */
type KeyOf = { [N in SettingName]: Declarations[N] extends SettingDeclaration<infer Key, unknown, unknown> ? Key : never };
type ValueOf = { [N in SettingName]: Declarations[N] extends SettingDeclaration<string, infer Value, unknown> ? Value : never };
type MergedOf = { [N in SettingName]: Declarations[N] extends SettingDeclaration<string, unknown, infer Merged> ? Merged : never };

/** A setting's key as written: `duration`. */
export type SettingKey = KeyOf[SettingName];

/**
 * The declarations by name, typed so that the value read, the merged value and the default of
 * one setting belong together when code walks them by name.
 */
export const SETTINGS: { readonly [N in SettingName]: SettingDeclaration<KeyOf[N], ValueOf[N], MergedOf[N]> } = MAPPING_SETTINGS;

/** Every setting's name, in declaration order. */
// Object.keys types its result as string[]; these are exactly the declared names.
export const SETTING_NAMES = Object.keys(MAPPING_SETTINGS) as SettingName[];

/** Every setting's key, in declaration order. */
export const SETTING_KEYS: readonly SettingKey[] = SETTING_NAMES.map((name) => SETTINGS[name].key);

/** The keys of the settings a developer's `overrides` entry may set too. */
export const USER_OVERRIDE_KEYS: readonly SettingKey[] = SETTING_NAMES.flatMap((name) =>
  SETTINGS[name].userOverride === undefined ? [] : [SETTINGS[name].key],
);

/** The settings one level (`defaults` or a mapping) sets, before merging. */
export interface SettingsLayer {
  /** The values read; a setting not written, or written with a problem, is absent. */
  values: { [N in SettingName]?: ValueOf[N] };
  /** Where each setting was written. */
  at: Partial<Record<SettingKey, number>>;
}

/**
 * The settings a mapping carries after `defaults` are merged in. Templates are still unfilled;
 * the resolver fills them per unit.
 */
export type MappingSettings = { [N in SettingName]: MergedOf[N] };
