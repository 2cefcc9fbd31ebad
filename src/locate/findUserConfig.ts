import { statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { absoluteHome } from '../absoluteHome';
import { ConfigError } from '../errors';
import { joinAbsolute } from '../joinAbsolute';
import type { Environment } from '../resolve/types';

/**
 * The developer's own config: `explicit` (ROLEMAP_USER_CONFIG), else $XDG_CONFIG_HOME/rolemap/config.yaml,
 * else ~/.config/rolemap/config.yaml. Returns undefined when the default locations hold nothing.
 * Returns any file that exists, regular or not: loading it refuses a directory, a pipe or a device
 * with a message that says which.
 * @throws ConfigError when ROLEMAP_USER_CONFIG names a file that does not exist.
 */
export function findUserConfig(explicit: string | undefined, env: Environment, homedir: string): string | undefined {
  if (explicit !== undefined && explicit !== '') {
    const file = resolvePath(explicit);
    // Anything that exists is returned: reading it says exactly what is wrong with a directory or a device.
    if (statSync(file, { throwIfNoEntry: false }) !== undefined) return file;
    throw new ConfigError(`ROLEMAP_USER_CONFIG names ${file}, which does not exist.`, {
      hint: 'Create the file, or unset ROLEMAP_USER_CONFIG to use ~/.config/rolemap/config.yaml.',
    });
  }
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : joinAbsolute(absoluteHome(homedir, 'your config (~/.config/rolemap/config.yaml)'), '.config');
  const file = joinAbsolute(base, 'rolemap', 'config.yaml');
  return statSync(file, { throwIfNoEntry: false }) === undefined ? undefined : file;
}
