import { homedir } from 'node:os';

import { absoluteHome } from '../../absoluteHome';
import type { Environment } from '../../resolve/types';

/**
 * The home directory the AWS CLI and SDK use for `~/.aws`: HOME, else USERPROFILE, else
 * HOMEDRIVE+HOMEPATH, else the OS's answer. Reading it from `env` lets tests point it elsewhere.
 * @throws UsageError when it is not absolute: tokens would be written inside the unit directory.
 */
export function resolveHomeDir(env: Environment): string {
  return absoluteHome(homeDirOf(env), 'the AWS config and SSO token files (~/.aws)');
}

function homeDirOf(env: Environment): string {
  const { HOME, USERPROFILE, HOMEPATH, HOMEDRIVE } = env;
  if (HOME !== undefined && HOME !== '') return HOME;
  if (USERPROFILE !== undefined && USERPROFILE !== '') return USERPROFILE;
  if (HOMEPATH !== undefined && HOMEPATH !== '') return `${HOMEDRIVE ?? 'C:'}${HOMEPATH}`;
  return homedir();
}
