/**
 * dist/rolemap: starts rolemap's bundle (dist/rolemap.cjs) with the V8 code cache that the build
 * trained on a cache-hit run (dist/rolemap.codecache). Compiling the bundle and its functions is
 * most of what a cache hit costs beyond starting Node; with the code cache V8 skips it.
 *
 * The code cache is built by `npm run build` and sits beside the code it describes, so it is no
 * more and no less trusted than the code. V8 checks it against the source and its own version and
 * flags; a cache it rejects (another Node version) is ignored and the bundle compiles as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

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

if (require.main === module) {
  const bundle = join(__dirname, 'rolemap.cjs');
  compileBundle(bundle, readOptional(join(__dirname, 'rolemap.codecache'))).run();
}
