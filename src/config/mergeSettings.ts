import { DEFAULT_MIN_TTL_SECONDS } from '../constants';
import { SETTING_NAMES, SETTINGS, type MappingSettings, type SettingKey, type SettingName, type SettingsLayer } from './mappingSettings';
import type { Field, YamlReader } from './YamlReader';

/**
 * A mapping's settings: each merged as its declaration (config/mappingSettings.ts) says, the
 * mapping's own value winning over `defaults`', else the built-in default. Then checks what only
 * two merged settings together can show: `min_ttl` below `duration`.
 */
export function mergeSettings(
  reader: YamlReader,
  defaults: SettingsLayer,
  own: SettingsLayer,
  mapping: Field,
): MappingSettings {
  const merged: Partial<MappingSettings> = {};
  for (const name of SETTING_NAMES) {
    mergeSetting(reader, defaults, own, mapping, name, merged);
  }
  // Every name was merged just above.
  const settings = merged as MappingSettings;
  const { durationSeconds, minTtlSeconds } = settings;
  if (minTtlSeconds >= durationSeconds) {
    const ownAt = own.at.min_ttl ?? own.at.duration;
    // When both come from `defaults`, every mapping would report the same spot: say it once.
    const where = ownAt === undefined ? '' : ` for \`${mapping.label}\``;
    reader.report(
      ownAt ?? defaults.at.min_ttl ?? defaults.at.duration ?? mapping.at,
      `\`min_ttl\` (${minTtlSeconds} s) must be less than \`duration\` (${durationSeconds} s)${where}: a new credential would already have too little time left to be used`,
      `lower \`min_ttl\` (default ${DEFAULT_MIN_TTL_SECONDS}) or raise \`duration\``,
    );
  }
  return settings;
}

function mergeSetting<N extends SettingName>(
  reader: YamlReader,
  defaults: SettingsLayer,
  own: SettingsLayer,
  mapping: Field,
  name: N,
  merged: Partial<MappingSettings>,
): void {
  const declaration = SETTINGS[name];
  const key: SettingKey = declaration.key;
  merged[name] = declaration.merge(defaults.values[name], own.values[name], declaration.default, {
    reader,
    mapping,
    defaultsAt: defaults.at[key],
    ownAt: own.at[key],
  });
}
