import { SESSION_NAME_MIN_LENGTH } from '../constants';
import type { CompiledMapping } from '../config/types';
import { ConfigError } from '../errors';
import { applyOverrides } from './applyOverrides';
import { decideAuth } from './decideAuth';
import { decideMode } from './decideMode';
import { fillTemplate } from './fillTemplate';
import { isCi } from './isCi';
import { matchUnit } from './matchUnit';
import { pickBaseProfile } from './pickBaseProfile';
import { templateValues } from './templateValues';
import type { ResolveInput, ResolveResult } from './types';

/**
 * The pure heart of rolemap: from (mapping file, user config, unit path, environment) to a
 * fully resolved credential request, or the reason there is none. No I/O happens here.
 *
 * @throws ConfigError when a template fills to an invalid session name or source identity.
 * @throws UsageError when ROLEMAP_MODE is not a mode.
 */
export function resolveRequest(input: ResolveInput): ResolveResult {
  const { config, env, unitPath } = input;
  // The developer's config is never consulted in CI, whatever the caller passed.
  const userConfig = isCi(env) ? undefined : input.userConfig;
  const mode = decideMode({
    modeFlag: input.modeFlag,
    modeFromEnv: input.modeFromEnv,
    env,
    deployBranches: config.modes.deployBranches,
    userMode: userConfig?.mode,
    localMode: config.modes.local,
  });

  const match = matchUnit(config, unitPath);
  if (match.status === 'unmatched') {
    return {
      status: 'unmatched',
      unitPath,
      configFile: config.file,
      nearest: match.nearest,
      emptyAllowed: config.unmatched === 'empty',
      mode,
    };
  }
  if (match.status === 'ambiguous') {
    return { status: 'ambiguous', unitPath, configFile: config.file, candidates: match.tied, mode };
  }

  const mapping = match.winner.mapping;
  const settings = mapping.settings;
  const overrides = applyOverrides(config, userConfig?.overrides ?? [], {
    unitPath,
    accountId: mapping.accountId,
    accountName: mapping.accountName,
    partition: mapping.partition,
    region: settings.region,
  });
  const role = overrides.role ?? mapping.roles[mode.mode];

  // A mapping's own portal is where its accounts are: a developer's default portal cannot move it.
  const sso = mapping.sso ?? userConfig?.sso ?? config.sso;
  const baseProfile = pickBaseProfile(userConfig, mapping);
  const sourceProfile = baseProfile?.profile;
  const auth = decideAuth({
    configured: overrides.auth ?? settings.auth,
    configuredBy: overrides.auth === undefined ? `mapping at ${mappingLocation(mapping)}` : 'your override',
    env,
    webIdentity: settings.webIdentity,
    ssoConfigured: sso !== undefined,
    sourceProfile,
  });

  if (auth.auth === 'sso' && sso === undefined) {
    throw new ConfigError(`The unit ${unitPath} uses auth: sso, but neither ${config.file} nor your rolemap config says which IAM Identity Center to use.`, {
      position: mapping.position,
      hint: 'Add `sso: {start_url: https://YOUR.awsapps.com/start, region: REGION}` at the top of the mapping file, on the mapping, or to your ~/.config/rolemap/config.yaml.',
    });
  }

  const values = templateValues({
    env,
    osUser: input.osUser,
    mode: mode.mode,
    accountId: mapping.accountId,
    accountName: mapping.accountName,
    roleName: role.name,
    unitPath,
  });
  const sessionName = checkedName('session_name', fillTemplate(settings.sessionNameTemplate, values), mapping, unitPath);
  const sourceIdentity =
    settings.sourceIdentityTemplate === undefined
      ? undefined
      : checkedName('source_identity', fillTemplate(settings.sourceIdentityTemplate, values), mapping, unitPath);
  const tags = Object.entries(settings.tagTemplates)
    .map(([Key, template]) => ({ Key, Value: fillTemplate(template, values) }))
    .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));

  return {
    status: 'matched',
    candidates: match.candidates,
    request: {
      configFile: config.file,
      unitPath,
      mapping,
      matchedGlob: match.winner.glob,
      mode,
      accountId: mapping.accountId,
      accountName: mapping.accountName,
      partition: mapping.partition,
      roleArn: role.arn,
      roleName: role.name,
      sessionName,
      durationSeconds: settings.durationSeconds,
      region: settings.region,
      auth: auth.auth,
      authWhy: auth.why,
      externalId: settings.externalId,
      sourceIdentity,
      tags,
      minTtlSeconds: settings.minTtlSeconds,
      envs: settings.envs,
      webIdentity: settings.webIdentity,
      sso,
      sourceProfile,
      sourceProfileSetting: baseProfile?.setting,
      overrides: overrides.decisions,
      userConfigFile: userConfig?.file,
    },
  };
}

function mappingLocation(mapping: CompiledMapping): string {
  return `${mapping.position.file}:${mapping.position.line}`;
}

/** A filled name is already sanitised and cut to 64; what can still be wrong is that it is too short. */
function checkedName(key: string, value: string, mapping: CompiledMapping, unitPath: string): string {
  if (value.length >= SESSION_NAME_MIN_LENGTH) return value;
  throw new ConfigError(
    `${key} for unit ${unitPath} came out as "${value}", but STS needs 2 to 64 characters.`,
    {
      position: mapping.position,
      hint: `Give ${key} a literal prefix, e.g. "rolemap-{user}", so it is never shorter than 2 characters.`,
    },
  );
}
