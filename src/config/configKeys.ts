/**
 * Every key the config compiler accepts, per level. The compiler reports any other key as
 * unknown, and test/config/schemaDrift.test.ts checks these lists against the JSON Schemas in
 * schema/, so the editor schema and the compiler cannot drift apart.
 */

import { SETTING_KEYS, USER_OVERRIDE_KEYS } from './mappingSettings';
import { WEB_IDENTITY_KEYS } from './readSettingValues';

const SETTINGS = SETTING_KEYS;

export const CONFIG_KEYS = {
  mappingFile: {
    top: ['version', 'accounts', 'defaults', 'modes', 'sso', 'sso_sessions', 'overrides', 'unmatched', 'mappings'],
    /** Keys of `defaults`; each may also be set on a mapping (declared in mappingSettings.ts). */
    settings: SETTINGS,
    mapping: ['paths', 'account', 'role', 'sso', ...SETTINGS],
    role: ['plan', 'apply'],
    webIdentity: WEB_IDENTITY_KEYS,
    modes: ['local', 'deploy_branch'],
    sso: ['start_url', 'region'],
    overrides: ['allow'],
    allowRule: ['paths', 'accounts', 'roles'],
  },
  userConfig: {
    top: ['version', 'mode', 'sso', 'source_profile', 'base_profiles', 'overrides'],
    sso: ['start_url', 'region'],
    override: ['paths', 'accounts', 'role', ...USER_OVERRIDE_KEYS],
  },
} as const;
