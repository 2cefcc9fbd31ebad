import { SETTING_NAMES, SETTINGS, type SettingKey, type SettingName, type SettingsLayer } from './mappingSettings';
import type { Field, YamlReader } from './YamlReader';

/**
 * Reads the settings (config/mappingSettings.ts) out of an already key-checked mapping:
 * `defaults` or one entry of `mappings`. A value with a problem is reported and left out.
 */
export function readSettings(reader: YamlReader, keys: ReadonlyMap<string, Field>): SettingsLayer {
  const layer: SettingsLayer = { values: {}, at: {} };
  for (const name of SETTING_NAMES) {
    readSetting(reader, keys, name, layer);
  }
  return layer;
}

function readSetting<N extends SettingName>(reader: YamlReader, keys: ReadonlyMap<string, Field>, name: N, layer: SettingsLayer): void {
  const declaration = SETTINGS[name];
  const field = keys.get(declaration.key);
  if (field === undefined) {
    return;
  }
  const key: SettingKey = declaration.key;
  layer.at[key] = field.at;
  const value = declaration.read(reader, field);
  if (value !== undefined) {
    layer.values[name] = value;
  }
}
