import { join } from 'node:path';
import { readdirSync, rmSync, type Dirent } from 'node:fs';

import { CacheError } from '../errors';
import type { FileStore } from './createFileStore';
import { errnoCode } from './errnoCode';
import { isCacheFileName } from './isCacheFileName';

/**
 * Empties the cache for `rolemap cache clear`: every entry of every namespace (credentials,
 * remembered failures, compiled configs...), every lock and every leftover temporary or broken
 * lock, whether a file or a directory. Files that rolemap did not name are left alone. Returns how many files were removed.
 */
export function clearCache(store: FileStore): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(store.dir, { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 0;
    throw new CacheError(`Could not list the cache directory ${store.dir} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
  }
  let removed = 0;
  for (const entry of entries) {
    if (!isCacheFileName(entry.name)) continue;
    const file = join(store.dir, entry.name);
    try {
      // Whatever sits under a rolemap name goes, a directory included (one in an entry's or a
      // lock's place, or a broken lock's leftover): otherwise `cache list` would keep showing it.
      // rm does not follow a symbolic link: it removes the link.
      rmSync(file, { recursive: true });
      removed += 1;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      throw new CacheError(`Could not delete the cache file ${file} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
    }
  }
  return removed;
}
