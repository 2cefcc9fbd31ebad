/**
 * dist/rolemap: starts rolemap's bundle (dist/rolemap.cjs) and, on demand, its slow-path libs
 * (dist/lib/*.cjs, which hold the AWS SDK) with V8 code caches, so that V8 skips compiling them:
 * compilation is most of what a cache hit costs beyond starting Node, and most of a miss.
 *
 * Two code caches per file:
 * - shipped: dist/rolemap.codecache and dist/lib/<name>.codecache, trained by `npm run build` on
 *   a cache hit and a real miss. They sit beside the code they describe, so they are no more and
 *   no less trusted than the code. V8 accepts them only under the Node version and V8 flags that
 *   made them.
 * - rolemap's own, written into the user's cache directory when V8 rejects a shipped one (another
 *   Node version, V8 flags in NODE_OPTIONS such as --max-old-space-size) and used from the next
 *   call on. See userCodeCache.
 * A cache V8 rejects is ignored and the file compiles as usual: slower, never wrong.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Script } from 'node:vm';
import { userCodeCache, type UserCodeCache } from './cache/userCodeCache';
import { readRolemapEnvironment } from './cli/readRolemapEnvironment';
import { compileBundle, createLoader, readOptional, shippedCodeCache, type LoadedModule, type ModuleFunction } from './launch/loader';

/**
 * rolemap's own code cache, where the runtime and the environment call for one. Settings the
 * bundle refuses (a bad ROLEMAP_LOG_LEVEL) mean no cache: the bundle reports them.
 */
function ownCodeCache(build: { node: string; bundleId: string }, v8Options: string): UserCodeCache | undefined {
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
 * What the build wrote beside the bundle: the Node version that trained the shipped code caches
 * and a hash of dist's code (which names rolemap's own code caches). Injected by
 * scripts/build.mjs; undefined when this file runs from source.
 */
declare const ROLEMAP_BUILD_NODE: string | undefined;
declare const ROLEMAP_BUILD_ID: string | undefined;

/**
 * The build of this dist/rolemap; undefined from source. Not exported: exports cost every call
 * esbuild's CommonJS export helpers (dist/package.json says which Node built dist/, for tests).
 */
const build = typeof ROLEMAP_BUILD_NODE === 'string' && typeof ROLEMAP_BUILD_ID === 'string' ? { node: ROLEMAP_BUILD_NODE, bundleId: ROLEMAP_BUILD_ID } : undefined;

/** What dist/rolemap.cjs tells its launcher (src/cli/main.ts). */
interface BundleExports {
  /** Whether this run's code cache of the bundle, or of a lib, is worth keeping (see there). */
  keepCodeCache?: (file: 'bundle' | 'lib') => boolean;
}

if (require.main === module) {
  const dist = __dirname;
  const bundle = join(dist, 'rolemap.cjs');
  // Every option that reaches V8: a code cache fits only the Node version and the options that made it.
  const v8Options = `${process.execArgv.join(' ')}|${process.env['NODE_OPTIONS'] ?? ''}`;
  if (build !== undefined && process.version === build.node && v8Options === '|') {
    // The shipped caches fit (the Node that trained them, run without options): the common case,
    // kept to straight-line code. This file has no code cache, and V8 compiles each function here
    // on its first call, which would cost a cache hit more than the work the loader does for it.
    // The loader is made when the bundle first requires a lib (a miss).
    // shippedCodeCache(dist, 'rolemap.cjs') and readOptional, written out: calling them costs a hit
    // 0.05 ms (marks of 100 hits), their compilation on first call.
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(join(dist, 'rolemap.codecache'));
    } catch {
      cachedData = undefined;
    }
    const bundleModule: LoadedModule = { exports: {} };
    let libRequire: NodeJS.Require | undefined;
    const bundleRequire = (id: string): unknown => {
      if (id.startsWith('node:')) return require(id);
      libRequire ??= createLoader(dist, { read: (name) => readOptional(shippedCodeCache(dist, name)) }, new Map([[bundle, bundleModule]])).requireFor(bundle);
      return libRequire(id);
    };
    (compileBundle(bundle, cachedData).runInThisContext() as ModuleFunction).call(bundleModule.exports, bundleModule.exports, bundleRequire as NodeJS.Require, bundleModule, bundle, dist);
  } else {
    // Elsewhere use rolemap's own, written when a call ends (so it holds every function that call
    // compiled), by the first call the bundle says is worth it (keepCodeCache in src/cli/main.ts).
    const own = build === undefined ? undefined : ownCodeCache(build, v8Options);
    const toWrite = new Map<string, Script>();
    const { load } = createLoader(dist, {
      read: (name) => own?.read(name) ?? readOptional(shippedCodeCache(dist, name)),
      compiled: (name, script) => {
        if (own !== undefined && script.cachedDataRejected !== false) toWrite.set(name, script);
      },
    });
    let bundleExports: BundleExports | undefined;
    if (own !== undefined) {
      const bundleName = relative(dist, bundle);
      process.once('exit', () => {
        for (const [name, script] of toWrite) {
          if (bundleExports?.keepCodeCache?.(name === bundleName ? 'bundle' : 'lib') === true) own.write(name, script);
        }
      });
    }
    bundleExports = load(bundle) as BundleExports;
  }
}
