import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredSchemaText, SCHEMA_FILES } from '../../scripts/schema';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { isCompiledConfig } from '../../src/config/compiledShape';
import { compileUserConfig } from '../../src/config/compileUserConfig';
import { CONFIG_KEYS } from '../../src/config/configKeys';
import { SETTING_NAMES, SETTINGS, type MappingSettings, type SettingName } from '../../src/config/mappingSettings';
import { ConfigError } from '../../src/errors';
import { resolveRequest } from '../../src/resolve/resolveRequest';

const FILE = '/repo/rolemap.yaml';
const ROOT = path.join(__dirname, '..', '..');

/**
 * For each setting: a value for `defaults`, another for a mapping, what each compiles to, and a
 * value the compiler refuses with the error's first words. Typed by setting name, so a setting
 * declared without a sample here does not compile.
 */
const SAMPLES: {
  [N in SettingName]: { defaults: string; own: string; fromDefaults: MappingSettings[N]; fromOwn: MappingSettings[N]; invalid: string; error: string };
} = {
  region: { defaults: 'eu-west-1', own: 'us-east-2', fromDefaults: 'eu-west-1', fromOwn: 'us-east-2', invalid: 'us-esat-1', error: 'is not an AWS region name' },
  durationSeconds: { defaults: '7200', own: '1800', fromDefaults: 7200, fromOwn: 1800, invalid: '60', error: 'duration' },
  sessionNameTemplate: { defaults: '"d-{user}"', own: '"o-{user}"', fromDefaults: 'd-{user}', fromOwn: 'o-{user}', invalid: '"x-{usr}"', error: '{usr}' },
  auth: { defaults: 'assume', own: 'sso', fromDefaults: 'assume', fromOwn: 'sso', invalid: 'asume', error: 'auth' },
  minTtlSeconds: { defaults: '600', own: '300', fromDefaults: 600, fromOwn: 300, invalid: '-1', error: 'min_ttl' },
  externalId: { defaults: 'ext-d', own: 'ext-o', fromDefaults: 'ext-d', fromOwn: 'ext-o', invalid: '"has space"', error: 'is not a valid external id' },
  sourceIdentityTemplate: { defaults: '"d-{user}"', own: '"o-{user}"', fromDefaults: 'd-{user}', fromOwn: 'o-{user}', invalid: '"aws:x"', error: 'starts with "aws:"' },
  // Tags and envs merge key by key, the mapping's value winning.
  tagTemplates: { defaults: '{Team: d, Env: d}', own: '{Team: o}', fromDefaults: { Team: 'd', Env: 'd' }, fromOwn: { Team: 'o', Env: 'd' }, invalid: '{"aws:x": y}', error: 'is not a valid session tag key' },
  envs: { defaults: '{A: d, B: d}', own: '{A: o}', fromDefaults: { A: 'd', B: 'd' }, fromOwn: { A: 'o', B: 'd' }, invalid: '{AWS_SESSION_TOKEN: x}', error: 'may not set AWS_SESSION_TOKEN' },
  webIdentity: {
    defaults: '{token: github, audience: d}',
    own: '{token: "env:T"}',
    fromDefaults: { token: { kind: 'github' }, audience: 'd' },
    fromOwn: { token: { kind: 'env', name: 'T' }, audience: 'd' },
    invalid: '{token: gitlab}',
    error: 'is not a token source',
  },
};

/** A mapping file whose `defaults` set `key`, with a mapping that sets it too and one that does not. */
function fileSetting(key: string, defaultsValue: string | undefined, ownValue: string | undefined): string {
  return [
    'version: 1',
    ...(defaultsValue === undefined ? [] : ['defaults:', `  ${key}: ${defaultsValue}`]),
    'overrides: {allow: [{paths: ["**"]}]}',
    'mappings:',
    '  - paths: ["own/**"]',
    '    account: "111111111111"',
    '    role: tg',
    ...(ownValue === undefined ? [] : [`    ${key}: ${ownValue}`]),
    '  - paths: ["inherits/**"]',
    '    account: "111111111111"',
    '    role: tg',
    '',
  ].join('\n');
}

