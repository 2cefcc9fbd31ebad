/**
 * How dist/rolemap loads rolemap's own CommonJS files (dist/rolemap.cjs and dist/lib/*.cjs), each
 * compiled with a V8 code cache (src/launch.ts); also what scripts/trainCodeCache.ts trains with.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Script } from 'node:vm';
import wrapper from './commonJsWrapper.json';

/**
 * The wrapper Node puts around a CommonJS module. scripts/build.mjs writes each file this loader
 * compiles (the bundle, dist/launch.cjs, the libs) already inside it and called with Node's
 * arguments, so that Node can still require the file, and the loader compiles the text before
 * the call as read. Wrapping the text here instead made V8 copy a string of the whole file (a
 * concatenation) before compiling it: 73 KB for the bundle on every hit, some 18 page faults.
 */
const WRAPPER: { start: string; end: string; call: string } = wrapper;
/** How a file written inside the wrapper ends: esbuild puts its footer on a line of its own. */
const CALLED = `${WRAPPER.end}${WRAPPER.call}\n`;

/** The function expression V8 compiles for a CommonJS file, and where the file's text starts in it. */
export function moduleFunction(text: string): { source: string; columnOffset: number } {
  if (text.startsWith(WRAPPER.start) && text.endsWith(CALLED)) return { source: text.slice(0, text.length - WRAPPER.call.length - 1), columnOffset: 0 };
  // Any other CommonJS file, wrapped as Node would; stacks count its columns from its own first character.
  return { source: `${WRAPPER.start}${text}\n${WRAPPER.end}`, columnOffset: -WRAPPER.start.length };
}

/** The bytes of `file`, or undefined when it cannot be read (a missing code cache is no error). */
export function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/** Compiles a CommonJS file of dist/ with a code cache, if any (V8 says whether it took it). */
export function compileBundle(file: string, cachedData: Uint8Array | undefined): Script {
  // Lines and columns are the file's own, so that its source map (dist/*.map) applies to stacks
  // as they are.
  const { source, columnOffset } = moduleFunction(readFileSync(file, 'utf8'));
  return new Script(source, {
    filename: file,
    columnOffset,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
}

const builtins = new Map<string, unknown>();

/**
 * Node's built-in module `id` ('node:fs'), asked of Node once per process: its require does its
 * public-loader bookkeeping on every call (copying all of a module's exports to its ES module
 * facade), and the bundle requires node:fs and node:path some twenty times, once per source file.
 */
export function requireBuiltin(id: string): unknown {
  let exported = builtins.get(id);
  if (exported === undefined) {
    exported = require(id) as unknown;
    builtins.set(id, exported);
  }
  return exported;
}

/** Where the shipped code cache of a dist file (named relative to dist/) lives. */
export function shippedCodeCache(dist: string, name: string): string {
  return join(dist, name.replace(/\.cjs$/, '.codecache'));
}

export interface CodeCacheSource {
  /** The code cache to offer V8 for `name` (relative to dist/), or undefined. */
  read(name: string): Uint8Array | undefined;
  /** Told of every file compiled, once. */
  compiled?(name: string, script: Script): void;
}

export type LoadedModule = { exports: unknown };

/** The bundle's name in dist/ (the code caches name the files they describe relative to dist/). */
export const BUNDLE_NAME = 'rolemap.cjs';

/**
 * Runs a CommonJS file of `dist` that dist/rolemap loads itself (the bundle, dist/launch.cjs),
 * compiled as `script`: its require serves Node's modules, and anything else (the bundle's libs)
 * through the require `otherRequire` makes on first need (a hit requires no lib). Returns the
 * file's exports.
 */
export function runBundle(script: Script, file: string, dist: string, otherRequire: (fileModule: LoadedModule) => NodeJS.Require): unknown {
  const fileModule: LoadedModule = { exports: {} };
  let madeRequire: NodeJS.Require | undefined;
  const fileRequire = (id: string): unknown => (id.startsWith('node:') ? requireBuiltin(id) : (madeRequire ??= otherRequire(fileModule))(id));
  (script.runInThisContext() as ModuleFunction).call(fileModule.exports, fileModule.exports, fileRequire as NodeJS.Require, fileModule, file, dist);
  return fileModule.exports;
}

export interface Loader {
  /** Loads a file of dist/ (once) and returns its exports. */
  load(file: string): unknown;
  /** The require a file of dist/ gets. */
  requireFor(file: string): NodeJS.Require;
}

/**
 * Loads rolemap's own CommonJS files (dist/rolemap.cjs and dist/lib/*.cjs) as Node would, each
 * compiled with its code cache. Node's modules come from requireBuiltin, anything else
 * (dist/vendor) from Node's require. One instance per process: every file is loaded once, so `instanceof` holds across them.
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
      if (id.startsWith('node:')) return requireBuiltin(id);
      // The error classes: the hot bundle's own copy, so that there is one per process (instanceof)
      // and a hit reads no file for them; lib/errors.cjs only where no hot bundle is loaded.
      if (id === './errors.cjs' && dirname(file) === libDir) {
        const hot = loaded.get(join(dist, BUNDLE_NAME))?.exports as { errors?: unknown } | undefined;
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
