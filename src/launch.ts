/**
 * dist/rolemap: starts rolemap's bundle (dist/rolemap.cjs) with a V8 code cache, so that V8 skips
 * compiling the bundle and its functions, most of what a cache hit costs beyond starting Node.
 *
 * Two code caches:
 * - dist/rolemap.codecache, trained by `npm run build` on a cache hit. It sits beside the code it
 *   describes, so it is no more and no less trusted than the code. V8 accepts it only under the
 *   Node version and V8 flags that made it.
 * - rolemap's own, written into the user's cache directory when V8 rejects the shipped one
 *   (another Node version, V8 flags in NODE_OPTIONS such as --max-old-space-size) and used from
 *   the next call on. See userCodeCache.
 * A cache V8 rejects is ignored and the bundle compiles as usual: slower, never wrong.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { userCodeCache } from './userCodeCache';

/** The wrapper Node puts around a CommonJS module; training and launching must use the same one. */
function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Compiles the bundle at `file` with its code cache, if any, and returns the module function. */
export function compileBundle(file: string, cachedData: Buffer | undefined): { script: Script; run: () => void } {
  const script = new Script(wrapBundle(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const moduleFunction = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const bundleModule = { exports: {} };
  return {
    script,
    run: () => moduleFunction.call(bundleModule.exports, bundleModule.exports, createRequire(file), bundleModule, file, dirname(file)),
  };
}

/**
 * What the build wrote beside the bundle: the Node version that trained dist/rolemap.codecache
 * and the bundle's content hash (which names rolemap's own code caches). Injected by
 * scripts/build.mjs; undefined when this file runs from source.
 */
declare const ROLEMAP_BUILD: { node: string; bundleId: string } | undefined;

if (require.main === module) {
  const bundle = join(__dirname, 'rolemap.cjs');
  const build = typeof ROLEMAP_BUILD === 'object' ? ROLEMAP_BUILD : undefined;
  // The shipped cache fits only the Node that trained it, run without options; elsewhere look
  // for rolemap's own first (one failed open when there is none).
  const own = build === undefined ? undefined : userCodeCache({ bundleId: build.bundleId, builtWith: build.node });
  const ownData = own?.read();
  const compiled = compileBundle(bundle, ownData ?? readOptional(join(__dirname, 'rolemap.codecache')));
  if (own !== undefined && (compiled.script.cachedDataRejected !== false)) {
    // Written when the process ends, so that it holds every function this call compiled.
    process.once('exit', () => own.write(compiled.script));
  }
  compiled.run();
}
