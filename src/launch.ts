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
 *
 * This file is the fast path only: a cache hit on the Node that built dist/. It has no code cache
 * of its own, and V8 parses all of it on every call, so everything else (rolemap's own code
 * caches, the loader of libs) is in dist/launch.cjs (src/launch/slowStart.ts), compiled on demand.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { sep } from 'node:path';
import { BUNDLE_NAME, compileBundle, runBundle } from './launch/loader';
import { readExactly } from './readExactly';
import type * as SlowStart from './launch/slowStart';

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

/**
 * dist/launch.cjs, beside this file in dist/, compiled and run as the bundle is (Node's require
 * would first resolve, stat and realpath it). It requires only Node's modules: esbuild bundles
 * the rest into it.
 */
function slowStart(): typeof SlowStart {
  const file = `${__dirname}${sep}launch.cjs`;
  return runBundle(compileBundle(file, undefined), file, __dirname, () => require) as typeof SlowStart;
}

if (require.main === module) {
  // __dirname is absolute and normalised, so joining by hand gives path.join's result, without
  // compiling path.join's code on a hit that does not otherwise call it this early.
  const dist = __dirname;
  const bundle = `${dist}${sep}${BUNDLE_NAME}`;
  // Every option that reaches V8: a code cache fits only the Node version and the options that made it.
  const v8Options = `${process.execArgv.join(' ')}|${process.env['NODE_OPTIONS'] ?? ''}`;
  if (build !== undefined && process.version === build.node && v8Options === '|') {
    // The shipped caches fit (the Node that trained them, run without options): the common case,
    // kept to straight-line code, since V8 compiles each function here on its first call
    // (shippedCodeCache(dist, BUNDLE_NAME) and readOptional are written out).
    let cachedData: Uint8Array | undefined;
    try {
      const fd = openSync(`${dist}${sep}rolemap.codecache`, 'r');
      try {
        cachedData = readExactly(fd, fstatSync(fd).size);
      } finally {
        closeSync(fd);
      }
    } catch {
      cachedData = undefined;
    }
    // On a miss the bundle requires the libs, which load with their shipped code caches.
    runBundle(compileBundle(bundle, cachedData), bundle, dist, (bundleModule) => slowStart().shippedLibRequire(dist, bundle, bundleModule));
  } else {
    slowStart().startWithOwnCodeCache(dist, bundle, v8Options, build);
  }
}
