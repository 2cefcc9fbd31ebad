import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { compileUserConfig } from '../../src/config/compileUserConfig';
import { CONFIG_KEYS } from '../../src/config/configKeys';
import { AUTH_KINDS, MODES } from '../../src/config/configPatterns';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function loadSchema(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', name), 'utf8')) as Json;
}

/** The value at a path of object keys and array indexes. */
function at(value: Json, ...steps: Array<string | number>): Json {
  let current: Json = value;
  for (const step of steps) {
    if (typeof step === 'number' && Array.isArray(current)) {
      current = current[step] ?? null;
    } else if (typeof step === 'string' && typeof current === 'object' && current !== null && !Array.isArray(current)) {
      current = current[step] ?? null;
    } else {
      return null;
    }
  }
  return current;
}

function keysAt(value: Json, ...steps: Array<string | number>): string[] {
  const found = at(value, ...steps);
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? Object.keys(found).sort() : [];
}

/** Every (location, property schema) under a `properties` keyword anywhere in the schema. */
function allProperties(value: Json, where = '#'): Array<[string, Json]> {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  return entries.flatMap(([key, inner]) => {
    const nested = allProperties(inner, `${where}/${key}`);
    if (key === 'properties' && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      return [...Object.entries(inner).map(([name, schema]) => [`${where}/properties/${name}`, schema] as [string, Json]), ...nested];
    }
    return nested;
  });
}

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

describe('schema/rolemap.schema.json', () => {
  const schema = loadSchema('rolemap.schema.json');
  const keys = CONFIG_KEYS.mappingFile;

  it.each([
    ['the top level', keys.top, ['properties']],
    ['defaults', keys.settings, ['properties', 'defaults', 'properties']],
    ['a mapping', keys.mapping, ['$defs', 'mapping', 'properties']],
    ['role {plan, apply}', keys.role, ['$defs', 'mapping', 'properties', 'role', 'oneOf', 1, 'properties']],
    ['web_identity', keys.webIdentity, ['$defs', 'web_identity', 'properties']],
    ['modes', keys.modes, ['properties', 'modes', 'properties']],
    ['sso', keys.sso, ['$defs', 'sso', 'properties']],
    ['overrides', keys.overrides, ['properties', 'overrides', 'properties']],
    ['an overrides.allow rule', keys.allowRule, ['properties', 'overrides', 'properties', 'allow', 'items', 'properties']],
  ])('lists exactly the keys the compiler accepts in %s', (_where, accepted, steps) => {
    expect(keysAt(schema, ...steps)).toEqual(sorted(accepted));
  });

  it('lists the same auth kinds, modes and unmatched values as the compiler', () => {
    expect([at(schema, '$defs', 'auth', 'enum'), at(schema, 'properties', 'modes', 'properties', 'local', 'enum'), at(schema, 'properties', 'unmatched', 'enum')]).toEqual([
      [...AUTH_KINDS],
      [...MODES],
      ['error', 'empty'],
    ]);
  });

  it('describes every key', () => {
    const defs = at(schema, '$defs');
    const undocumented = allProperties(schema)
      .filter(([, property]) => {
        const ref = at(property, '$ref');
        const target = typeof ref === 'string' ? at(defs, ref.replace('#/$defs/', '')) : null;
        return typeof at(property, 'description') !== 'string' && typeof at(target, 'description') !== 'string';
      })
      .map(([where]) => where);
    expect(undocumented).toEqual([]);
  });

  it('forbids keys it does not list, at every level', () => {
    const objects = [
      at(schema),
      at(schema, 'properties', 'defaults'),
      at(schema, '$defs', 'mapping'),
      at(schema, '$defs', 'mapping', 'properties', 'role', 'oneOf', 1),
      at(schema, '$defs', 'web_identity'),
      at(schema, 'properties', 'modes'),
      at(schema, '$defs', 'sso'),
      at(schema, 'properties', 'overrides'),
      at(schema, 'properties', 'overrides', 'properties', 'allow', 'items'),
    ];
    expect(objects.map((object) => at(object, 'additionalProperties'))).toEqual(objects.map(() => false));
  });

  it('has a compiler that accepts a file using every key it lists', () => {
    const yaml = [
      'version: 1',
      'accounts: {dev: "111111111111"}',
      'defaults:',
      '  region: us-east-1',
      '  duration: 3600',
      '  session_name: "rolemap-{user}"',
      '  auth: auto',
      '  min_ttl: 900',
      '  external_id: ext-1',
      '  source_identity: "{user}"',
      '  tags: {Team: platform}',
      '  envs: {TF_VAR_a: b}',
      '  web_identity: {token: github, audience: sts.amazonaws.com}',
      'modes: {local: plan, deploy_branch: main}',
      'sso: {start_url: "https://acme.awsapps.com/start", region: us-east-1}',
      'sso_sessions: {gov: {start_url: "https://gov.awsapps.com/start", region: us-gov-west-1}}',
      'overrides: {allow: [{paths: ["live/**"], accounts: [dev], roles: ["ReadOnly*"]}]}',
      'unmatched: error',
      'mappings:',
      '  - paths: ["live/**"]',
      '    account: dev',
      '    role: {plan: p, apply: a}',
      '    sso: gov',
      '    region: us-east-1',
      '    duration: 3600',
      '    session_name: "rolemap-{user}"',
      '    auth: assume',
      '    min_ttl: 900',
      '    external_id: ext-1',
      '    source_identity: "{user}"',
      '    tags: {Team: platform}',
      '    envs: {TF_VAR_a: b}',
      '    web_identity: {token: "env:TOKEN", audience: sts.amazonaws.com}',
      '',
    ].join('\n');
    expect(() => compileMappingFile(yaml, '/repo/rolemap.yaml')).not.toThrow();
    const used = parse(yaml) as Record<string, Record<string, unknown>>;
    const mapping = (used['mappings'] as unknown as Array<Record<string, unknown>>)[0] ?? {};
    expect([
      sorted(Object.keys(used)),
      sorted(Object.keys(used['defaults'] ?? {})),
      sorted(Object.keys(mapping)),
    ]).toEqual([sorted(keys.top), sorted(keys.settings), sorted(keys.mapping)]);
  });
});

