import {
  DEFAULT_DURATION_SECONDS,
  DEFAULT_MIN_TTL_SECONDS,
  DEFAULT_SESSION_NAME,
  DEFAULT_WEB_IDENTITY_AUDIENCE,
  MAX_SESSION_TAGS,
} from '../constants';
import type { MappingSettings } from './types';
import type { SettingsLayer } from './readSettings';
import type { Field, YamlReader } from './YamlReader';

/**
 * A mapping's settings: its own, else `defaults`, else the built-in defaults. `tags`, `envs` and
 * `web_identity` merge key by key, the mapping's keys winning. Checks what only the merged
 * result can show: `min_ttl` below `duration`, and at most MAX_SESSION_TAGS tags.
 */
export function mergeSettings(
  reader: YamlReader,
  defaults: SettingsLayer,
  own: SettingsLayer,
  mapping: Field,
): MappingSettings {
  const durationSeconds = own.durationSeconds ?? defaults.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const minTtlSeconds = own.minTtlSeconds ?? defaults.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS;
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
  return {
    region: own.region ?? defaults.region,
    durationSeconds,
    sessionNameTemplate: own.sessionNameTemplate ?? defaults.sessionNameTemplate ?? DEFAULT_SESSION_NAME,
    auth: own.auth ?? defaults.auth ?? 'auto',
    minTtlSeconds,
    externalId: own.externalId ?? defaults.externalId,
    sourceIdentityTemplate: own.sourceIdentityTemplate ?? defaults.sourceIdentityTemplate,
    tagTemplates: mergeTags(reader, defaults, own, mapping),
    envs: { ...defaults.envs, ...own.envs },
    webIdentity: {
      token: own.webIdentityToken ?? defaults.webIdentityToken ?? { kind: 'auto' },
      audience: own.webIdentityAudience ?? defaults.webIdentityAudience ?? DEFAULT_WEB_IDENTITY_AUDIENCE,
    },
  };
}

function mergeTags(
  reader: YamlReader,
  defaults: SettingsLayer,
  own: SettingsLayer,
  mapping: Field,
): Record<string, string> {
  const merged: Record<string, string> = { ...defaults.tagTemplates };
  const byLowerCase = new Map(Object.keys(merged).map((key) => [key.toLowerCase(), key]));
  for (const [key, value] of Object.entries(own.tagTemplates ?? {})) {
    const inherited = byLowerCase.get(key.toLowerCase());
    if (inherited !== undefined && inherited !== key) {
      reader.report(
        own.tagKeyAt?.[key] ?? mapping.at,
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
      own.at.tags ?? defaults.at.tags ?? mapping.at,
      `\`${mapping.label}\` ends up with ${count} tags (its own and those from \`defaults\`); STS accepts at most ${MAX_SESSION_TAGS}`,
      `remove tags until at most ${MAX_SESSION_TAGS} remain`,
    );
  }
  return merged;
}
