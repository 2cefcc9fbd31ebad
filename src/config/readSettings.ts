import { MAX_DURATION_SECONDS, MAX_SESSION_TAGS, MIN_DURATION_SECONDS } from '../constants';
import type { AuthKind, WebIdentityTokenSource } from './types';
import { CONFIG_KEYS } from './configKeys';
import {
  AUTH_KINDS,
  ENV_NAME_PATTERN,
  EXTERNAL_ID_PATTERN,
  RESERVED_ENV_NAMES,
  TAG_KEY_PATTERN,
  TAG_VALUE_MAX_LENGTH,
} from './configPatterns';
import { findTemplateProblem } from './findTemplateProblem';
import { nearestWord } from './nearestWord';
import { readRegion } from './readRegion';
import { writeAs, type Field, type YamlReader } from './YamlReader';

export type SettingKey = (typeof CONFIG_KEYS.mappingFile.settings)[number];

/** The settings one level (`defaults` or a mapping) sets, before merging. */
export interface SettingsLayer {
  region?: string;
  durationSeconds?: number;
  sessionNameTemplate?: string;
  auth?: AuthKind;
  minTtlSeconds?: number;
  externalId?: string;
  sourceIdentityTemplate?: string;
  tagTemplates?: Record<string, string>;
  /** Offset of each tag key, to point at a key that clashes with one from `defaults`. */
  tagKeyAt?: Record<string, number>;
  envs?: Record<string, string>;
  webIdentityToken?: WebIdentityTokenSource;
  webIdentityAudience?: string;
  /** Where each setting was written. */
  at: Partial<Record<SettingKey, number>>;
}

/**
 * Reads the settings keys (see CONFIG_KEYS.mappingFile.settings) out of an already key-checked
 * mapping: `defaults` or one entry of `mappings`.
 */
export function readSettings(reader: YamlReader, keys: ReadonlyMap<string, Field>): SettingsLayer {
  const layer: SettingsLayer = { at: {} };
  for (const key of CONFIG_KEYS.mappingFile.settings) {
    const field = keys.get(key);
    if (field !== undefined) {
      layer.at[key] = field.at;
      readSetting(reader, key, field, layer);
    }
  }
  return layer;
}

function readSetting(reader: YamlReader, key: SettingKey, field: Field, layer: SettingsLayer): void {
  switch (key) {
    case 'region':
      assign(layer, 'region', readRegion(reader, field));
      return;
    case 'duration':
      assign(layer, 'durationSeconds', reader.integer(field, MIN_DURATION_SECONDS, MAX_DURATION_SECONDS, 'seconds', '3600'));
      return;
    case 'min_ttl':
      assign(layer, 'minTtlSeconds', reader.integer(field, 0, MAX_DURATION_SECONDS - 1, 'seconds', '900'));
      return;
    case 'auth':
      assign(layer, 'auth', reader.choice(field, AUTH_KINDS));
      return;
    case 'session_name':
      assign(layer, 'sessionNameTemplate', readTemplate(reader, field, 'rolemap-{user}', true));
      return;
    case 'source_identity':
      assign(layer, 'sourceIdentityTemplate', readSourceIdentity(reader, field));
      return;
    case 'external_id':
      assign(layer, 'externalId', readExternalId(reader, field));
      return;
    case 'tags':
      readTags(reader, field, layer);
      return;
    case 'envs':
      assign(layer, 'envs', readEnvs(reader, field));
      return;
    case 'web_identity':
      readWebIdentity(reader, field, layer);
      return;
  }
}

function assign<K extends keyof SettingsLayer>(layer: SettingsLayer, key: K, value: SettingsLayer[K] | undefined): void {
  if (value !== undefined) {
    layer[key] = value;
  }
}

function readTemplate(reader: YamlReader, field: Field, example: string, sessionName: boolean): string | undefined {
  const template = reader.string(field, example);
  if (template === undefined) {
    return undefined;
  }
  const problem = findTemplateProblem(field.label, template, { sessionName });
  if (problem !== undefined) {
    reader.report(field.at, problem.message, problem.hint);
    return undefined;
  }
  return template;
}

function readSourceIdentity(reader: YamlReader, field: Field): string | undefined {
  const template = readTemplate(reader, field, '"{user}"', true);
  if (template !== undefined && template.toLowerCase().startsWith('aws:')) {
    reader.report(
      field.at,
      `\`${field.label}\` "${template}" starts with "aws:", a prefix AWS reserves`,
      `remove the prefix, e.g. ${writeAs(field, '"{user}"')}`,
    );
    return undefined;
  }
  return template;
}

function readExternalId(reader: YamlReader, field: Field): string | undefined {
  const externalId = reader.string(field, '"my-external-id"');
  if (externalId !== undefined && !EXTERNAL_ID_PATTERN.test(externalId)) {
    reader.report(
      field.at,
      `\`${field.label}\` is not a valid external id`,
      'an external id has 2 to 1224 letters, digits and +=,.@:/- characters, with no spaces',
    );
    return undefined;
  }
  return externalId;
}

