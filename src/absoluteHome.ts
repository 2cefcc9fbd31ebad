import { isAbsolute, win32 } from 'node:path';

import { UsageError } from './errors';

/**
 * `home` when it is absolute. A relative HOME would be taken relative to the unit directory
 * Terragrunt runs rolemap in: credentials and SSO tokens would be written inside the repository,
 * and a config planted there would be read as the developer's own.
 * @param purpose what home is needed for, completing "HOME ... so rolemap cannot find <purpose>".
 * @throws UsageError when `home` is relative or empty.
 */
export function absoluteHome(home: string, purpose: string): string {
  // Windows homes (USERPROFILE, HOMEDRIVE+HOMEPATH) are absolute by Windows' rules.
  if (isAbsolute(home) || win32.isAbsolute(home)) return home;
  throw new UsageError(`HOME is ${JSON.stringify(home)}, which is not an absolute path, so rolemap cannot find ${purpose}.`, {
    hint: 'Set HOME to your home directory as an absolute path, e.g. /home/me.',
  });
}
