/**
 * How the value of each mapping setting is read and validated: the `read` of its declaration in
 * mappingSettings.ts. Each reports a problem at the value's file:line:column through the reader and
 * returns undefined.
 */
import { MAX_SESSION_TAGS } from '../constants';
import type { WebIdentityTokenSource } from './types';
import { ENV_NAME_PATTERN, EXTERNAL_ID_PATTERN, RESERVED_ENV_NAMES, TAG_KEY_PATTERN, TAG_VALUE_MAX_LENGTH } from './configPatterns';
import { findTemplateProblem } from './findTemplateProblem';
import { nearestWord } from './nearestWord';
import type { Field, YamlReader } from './YamlReader';
import { writeAs } from './writeAs';

export function readTemplate(reader: YamlReader, field: Field, example: string, sessionName: boolean): string | undefined {
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

export function readSourceIdentity(reader: YamlReader, field: Field): string | undefined {
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

export function readExternalId(reader: YamlReader, field: Field): string | undefined {
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

/** Session tags as written, with the offset of each key (to point at a key that clashes with `defaults`). */
export interface TagsLayer {
  templates: Record<string, string>;
  keyAt: Record<string, number>;
}

export function readTags(reader: YamlReader, field: Field): TagsLayer | undefined {
  const entries = reader.entries(field);
  if (entries === undefined) {
    return undefined;
  }
  if (entries.length > MAX_SESSION_TAGS) {
    reader.report(
      field.at,
      `\`${field.label}\` has ${entries.length} tags; STS accepts at most ${MAX_SESSION_TAGS}`,
      `remove tags until at most ${MAX_SESSION_TAGS} remain`,
    );
    return undefined;
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
  return { templates: tags, keyAt };
}

/**
 * Terragrunt wants every env value as a string. A plain scalar such as `3`, `1.10` or `true`
 * is kept exactly as written ("1.10", not "1.1"), so nobody has to remember to quote; lists,
 * mappings and empty values are refused.
 */
export function readEnvs(reader: YamlReader, field: Field): Record<string, string> | undefined {
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

/** The keys of `web_identity`. */
export const WEB_IDENTITY_KEYS = ['token', 'audience'] as const;

const TOKEN_KINDS = ['github', 'auto', 'env:NAME', 'file:PATH'];

/** `web_identity` as written: each key may be left to `defaults`. */
export interface WebIdentityLayer {
  token?: WebIdentityTokenSource;
  audience?: string;
}

export function readWebIdentity(reader: YamlReader, field: Field): WebIdentityLayer | undefined {
  const keys = reader.keys(field, WEB_IDENTITY_KEYS);
  if (keys === undefined) {
    return undefined;
  }
  const layer: WebIdentityLayer = {};
  const tokenField = keys.get('token');
  const token = tokenField === undefined ? undefined : readTokenSource(reader, tokenField);
  if (token !== undefined) layer.token = token;
  const audienceField = keys.get('audience');
  const audience = audienceField === undefined ? undefined : reader.string(audienceField, 'sts.amazonaws.com');
  if (audience !== undefined) layer.audience = audience;
  return layer;
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
