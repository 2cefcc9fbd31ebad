import { homedir } from 'node:os';

import type { Environment } from '../../resolve/types';

/**
 * The home directory the AWS CLI and SDK use for `~/.aws`: HOME, else USERPROFILE, else
 * HOMEDRIVE+HOMEPATH, else the OS's answer. Reading it from `env` lets tests point it elsewhere.
 */
export function resolveHomeDir(env: Environment): string {
  const { HOME, USERPROFILE, HOMEPATH, HOMEDRIVE } = env;
  if (HOME !== undefined && HOME !== '') return HOME;
  if (USERPROFILE !== undefined && USERPROFILE !== '') return USERPROFILE;
  if (HOMEPATH !== undefined && HOMEPATH !== '') return `${HOMEDRIVE ?? 'C:'}${HOMEPATH}`;
  return homedir();
}
