import { resolve } from 'node:path';
import type { SsoSettings } from '../../config/types';
import { UsageError } from '../../errors';
import { findMappingFile } from '../../locate/findMappingFile';
import { loadMappingFile, loadUserConfig } from '../../locate/resolveUnit';
import type { CommandContext } from '../CommandContext';

export interface SsoFlags {
  startUrl: string | undefined;
  region: string | undefined;
  config: string | undefined;
  dir: string | undefined;
}

/**
 * The IAM Identity Center start URL and region for login/logout: the flags, else the developer's
 * config, else the mapping file found from --dir (or the working directory).
 */
export async function ssoSettingsFor(flags: SsoFlags, context: CommandContext): Promise<SsoSettings> {
  const { deps } = context;
  let fromFiles: SsoSettings | undefined;
  if (flags.startUrl === undefined || flags.region === undefined) {
    const compiledStore = context.cache?.compiledStore;
    fromFiles = (await loadUserConfig({ env: deps.env, homedir: deps.homedir, compiledStore, logger: deps.logger }))?.sso;
    if (fromFiles === undefined) {
      try {
        const location = findMappingFile(resolve(flags.dir ?? deps.cwd), flags.config, deps.env['ROLEMAP_CONFIG']);
        fromFiles = (await loadMappingFile(location.file, { compiledStore, logger: deps.logger })).sso;
      } catch (error) {
        // Without flags, a missing mapping file only matters if nothing else names the portal.
        if (flags.startUrl === undefined) throw error;
      }
    }
  }
  const startUrl = flags.startUrl ?? fromFiles?.startUrl;
  const region = flags.region ?? fromFiles?.region;
  if (startUrl === undefined || region === undefined) {
    throw new UsageError('rolemap does not know which IAM Identity Center to sign in to.', {
      hint: 'Pass --start-url https://YOUR.awsapps.com/start --region REGION, or set sso: {start_url, region} in rolemap.yaml or your ~/.config/rolemap/config.yaml.',
    });
  }
  return { startUrl, region };
}
