import * as fs from 'node:fs';
import * as path from 'node:path';

import { CacheError } from '../errors';
import type { FileStore } from './createFileStore';
import { errnoCode } from './errnoCode';
import { isCacheFileName } from './isCacheFileName';

/**
 * Empties the cache for `rolemap cache clear`: every entry of every namespace (credentials,
 * remembered failures, compiled configs...), every lock and every leftover temporary file.
 * Files that rolemap did not name are left alone. Returns how many files were removed.
 */
export function clearCache(store: FileStore): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(store.dir, { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 0;
    throw new CacheError(`Could not list the cache directory ${store.dir} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
  }
  let removed = 0;
  for (const entry of entries) {
    if (entry.isDirectory() || !isCacheFileName(entry.name)) continue;
    const file = path.join(store.dir, entry.name);
    try {
      fs.unlinkSync(file);
      removed += 1;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      throw new CacheError(`Could not delete the cache file ${file} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
    }
  }
  return removed;
}