function readTags(reader: YamlReader, field: Field, layer: SettingsLayer): void {
  const entries = reader.entries(field);
  if (entries === undefined) {
    return;
  }
  if (entries.length > MAX_SESSION_TAGS) {
    reader.report(
      field.at,
      `\`${field.label}\` has ${entries.length} tags; STS accepts at most ${MAX_SESSION_TAGS}`,
      `remove tags until at most ${MAX_SESSION_TAGS} remain`,
    );
    return;
  }
  const tags: Record<string, string> = {};
  const keyAt: Record<string, number> = {};
  const lowerSeen = new Map<string, string>();
  for (const entry of entries) {
    if (!TAG_KEY_PATTERN.test(entry.key) || entry.key.toLowerCase().startsWith('aws:')) {
      reader.report(
        entry.keyAt,
        `tag key "${entry.key}" in \`${field.label}\` is not a valid session tag key`,
        'a tag key has 1 to 128 letters, digits, spaces and _.:/=+-@ characters, and may not start with "aws:"',
      );
      continue;
    }
    const clash = lowerSeen.get(entry.key.toLowerCase());
    if (clash !== undefined) {
      reader.report(
        entry.keyAt,
        `tag key "${entry.key}" differs from "${clash}" only in case; STS treats them as the same key`,
        'keep one of them',
      );
      continue;
    }
    lowerSeen.set(entry.key.toLowerCase(), entry.key);
    const value = reader.scalarText(entry.field, '"{user}"');
    if (value === undefined) {
      continue;
    }
    const problem = findTemplateProblem(entry.field.label, value, { sessionName: false });
    if (problem !== undefined) {
      reader.report(entry.field.at, problem.message, problem.hint);
      continue;
    }
    if (value.length > TAG_VALUE_MAX_LENGTH) {
      reader.report(
        entry.field.at,
        `\`${entry.field.label}\` is longer than ${TAG_VALUE_MAX_LENGTH} characters`,
        `shorten it to at most ${TAG_VALUE_MAX_LENGTH} characters`,
      );
      continue;
    }
    tags[entry.key] = value;
    keyAt[entry.key] = entry.keyAt;
  }
  layer.tagTemplates = tags;
  layer.tagKeyAt = keyAt;
}

/**
 * Terragrunt wants every env value as a string. A plain scalar such as `3`, `1.10` or `true`
 * is kept exactly as written ("1.10", not "1.1"), so nobody has to remember to quote; lists,
 * mappings and empty values are refused.
 */
function readEnvs(reader: YamlReader, field: Field): Record<string, string> | undefined {
  const entries = reader.entries(field);
  if (entries === undefined) {
    return undefined;
  }
  const envs: Record<string, string> = {};
  for (const entry of entries) {
    if (!ENV_NAME_PATTERN.test(entry.key)) {
      reader.report(
        entry.keyAt,
        `"${entry.key}" in \`${field.label}\` is not a valid environment variable name`,
        'use letters, digits and "_", not starting with a digit, e.g. TF_VAR_environment',
      );
      continue;
    }
    if (RESERVED_ENV_NAMES.includes(entry.key)) {
      reader.report(
        entry.keyAt,
        `\`${field.label}\` may not set ${entry.key}: rolemap sets it from the credentials it obtains`,
        `remove ${entry.key} from \`${field.label}\``,
      );
      continue;
    }
    const value = reader.scalarText(entry.field, '"value"');
    if (value !== undefined) {
      envs[entry.key] = value;
    }
  }
  return envs;
}

const TOKEN_KINDS = ['github', 'auto', 'env:NAME', 'file:PATH'];

function readWebIdentity(reader: YamlReader, field: Field, layer: SettingsLayer): void {
  const keys = reader.keys(field, CONFIG_KEYS.mappingFile.webIdentity);
  if (keys === undefined) {
    return;
  }
  const tokenField = keys.get('token');
  if (tokenField !== undefined) {
    assign(layer, 'webIdentityToken', readTokenSource(reader, tokenField));
  }
  const audienceField = keys.get('audience');
  if (audienceField !== undefined) {
    assign(layer, 'webIdentityAudience', reader.string(audienceField, 'sts.amazonaws.com'));
  }
}

function readTokenSource(reader: YamlReader, field: Field): WebIdentityTokenSource | undefined {
  const text = reader.string(field, 'github');
  if (text === undefined) {
    return undefined;
  }
  if (text === 'github' || text === 'auto') {
    return { kind: text };
  }
  if (text.startsWith('env:') && ENV_NAME_PATTERN.test(text.slice(4))) {
    return { kind: 'env', name: text.slice(4) };
  }
  if (text.startsWith('file:') && text.length > 5) {
    return { kind: 'file', path: text.slice(5) };
  }
  const near = nearestWord(text, ['github', 'auto']);
  reader.report(
    field.at,
    `\`${field.label}\` "${text}" is not a token source`,
    near === undefined
      ? `write one of ${TOKEN_KINDS.join(', ')}, e.g. ${writeAs(field, 'env:GITLAB_OIDC_TOKEN')}`
      : `did you mean ${writeAs(field, near)}? Token sources are ${TOKEN_KINDS.join(', ')}`,
  );
  return undefined;
}
