import { SETTING_NAMES, SETTINGS, type MappingSettings } from '../../src/config/mappingSettings';
import type { CompiledMapping, SsoSettings } from '../../src/config/types';
import type { AssumeRequest, CredentialRequest, RequestBase, RequestSettings, WebIdentityRequest } from '../../src/resolve/types';
import type { LogLevel, Logger } from '../../src/log/logger';

const POSITION = { file: '/repo/rolemap.yaml', line: 3, column: 5 };

/** Every declared setting at its built-in default, as a mapping that sets none carries them. */
// Object.fromEntries types its result loosely; these are exactly the declared names and defaults.
const BUILT_IN_SETTINGS = Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTINGS[name].default])) as MappingSettings;

type Auth = CredentialRequest['auth'];

/** Every field of every kind of request: the fixture fills them all, and each auth kind reads its own. */
type AnyRequest = Omit<RequestBase, 'auth'> &
  Pick<AssumeRequest, 'sourceProfile' | 'sourceProfileSetting'> &
  Pick<WebIdentityRequest, 'webIdentity'> & { sso: SsoSettings | undefined };

/**
 * What a test changes: any field of the request, and any of `request.settings` by its name
 * (`auth` is the request's: the kind chosen, not the one configured).
 */
export type RequestOverrides<A extends Auth = Auth> = Partial<Omit<AnyRequest, 'settings'>> &
  Partial<RequestSettings> & { auth?: A; accountId?: string; roleName?: string };

/**
 * A resolved request for `roleName` in `accountId`, as the resolver would hand it over; `auth`
 * (assume unless given) decides which kind of request it is.
 */
export function credentialRequest<A extends Auth = 'assume'>(
  overrides: RequestOverrides<A> = {},
): AnyRequest & { auth: A } & Extract<CredentialRequest, { auth: A }> {
  const accountId = overrides.accountId ?? '333333333333';
  const roleName = overrides.roleName ?? 'terragrunt-apply';
  const roleArn = overrides.roleArn ?? `arn:aws:iam::${accountId}:role/${roleName}`;
  const glob = { glob: 'prod/**', regexSource: '^prod\\/.*$', regexFlags: '', literalSegments: 1, position: POSITION };
  const webIdentity = overrides.webIdentity ?? BUILT_IN_SETTINGS.webIdentity;
  const mapping: CompiledMapping = {
    index: 0,
    position: POSITION,
    globs: [glob],
    accountId,
    accountName: 'prod',
    partition: 'aws',
    roles: { plan: { arn: roleArn, name: roleName }, apply: { arn: roleArn, name: roleName } },
    settings: { ...BUILT_IN_SETTINGS, webIdentity },
  };
  const { webIdentity: _perAuth, ...mappingSettings } = mapping.settings;
  const settings: RequestSettings = { ...mappingSettings, region: 'us-east-1' };
  const fields: Partial<AnyRequest> = {};
  for (const [name, value] of Object.entries(overrides)) {
    if (name !== 'auth' && name in settings) Object.assign(settings, { [name]: value });
    else Object.assign(fields, { [name]: value });
  }
  return {
    configFile: '/repo/rolemap.yaml',
    unitPath: 'prod/vpc',
    mapping,
    matchedGlob: glob,
    mode: { mode: 'apply', source: 'flag', why: '--mode apply' },
    accountId,
    accountName: 'prod',
    partition: 'aws',
    roleArn,
    roleName,
    sessionName: 'rolemap-alice',
    auth: 'assume',
    authWhy: 'auth: assume (mapping file)',
    sourceIdentity: undefined,
    tags: [],
    settings,
    webIdentity,
    sso: undefined,
    sourceProfile: undefined,
    sourceProfileSetting: undefined,
    overrides: [],
    userConfigFile: undefined,
    ...fields,
  } as AnyRequest & { auth: A } & Extract<CredentialRequest, { auth: A }>;
}

/** A Logger that keeps what it is told, for assertions (and never prints). */
export function recordingLogger(): Logger & { records: Array<{ level: LogLevel; msg: string }> } {
  const records: Array<{ level: LogLevel; msg: string }> = [];
  const at = (level: LogLevel) => (msg: string): void => {
    records.push({ level, msg });
  };
  return {
    records,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isEnabled: () => true,
  };
}
