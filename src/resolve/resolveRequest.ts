import { SESSION_NAME_MIN_LENGTH } from '../constants';
import type { MappingSettings } from '../config/mappingSettings';
import type { CompiledMapping, SsoSettings } from '../config/types';
import { applyOverrides } from './applyOverrides';
import { decideAuth } from './decideAuth';
import { decideMode } from './decideMode';
import { fillTemplate } from './fillTemplate';
import { matchUnit } from './matchUnit';
import { pickBaseProfile } from './pickBaseProfile';
import { templateValues } from './templateValues';
import type {
  AssumeRequest,
  CredentialRequest,
  DelegateRequest,
  RequestSettings,
  ResolveInput,
  ResolveRefusal,
  ResolveResult,
  SsoRequest,
  WebIdentityRequest,
} from './types';

/**
 * The pure heart of rolemap: from (mapping file, user config, unit path, environment) to a
 * fully resolved credential request, or the reason there is none. No I/O happens here, and
 * nothing is thrown: every outcome is a status (types.ts, ResolveResult).
 */
export function resolveRequest(input: ResolveInput): ResolveResult {
  const { config, env, unitPath, ci } = input;
  // The developer's config is never consulted in CI, whatever the caller passed.
  const userConfig = ci === undefined ? input.userConfig : undefined;
  const fromEnv = input.modeFromEnv;
  if (input.modeFlag === undefined && fromEnv?.status === 'not-a-mode') return { status: 'bad-mode', text: fromEnv.text };
  const mode = decideMode({
    modeFlag: input.modeFlag,
    modeFromEnv: fromEnv?.status === 'mode' ? fromEnv.mode : undefined,
    ci,
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
    inCi: ci !== undefined,
    webIdentity: settings.webIdentity,
    ssoConfigured: sso !== undefined,
    sourceProfile,
  });

  const byAuth = authFields(auth.auth, { sso, webIdentity: settings.webIdentity, sourceProfile, sourceProfileSetting: baseProfile?.setting });
  if (byAuth === undefined) return { status: 'no-sso-portal', unitPath, configFile: config.file, position: mapping.position };

  const values = templateValues({
    ci,
    osUser: input.osUser,
    mode: mode.mode,
    accountId: mapping.accountId,
    accountName: mapping.accountName,
    roleName: role.name,
    unitPath,
  });
  const sessionName = fillTemplate(settings.sessionNameTemplate, values);
  const sourceIdentity = settings.sourceIdentityTemplate === undefined ? undefined : fillTemplate(settings.sourceIdentityTemplate, values);
  const badName = nameProblem('session_name', sessionName, mapping, unitPath) ?? (sourceIdentity === undefined ? undefined : nameProblem('source_identity', sourceIdentity, mapping, unitPath));
  if (badName !== undefined) return badName;
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
      authWhy: auth.why,
      sourceIdentity,
      tags,
      settings: requestSettings(settings),
      overrides: overrides.decisions,
      userConfigFile: userConfig?.file,
      ...byAuth,
    },
  };
}

/** Every merged setting, but those a kind's own field carries (PerAuthSetting, given by authFields). */
function requestSettings({ webIdentity: _perAuth, ...shared }: MappingSettings): RequestSettings {
  return shared;
}

type AuthFields =
  | Pick<AssumeRequest, 'auth' | 'sourceProfile' | 'sourceProfileSetting'>
  | Pick<WebIdentityRequest, 'auth' | 'webIdentity'>
  | Pick<SsoRequest, 'auth' | 'sso'>
  | Pick<DelegateRequest, 'auth' | 'webIdentity'>;

/** What only `kind` uses, or undefined for sso without a portal. */
function authFields(
  kind: CredentialRequest['auth'],
  from: { sso: SsoSettings | undefined; webIdentity: MappingSettings['webIdentity']; sourceProfile: string | undefined; sourceProfileSetting: string | undefined },
): AuthFields | undefined {
  switch (kind) {
    case 'assume':
      return { auth: kind, sourceProfile: from.sourceProfile, sourceProfileSetting: from.sourceProfileSetting };
    case 'web-identity':
    case 'delegate':
      return { auth: kind, webIdentity: from.webIdentity };
    case 'sso':
      return from.sso === undefined ? undefined : { auth: kind, sso: from.sso };
  }
}

function mappingLocation(mapping: CompiledMapping): string {
  return `${mapping.position.file}:${mapping.position.line}`;
}

/** A filled name is already sanitised and cut to 64; what can still be wrong is that it is too short. */
function nameProblem(key: 'session_name' | 'source_identity', value: string, mapping: CompiledMapping, unitPath: string): ResolveRefusal | undefined {
  return value.length >= SESSION_NAME_MIN_LENGTH ? undefined : { status: 'bad-name', key, value, unitPath, position: mapping.position };
}