function compileError(yaml: string): ConfigError {
  try {
    compileMappingFile(yaml, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const loadSchema = (file: string): Record<string, Record<string, Record<string, unknown>>> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

describe('the schema files in schema/', () => {
  it.each(SCHEMA_FILES.map(({ file }) => file))('%s is what the declared settings generate (npm run schema)', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(declaredSchemaText(file, text)).toBe(text);
  });
});

describe.each(SETTING_NAMES)('the declared setting %s', (name: SettingName) => {
  const declaration = SETTINGS[name];
  const { key } = declaration;
  const sample = SAMPLES[name];

  it('is read from `defaults` and from a mapping, the mapping winning, else the built-in default', () => {
    const [own, inherits] = compileMappingFile(fileSetting(key, sample.defaults, sample.own), FILE).mappings;
    const [bare] = compileMappingFile(fileSetting(key, undefined, undefined), FILE).mappings;
    expect([own?.settings[name], inherits?.settings[name], bare?.settings[name]]).toEqual([sample.fromOwn, sample.fromDefaults, declaration.default]);
  });

  it('is validated where it is written, with file:line:column', () => {
    const inDefaults = compileError(fileSetting(key, sample.invalid, undefined));
    const onMapping = compileError(fileSetting(key, undefined, sample.invalid));
    const where = (error: ConfigError): string => `${error.position?.file ?? ''}:${error.position?.line ?? ''}`;
    expect([where(inDefaults), where(onMapping), `${inDefaults.message} ${inDefaults.hint ?? ''}`, `${onMapping.message} ${onMapping.hint ?? ''}`]).toEqual([
      `${FILE}:3`,
      `${FILE}:7`,
      expect.stringContaining(sample.error),
      expect.stringContaining(sample.error),
    ]);
  });

  it('is accepted in `defaults` and on a mapping, and is a key the compiler lists', () => {
    expect([CONFIG_KEYS.mappingFile.settings.includes(key), CONFIG_KEYS.mappingFile.mapping.includes(key)]).toEqual([true, true]);
  });

  it('has an explain label of its own', () => {
    const others = SETTING_NAMES.filter((other) => other !== name).map((other) => SETTINGS[other].label);
    expect(declaration.label).toMatch(/^[a-z][a-z ]*$/);
    expect(others).not.toContain(declaration.label);
  });

  it('has its schema in schema/rolemap.schema.json, under `defaults` and a mapping', () => {
    const schema = loadSchema('schema/rolemap.schema.json');
    const builtIn = declaration.default;
    const expected = typeof builtIn === 'string' || typeof builtIn === 'number' ? { ...declaration.schema, default: builtIn } : declaration.schema;
    expect([schema['$defs']?.[key], schema['properties']?.['defaults']?.['properties'], schema['$defs']?.['mapping']?.['properties']]).toEqual([
      JSON.parse(JSON.stringify(expected)),
      expect.objectContaining({ [key]: { $ref: `#/$defs/${key}` } }),
      expect.objectContaining({ [key]: { $ref: `#/$defs/${key}` } }),
    ]);
  });

  it('reaches the resolved request with its merged value, with no change to the resolver', () => {
    // A developer's override makes the request a delegate one, which carries the per-kind
    // web_identity too (and needs no portal, whatever `auth` the sample configures).
    const userConfig = compileUserConfig('version: 1\noverrides:\n  - {paths: ["**"], auth: delegate}\n', '/home/me/config.yaml');
    const config = compileMappingFile(fileSetting(key, sample.defaults, sample.own), FILE);
    const reached = (unitPath: string): unknown => {
      const result = resolveRequest({ config, userConfig, unitPath, env: {}, ci: undefined, modeFlag: undefined, modeFromEnv: undefined, osUser: 'me' });
      if (result.status !== 'matched') return result.status;
      const { settings, ...fields } = result.request;
      // In request.settings, else (a setting only one auth kind uses) in that kind's own field.
      return name in settings ? settings[name as keyof typeof settings] : (fields as Record<string, unknown>)[name];
    };
    expect([reached('own/app'), reached('inherits/app')]).toEqual([sample.fromOwn, sample.fromDefaults]);
  });

  it('is checked in a compiled form read back from the cache', () => {
    const compiled = JSON.parse(JSON.stringify(compileMappingFile(fileSetting(key, sample.defaults, sample.own), FILE))) as {
      mappings: Array<{ settings: Record<string, unknown> }>;
    };
    expect(isCompiledConfig(compiled)).toBe(true);
    const damaged = compiled.mappings[0];
    if (damaged !== undefined) damaged.settings[name] = [];
    expect(isCompiledConfig(compiled)).toBe(false);
  });
});

describe.each(SETTING_NAMES.filter((name) => SETTINGS[name].userOverride !== undefined))('the setting %s a developer may override', (name) => {
  const { key } = SETTINGS[name];
  const sample = SAMPLES[name];

  it('is read from the user config, beats the mapping where overrides.allow permits, and is in the user config schema', () => {
    const userConfig = compileUserConfig(`version: 1\noverrides:\n  - {paths: ["own/**"], ${key}: ${sample.defaults}}\n`, '/home/me/config.yaml');
    const config = compileMappingFile(fileSetting(key, undefined, sample.own), FILE);
    const result = resolveRequest({ config, userConfig, unitPath: 'own/app', env: {}, ci: undefined, modeFlag: undefined, modeFromEnv: undefined, osUser: 'me' });
    const schema = loadSchema('schema/rolemap-user-config.schema.json');
    const overrideSchema = (schema['properties']?.['overrides']?.['items'] as { properties: Record<string, unknown> }).properties;
    expect([
      result.status === 'matched' ? result.request.overrides.map((o) => (o.status === 'applied' ? o.changes : o.why)) : result.status,
      CONFIG_KEYS.userConfig.override.includes(key),
      overrideSchema[key],
    ]).toEqual([[{ [key]: sample.fromDefaults }], true, expect.objectContaining({ description: SETTINGS[name].userOverride?.description })]);
  });
});
