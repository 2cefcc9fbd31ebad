/**
 * Every key the config compiler accepts, per level. The compiler reports any other key as
 * unknown, and test/config/schemaDrift.test.ts checks these lists against the JSON Schemas in
 * schema/, so the editor schema and the compiler cannot drift apart.
 */

const SETTINGS = [
  'region',
  'duration',
  'session_name',
  'auth',
  'min_ttl',
  'external_id',
  'source_identity',
  'tags',
  'envs',
  'web_identity',
] as const;

export const CONFIG_KEYS = {
  mappingFile: {
    top: ['version', 'accounts', 'defaults', 'modes', 'sso', 'sso_sessions', 'overrides', 'unmatched', 'mappings'],
    /** Keys of `defaults`; each may also be set on a mapping. */
    settings: SETTINGS,
    mapping: ['paths', 'account', 'role', 'sso', ...SETTINGS],
    role: ['plan', 'apply'],
    webIdentity: ['token', 'audience'],
    modes: ['local', 'deploy_branch'],
    sso: ['start_url', 'region'],
    overrides: ['allow'],
    allowRule: ['paths', 'accounts', 'roles'],
  },
  userConfig: {
    top: ['version', 'mode', 'sso', 'source_profile', 'base_profiles', 'overrides'],
    sso: ['start_url', 'region'],
    override: ['paths', 'accounts', 'role', 'auth'],
  },
} as const;
