import { isAbsolute } from 'node:path';

import { absoluteHome } from '../absoluteHome';
import { UsageError } from '../errors';
import { joinAbsolute } from '../joinAbsolute';
import type { Environment } from '../resolve/types';

/**
 * Where the cache lives: `explicit` (ROLEMAP_CACHE_DIR), else $XDG_CACHE_HOME/rolemap, else ~/.cache/rolemap.
 * Only computes the path; `openCacheDir` creates and checks it.
 *
 * XDG_CACHE_HOME is ignored unless absolute, as the XDG Base Directory spec says. A relative
 * ROLEMAP_CACHE_DIR, or a relative HOME when the cache would be under it, is refused: Terragrunt runs rolemap from each unit's directory, so it would
 * silently give every unit a cache of its own.
 */
export function resolveCacheDir(explicit: string | undefined, env: Environment, homedir: string): string {
  if (explicit !== undefined && explicit !== '') {
    if (!isAbsolute(explicit)) {
      throw new UsageError(`ROLEMAP_CACHE_DIR must be an absolute path, not ${JSON.stringify(explicit)}.`, {
        hint: 'Set it to an absolute directory such as /home/me/.cache/rolemap, or unset it.',
      });
    }
    return joinAbsolute(explicit);
  }
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return joinAbsolute(xdg, 'rolemap');
  return joinAbsolute(absoluteHome(homedir, 'its cache directory (~/.cache/rolemap); or set ROLEMAP_CACHE_DIR'), '.cache', 'rolemap');
}
