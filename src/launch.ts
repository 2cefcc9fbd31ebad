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
import { dirname, join, relative } from 'node:path';
import { Script } from 'node:vm';
import { userCodeCache, type UserCodeCache } from './cache/userCodeCache';
import { readRolemapEnvironment } from './cli/readRolemapEnvironment';

/** The start of the wrapper Node puts around a CommonJS module; training and launching must use the same one. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';

function wrapBundle(source: string): string {
  return `${WRAPPER_START}${source}\n})`;
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/** Compiles a CommonJS file of dist/ with a code cache, if any (V8 says whether it took it). */
export function compileBundle(file: string, cachedData: Buffer | undefined): Script {
  // Stacks count columns from the file's first character, not the wrapper's, so that the file's
  // source map (dist/*.map) applies to them as they are.
  return new Script(wrapBundle(readFileSync(file, 'utf8')), {
    filename: file,
    columnOffset: -WRAPPER_START.length,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
}

/** Where the shipped code cache of a dist file (named relative to dist/) lives. */
export function shippedCodeCache(dist: string, name: string): string {
  return join(dist, name.replace(/\.cjs$/, '.codecache'));
}

export interface CodeCacheSource {
  /** The code cache to offer V8 for `name` (relative to dist/), or undefined. */
  read(name: string): Buffer | undefined;
  /** Told of every file compiled, once. */
  compiled?(name: string, script: Script): void;
}

type LoadedModule = { exports: unknown };

export interface Loader {
  /** Loads a file of dist/ (once) and returns its exports. */
  load(file: string): unknown;
  /** The require a file of dist/ gets. */
  requireFor(file: string): NodeJS.Require;
}

/**
 * Loads rolemap's own CommonJS files (dist/rolemap.cjs and dist/lib/*.cjs) as Node would, each
 * compiled with its code cache. Anything else (Node's modules, dist/vendor) goes to Node's
 * require. One instance per process: every file is loaded once, so `instanceof` holds across them.
 * `preloaded` holds files already loaded without it (the bundle, by dist/rolemap's fast path).
 */
export function createLoader(dist: string, caches: CodeCacheSource, preloaded?: ReadonlyMap<string, LoadedModule>): Loader {
  const libDir = join(dist, 'lib');
  const loaded = new Map<string, LoadedModule>(preloaded);
  const load = (file: string): unknown => {
    const known = loaded.get(file);
    if (known !== undefined) return known.exports;
    const name = relative(dist, file);
    const script = compileBundle(file, caches.read(name));
    caches.compiled?.(name, script);
    const fileModule: LoadedModule = { exports: {} };
    loaded.set(file, fileModule);
    (script.runInThisContext() as ModuleFunction).call(fileModule.exports, fileModule.exports, requireFor(file), fileModule, file, dirname(file));
    return fileModule.exports;
  };
  const requireFor = (file: string): NodeJS.Require => {
    // Node's require for this file, made on first need: a hit requires only Node's own modules
    // (the same from any file) and rolemap's libs, and making one costs a noticeable share of it.
    let nodeRequire: NodeJS.Require | undefined;
    const requireFromFile = (): NodeJS.Require => (nodeRequire ??= (require('node:module') as typeof import('node:module')).createRequire(file));
    const own = (id: string): unknown => {
      if (id.startsWith('node:')) return require(id);
      // The error classes: the hot bundle's own copy, so that there is one per process (instanceof)
      // and a hit reads no file for them; lib/errors.cjs only where no hot bundle is loaded.
      if (id === './errors.cjs' && dirname(file) === libDir) {
        const hot = loaded.get(join(dist, 'rolemap.cjs'))?.exports as { errors?: unknown } | undefined;
        if (hot?.errors !== undefined) return hot.errors;
      }
      if (id.startsWith('./') && id.endsWith('.cjs')) {
        const target = join(dirname(file), id);
        if (dirname(target) === libDir) return load(target);
      }
      return requireFromFile()(id);
    };
    return Object.defineProperties(own, {
      resolve: { get: () => requireFromFile().resolve },
      cache: { get: () => requireFromFile().cache },
      main: { get: () => requireFromFile().main },
      extensions: { get: () => requireFromFile().extensions },
    }) as NodeJS.Require;
  };
  return { load, requireFor };
}

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
declare const ROLEMAP_BUILD: { node: string; bundleId: string } | undefined;

/** The build of this dist/rolemap (tests ask which Node trained its shipped code caches); undefined from source. */
export const build = typeof ROLEMAP_BUILD === 'object' ? ROLEMAP_BUILD : undefined;

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
