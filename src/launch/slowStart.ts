/**
 * dist/launch.cjs: what dist/rolemap (src/launch.ts) does when a call is not a cache hit on the
 * Node that built dist/. Kept out of dist/rolemap, which has no code cache: V8 parses all of a
 * script it compiles, called or not, and this code made every hit pay for it (README,
 * "Performance").
 * - startWithOwnCodeCache: another Node version, or V8 flags in NODE_OPTIONS, where V8 rejects
 *   the shipped code caches and rolemap keeps its own.
 * - shippedLibRequire: a miss under the build's Node, whose bundle requires the libs that hold the
 *   AWS SDK.
 */
import type { Script } from 'node:vm';
import { userCodeCache, type UserCodeCache } from '../cache/userCodeCache';
import { readRolemapEnvironment } from '../cli/readRolemapEnvironment';
import { BUNDLE_NAME, compileBundle, createLoader, readOptional, runBundle, shippedCodeCache, type CodeCacheSource, type LoadedModule } from './loader';

/** What the build wrote into dist/rolemap: the Node that trained the shipped code caches and a hash of dist's code. */
export interface Build {
  node: string;
  bundleId: string;
}

/** What dist/rolemap.cjs tells its launcher (src/cli/main.ts). */
interface BundleExports {
  /** Whether this run's code cache of the bundle, or of a lib, is worth keeping (see there). */
  keepCodeCache?: (file: 'bundle' | 'lib') => boolean;
}

/**
 * rolemap's own code cache, where the runtime and the environment call for one. Settings the
 * bundle refuses (a bad ROLEMAP_LOG_LEVEL) mean no cache: the bundle reports them.
 */
function ownCodeCache(build: Build, v8Options: string): UserCodeCache | undefined {
  return userCodeCache({
    bundleId: build.bundleId,
    v8Options,
    fromEnv: () => {
      try {
        return readRolemapEnvironment(process.env);
      } catch {
        return undefined;
      }
    },
  });
}

/**
 * Runs the bundle where the shipped code caches do not fit, with rolemap's own, written when a
 * call ends (so it holds every function that call compiled) by the first call the bundle says is
 * worth it (keepCodeCache in src/cli/main.ts). `build` is undefined for a dist/ that is not a
 * build's (no code cache of its own, nothing written).
 */
export function startWithOwnCodeCache(dist: string, bundle: string, v8Options: string, build: Build | undefined): void {
  const own = build === undefined ? undefined : ownCodeCache(build, v8Options);
  const toWrite = new Map<string, Script>();
  const caches: CodeCacheSource = {
    read: (name) => own?.read(name) ?? readShipped(dist)(name),
    compiled: (name, script) => {
      if (own !== undefined && script.cachedDataRejected !== false) toWrite.set(name, script);
    },
  };
  // The bundle as the fast path runs it; the loader is made when the bundle first requires a lib.
  const script = compileBundle(bundle, caches.read(BUNDLE_NAME));
  caches.compiled?.(BUNDLE_NAME, script);
  let bundleExports: BundleExports | undefined;
  if (own !== undefined) {
    // `on`, not `once`: a process exits once, and once's wrapper costs every such call its compilation.
    process.on('exit', () => {
      for (const [name, compiled] of toWrite) {
        if (bundleExports?.keepCodeCache?.(name === BUNDLE_NAME ? 'bundle' : 'lib') === true) own.write(name, compiled);
      }
    });
  }
  bundleExports = runBundle(script, bundle, dist, (bundleModule) => libRequire(dist, caches, bundle, bundleModule)) as BundleExports;
}

/**
 * The require of the bundle that dist/rolemap loaded itself, once it asks for a lib: libs load
 * with their shipped code caches.
 */
export function shippedLibRequire(dist: string, bundle: string, bundleModule: LoadedModule): NodeJS.Require {
  return libRequire(dist, { read: readShipped(dist) }, bundle, bundleModule);
}

/** The require of a bundle that runBundle ran, for its libs: a loader of dist/ that knows the bundle is loaded. */
function libRequire(dist: string, caches: CodeCacheSource, bundle: string, bundleModule: LoadedModule): NodeJS.Require {
  return createLoader(dist, caches, new Map([[bundle, bundleModule]])).requireFor(bundle);
}

/** The shipped code cache of a dist file, if any. */
function readShipped(dist: string): CodeCacheSource['read'] {
  return (name) => readOptional(shippedCodeCache(dist, name));
}
