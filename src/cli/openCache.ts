import { createFileStore } from '../cache/createFileStore';
import { openCacheDir } from '../cache/openCacheDir';
import { resolveCacheDir } from '../cache/resolveCacheDir';
import type { CacheHandle } from './CommandContext';
import type { OpenCacheResult } from './run';
import type { RunDeps } from './RunDeps';

const COMPILED_NAMESPACE = 'compiled';

/**
 * Opens the cache directory when it can be trusted. An untrusted directory is warned about and
 * bypassed: the run goes on without a cache rather than using files another user could plant.
 */
export function openCache(deps: Pick<RunDeps, 'env' | 'rolemapEnv' | 'homedir' | 'uid' | 'logger'>): OpenCacheResult {
  if (deps.rolemapEnv.noCache) return { cache: undefined, disabledWhy: 'ROLEMAP_NO_CACHE is set' };
  const opened = openCacheDir({ dir: resolveCacheDir(deps.rolemapEnv.cacheDir, deps.env, deps.homedir), uid: deps.uid });
  if (opened.status === 'untrusted') {
    deps.logger.warn(`not using the credential cache: ${opened.why}`);
    return { cache: undefined, disabledWhy: opened.why };
  }
  const refusedFiles = new Set<string>();
  const store = createFileStore({
    dir: opened.dir,
    uid: deps.uid,
    onRefused: (refused) => {
      // Waiters read an entry many times while they poll: one line per file is enough.
      if (refusedFiles.has(refused.file)) return;
      refusedFiles.add(refused.file);
      if (refused.reason === 'corrupt') deps.logger.info(`ignoring a corrupt cache entry: ${refused.why}`);
      else deps.logger.warn(`ignoring a cache file: ${refused.why}`);
    },
  });
  const cache: CacheHandle = {
    store,
    compiledStore: {
      read: (id) => store.read(COMPILED_NAMESPACE, id),
      write: (id, value) => store.write(COMPILED_NAMESPACE, id, value),
      remove: (id) => {
        store.remove(COMPILED_NAMESPACE, id);
      },
    },
  };
  return { cache, disabledWhy: undefined };
}
