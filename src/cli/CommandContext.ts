import type { FileStore } from '../cache/createFileStore';
import type { CompiledStore } from '../locate/loadCompiled';
import type { RunDeps } from './RunDeps';

/** What every command gets: the outside world, and the cache when it can be trusted. */
export interface CommandContext {
  deps: RunDeps;
  /** Undefined when ROLEMAP_NO_CACHE=1 or the cache directory is not trusted. */
  cache: CacheHandle | undefined;
  /** Why the cache is off, for explain. */
  cacheDisabledWhy: string | undefined;
}

/** The trusted cache directory, seen as a credential store and as a store of compiled configs. */
export interface CacheHandle {
  store: FileStore;
  compiledStore: CompiledStore;
}
