import { resolve } from 'node:path';
import { normaliseStartUrl } from '../../auth/sso/normaliseStartUrl';
import type { CompiledConfig, SsoSettings } from '../../config/types';
import { UsageError } from '../../errors';
import { findMappingFile } from '../../locate/findMappingFile';
import { loadMappingFile, loadUserConfig } from '../../locate/resolveUnit';
import type { CommandContext } from '../CommandContext';

export interface SsoFlags {
  startUrl: string | undefined;
  region: string | undefined;
  config: string | undefined;
  dir: string | undefined;
  /** --sso-session NAME: a portal named under the mapping file's `sso_sessions`, or a name to store the token under. */
  ssoSession?: string | undefined;
}

/** A portal to sign in to or out of. */
export interface SsoPortal {
  sso: SsoSettings;
  /**
   * The AWS CLI sso-session name to keep the token under besides the names the AWS config gives
   * the portal (--sso-session for a portal given by URL). Undefined for a portal named in the
   * mapping file: that name is rolemap's, and may be another portal's in ~/.aws/config.
   */
  storeAs: string | undefined;
}

/**
 * The portals `rolemap login` (with `every`) or `logout` acts on:
 * - `--start-url` with `--region`: that portal;
 * - `--sso-session NAME` naming a portal under the mapping file's `sso_sessions`: that portal;
 * - with `every` and no flags: each portal the mapping tree uses (each mapping's own `sso`, else
 *   the default: the developer's `sso`, else the file's), in file order, each once;
 * - otherwise the default portal, with the flags filling in what they give.
 * @throws UsageError when no portal is known, or `--sso-session` names none of the file's sessions.
 */
export async function ssoPortalsFor(flags: SsoFlags, context: CommandContext, options: { every: boolean }): Promise<SsoPortal[]> {
  if (flags.startUrl !== undefined && flags.region !== undefined) {
    return [{ sso: { startUrl: flags.startUrl, region: flags.region }, storeAs: flags.ssoSession }];
  }
  const { deps } = context;
  const compiledStore = context.cache?.compiledStore;
  const userSso = (await loadUserConfig({ fromEnv: deps.rolemapEnv, env: deps.env, homedir: deps.homedir, compiledStore, logger: deps.logger }))?.sso;
  let config: CompiledConfig | undefined;
  try {
    const location = findMappingFile(resolve(flags.dir ?? deps.cwd), flags.config, deps.rolemapEnv.config);
    config = await loadMappingFile(location.file, { compiledStore, logger: deps.logger });
  } catch (error) {
    // Without flags, a missing mapping file only matters if nothing else names the portal.
    if (flags.startUrl === undefined && userSso === undefined) throw error;
  }
  const sessionName = flags.ssoSession;
  if (sessionName !== undefined && config !== undefined && flags.startUrl === undefined) {
    const named = config.ssoSessions[sessionName];
    if (named !== undefined) return [{ sso: named, storeAs: undefined }];
    const defined = Object.keys(config.ssoSessions);
    if (defined.length > 0) {
      throw new UsageError(`${config.file} defines no SSO session "${sessionName}".`, {
        hint: `Its sso_sessions are: ${defined.join(', ')}. Or pass --start-url and --region to sign in to a portal by its URL.`,
      });
    }
  }
  const fallback = userSso ?? config?.sso;
  if (options.every && sessionName === undefined && flags.startUrl === undefined && flags.region === undefined && config !== undefined) {
    const used = portalsUsed(config, fallback);
    if (used.length > 0) return used.map((sso) => ({ sso, storeAs: undefined }));
  }
  const startUrl = flags.startUrl ?? fallback?.startUrl;
  const region = flags.region ?? fallback?.region;
  if (startUrl === undefined || region === undefined) {
    throw new UsageError('rolemap does not know which IAM Identity Center to sign in to.', {
      hint: 'Pass --start-url https://YOUR.awsapps.com/start --region REGION, or set sso: {start_url, region} in rolemap.yaml or your ~/.config/rolemap/config.yaml.',
    });
  }
  const sso: SsoSettings = fallback !== undefined && fallback.startUrl === startUrl && fallback.region === region ? fallback : { startUrl, region };
  return [{ sso, storeAs: sessionName }];
}

/** Each portal the mappings use (a mapping's own, else `fallback`), once per start URL, in file order. */
function portalsUsed(config: CompiledConfig, fallback: SsoSettings | undefined): SsoSettings[] {
  const seen = new Map<string, SsoSettings>();
  for (const mapping of config.mappings) {
    const sso = mapping.sso ?? fallback;
    if (sso === undefined) continue;
    const key = normaliseStartUrl(sso.startUrl);
    if (!seen.has(key)) seen.set(key, sso);
  }
  return [...seen.values()];
}