describe('schema/rolemap-user-config.schema.json', () => {
  const schema = loadSchema('rolemap-user-config.schema.json');
  const keys = CONFIG_KEYS.userConfig;

  it.each([
    ['the top level', keys.top, ['properties']],
    ['sso', keys.sso, ['properties', 'sso', 'properties']],
    ['an override', keys.override, ['properties', 'overrides', 'items', 'properties']],
  ])('lists exactly the keys the compiler accepts in %s', (_where, accepted, steps) => {
    expect(keysAt(schema, ...steps)).toEqual(sorted(accepted));
  });

  it('lists the same auth kinds and modes as the compiler', () => {
    expect([at(schema, 'properties', 'overrides', 'items', 'properties', 'auth', 'enum'), at(schema, 'properties', 'mode', 'enum')]).toEqual([
      [...AUTH_KINDS],
      [...MODES],
    ]);
  });

  it('describes every key', () => {
    const undocumented = allProperties(schema)
      .filter(([, property]) => typeof at(property, 'description') !== 'string')
      .map(([where]) => where);
    expect(undocumented).toEqual([]);
  });

  it('has a compiler that accepts a file using every key it lists', () => {
    const yaml =
      'version: 1\nmode: plan\nsso: {start_url: "https://a.awsapps.com/start", region: us-east-1}\nsource_profile: base\n' +
      'base_profiles: {aws-cn: cn-base, "111111111111": one}\n' +
      'overrides:\n  - {paths: ["live/**"], accounts: [dev], role: Admin, auth: sso}\n';
    expect(() => compileUserConfig(yaml, '/home/me/config.yaml')).not.toThrow();
  });
});
