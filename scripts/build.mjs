// Bundles rolemap into dist/ with esbuild; dist/ runs with no node_modules.
//
//   dist/rolemap        the executable (src/launch.ts): loads dist/rolemap.cjs and, on demand, the
//                       libs, each with its V8 code cache
//   dist/launch.cjs     the executable's paths other than a cache hit on the Node that built dist/
//                       (src/launch/slowStart.ts): rolemap's own code caches and the libs' loader
//   dist/rolemap.cjs    CommonJS bundle of what a cache hit runs (CommonJS: Node starts it without
//                       its ES module loader, which alone costs more than the hit budget)
//   dist/rolemap.codecache
//                       V8's code cache of rolemap.cjs, trained on a cache hit and a miss at build time
//   dist/lib/*.cjs      rolemap's slow-path modules (config compiler, auth kinds, other commands, and
//                       the AWS SDK packages, bundled as CommonJS into the lib of the src/auth/sdk
//                       module that imports them), one file per
//                       module that the code loads with import(), found in esbuild's metafile;
//                       required on demand
//   dist/lib/*.codecache
//                       their V8 code caches, trained on a real miss against the local emulator
//   dist/lib/errors.cjs the error classes for the libs when no hot bundle is loaded; dist/rolemap
//                       serves the libs the hot bundle's own copy (which it exports), so that
//                       there is one copy per process and `instanceof` holds across files
//   dist/vendor/        yaml, minimatch and pino as CommonJS files
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/**
 * The AWS SDK packages rolemap imports: only by the modules in src/auth/sdk/, which
 * src/auth/loadSdk.ts loads with import(); so each package is bundled as CommonJS into the lib of
 * the module that imports it (the STS client's lib carries the environment-keys provider too),
 * and a call loads only the packages it uses.
 */
const VENDOR_ESM = {
  '@aws-sdk/client-sts': 'client-sts',
  '@aws-sdk/client-sso': 'client-sso',
  '@aws-sdk/client-sso-oidc': 'client-sso-oidc',
  '@aws-sdk/credential-providers': 'credential-providers',
  '@aws-sdk/credential-provider-env': 'credential-provider-env',
  '@smithy/core/config': 'smithy-core-config',
};
/** Libraries of the config compiler and the logger. */
const VENDOR_CJS = { yaml: 'yaml', minimatch: 'minimatch', pino: 'pino' };

const HOT_ENTRY = resolve('src/cli/main.ts');
const ERRORS = resolve('src/errors.ts');
const SDK_DIR = resolve('src/auth/sdk') + '/';
/**
 * Clients whose default credential chain rolemap never runs (it gives them credentials, or their
 * calls are unsigned): their import of it resolves to a stand-in that fails if it ever were run.
 */
const WITHOUT_DEFAULT_CHAIN = ['@aws-sdk/client-sts', '@aws-sdk/client-sso-oidc'];
const NO_DEFAULT_CHAIN = resolve('src/auth/sdk/noDefaultCredentials.ts');
/** The SDK's CRC32 module, whose import of node:zlib resolves to a stand-in that loads zlib when first called. */
const CRC32_NODE = /\/@smithy\/core\/dist-[a-z]+\/submodules\/checksum\/crc32\/Crc32Node\.js$/;
const ZLIB_CRC32_ON_DEMAND = resolve('src/auth/sdk/zlibCrc32OnDemand.ts');
/**
 * The SDK's shared-config file loader, whose import of node:fs/promises resolves to functions that
 * load it when first called (src/onDemandFsPromises.ts).
 */
const SHARED_INI_LOADER = /\/@smithy\/core\/dist-[a-z]+\/submodules\/config\/shared-ini-file-loader\//;
const FS_PROMISES_ON_DEMAND = resolve('src/onDemandFsPromises.ts');
/** What the SDK libs' free references to the global `crypto` resolve to (esbuild's inject). */
const NODE_CRYPTO_GLOBAL = resolve('src/auth/sdk/nodeCryptoGlobal.ts');

/**
 * rolemap's slow-path modules, each built as dist/lib/<name>.cjs: every module of src/ that the
 * hot bundle, or a lib, loads with import() (or require()), found in esbuild's metafile of a
 * bundle that keeps those loads external. No hand-kept list: a new `await import('./x')` becomes
 * a lib by itself.
 */
async function discoverLibs() {
  const libs = new Set();
  const queue = [HOT_ENTRY];
  while (queue.length > 0) {
    const entry = queue.shift();
    const { metafile } = await build({
      ...common,
      entryPoints: [entry],
      write: false,
      sourcemap: false,
      metafile: true,
      format: 'cjs',
      plugins: [
        {
          name: 'keep-lazy-loads-external',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
            b.onResolve({ filter: /^\.\.?\// }, (args) => {
              if (args.kind !== 'dynamic-import' && args.kind !== 'require-call') return undefined;
              return { path: sourceFile(args.resolveDir, args.path), external: true };
            });
          },
        },
      ],
    });
    for (const input of Object.values(metafile.inputs)) {
      for (const imported of input.imports) {
        if (!imported.external || !imported.path.startsWith(resolve('src')) || libs.has(imported.path)) continue;
        libs.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  libs.delete(ERRORS);
  return [...libs].sort();
}

function sourceFile(dir, specifier) {
  const target = resolve(dir, specifier);
  return target.endsWith('.ts') ? target : `${target}.ts`;
}

/**
 * What the hot bundle (a cache hit) must never reach, loaded or bundled: third-party code, and
 * the Node modules that cost a noticeable share of a hit. It may reach them only through a lib.
 */
export const HOT_FORBIDDEN = ['node:crypto', 'crypto', 'node:util', 'util', 'pino', 'yaml', 'minimatch', '@aws-sdk/', '@smithy/'];

/**
 * The problems of a hot-bundle metafile: every input from node_modules and every import, static
 * or lazy, of a forbidden module or of dist/vendor. Empty when the bundle is clean.
 */
export function hotBundleProblems(metafile) {
  const problems = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.includes('node_modules/')) problems.push(`${file} is bundled into the hot bundle`);
    for (const imported of input.imports) {
      const target = imported.original ?? imported.path;
      const forbidden = HOT_FORBIDDEN.find((name) => target === name || (name.endsWith('/') && target.startsWith(name)));
      if (forbidden !== undefined || imported.path.includes('vendor/')) {
        problems.push(`${file} imports ${target} (${imported.kind}); move that code into a module loaded with await import()`);
      }
    }
  }
  return problems;
}



const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Prefer packages' ES module builds: they tree-shake better.
  mainFields: ['module', 'main'],
  // <file>.map beside every output, with no sourceMappingURL comment and no sources: nothing to
  // parse or load on a normal call. Only the debug log of an unexpected error reads them
  // (src/log/sourceMappedStack.ts), to name src/…/*.ts:line in its stack.
  sourcemap: 'external',
  sourcesContent: false,
};

const libName = (file) => basename(file, '.ts');

/**
 * The files dist/rolemap compiles itself (src/launch/loader.ts) are written inside Node's
 * CommonJS wrapper and called with Node's arguments, so that the loader compiles the text as read
 * and Node can still require them.
 */
const WRAPPER = JSON.parse(readFileSync('src/launch/commonJsWrapper.json', 'utf8'));
const LOADED = { banner: { js: WRAPPER.start }, footer: { js: `${WRAPPER.end}${WRAPPER.call}` } };

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve('scripts/build.mjs')) await main();

async function main() {
  const LIBS = await discoverLibs();
  rmSync('dist', { recursive: true, force: true });
  mkdirSync('dist/lib', { recursive: true });


  /**
   * Resolves imports between the pieces above. `from` is where the importing output file lives,
   * relative to dist/ ('.' for dist/rolemap, 'lib' for dist/lib/*.cjs).
   */
  function linkPieces(from, { allowStaticLibs }) {
    const up = from === '.' ? './' : '../';
    const here = from === '.' ? './lib/' : './';
    return {
      name: 'link-pieces',
      setup(b) {
        b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) =>
          WITHOUT_DEFAULT_CHAIN.some((client) => args.importer.includes(`/node_modules/${client}/`)) ? { path: NO_DEFAULT_CHAIN } : undefined,
        );
        b.onResolve({ filter: /^(node:)?zlib$/ }, (args) => (CRC32_NODE.test(args.importer) ? { path: ZLIB_CRC32_ON_DEMAND } : undefined));
        b.onResolve({ filter: /^(node:)?fs\/promises$/ }, (args) => (SHARED_INI_LOADER.test(args.importer) ? { path: FS_PROMISES_ON_DEMAND } : undefined));
        const vendor = new RegExp(
          `^(${[...Object.keys(VENDOR_ESM), ...Object.keys(VENDOR_CJS)].map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`,
        );
        b.onResolve({ filter: vendor }, (args) => {
          // Inside a bundled package, imports are the package's own business.
          if (args.importer.includes('/node_modules/')) return undefined;
          const cjs = VENDOR_CJS[args.path];
          if (cjs !== undefined) return { path: `${up}vendor/${cjs}.cjs`, external: true };
          if (!resolve(args.importer).startsWith(SDK_DIR)) {
            throw new Error(`${args.path} is imported by ${args.importer}; the SDK enters only through src/auth/sdk/ (loaded by src/auth/loadSdk.ts)`);
          }
          if (from === '.') throw new Error(`${args.path} is reachable from the hot bundle through ${args.importer}; move that code into a lib`);
          // Bundled into its src/auth/sdk lib as CommonJS: with the lib's code cache, V8 compiles none of it.
          return undefined;
        });
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const target = resolve(args.resolveDir, args.path);
          const file = target.endsWith('.ts') ? target : `${target}.ts`;
          // The hot bundle holds the error classes itself and exports them (src/cli/main.ts);
          // libs require ./errors.cjs, which dist/rolemap serves from the hot bundle.
          if (file === ERRORS && args.importer !== ERRORS && from !== '.') return { path: `${here}errors.cjs`, external: true };
          if (LIBS.includes(file) && (args.kind === 'dynamic-import' || args.kind === 'require-call') && resolve(args.importer) !== file) {
            return { path: `${here}${libName(file)}.cjs`, external: true };
          }
          if (LIBS.includes(file) && !allowStaticLibs && args.kind !== 'entry-point') {
            throw new Error(`${file} is a lib but ${args.importer} imports it statically`);
          }
          return undefined;
        });
      },
    };
  }

  for (const [specifier, name] of Object.entries(VENDOR_CJS)) {
    await build({ ...common, entryPoints: [specifier], outfile: `dist/vendor/${name}.cjs`, format: 'cjs', mainFields: ['main', 'module'] });
  }

  await build({ ...common, ...LOADED, entryPoints: [ERRORS], outfile: 'dist/lib/errors.cjs', format: 'cjs' });

  for (const lib of LIBS) {
    await build({
      ...common,
      ...LOADED,
      entryPoints: [lib],
      outfile: `dist/lib/${libName(lib)}.cjs`,
      format: 'cjs',
      // import() becomes require(): the SDK is bundled in, and dist/rolemap loads libs with their code caches.
      supported: { 'dynamic-import': false },
      ...(resolve(lib).startsWith(SDK_DIR) ? { inject: [NODE_CRYPTO_GLOBAL] } : {}),
      plugins: [linkPieces('lib', { allowStaticLibs: true })],
    });
  }

  const hot = await build({
    ...common,
    ...LOADED,
    entryPoints: [HOT_ENTRY],
    outfile: 'dist/rolemap.cjs',
    format: 'cjs',
    metafile: true,
    // import() of a lib becomes require(): no ES module loader on the hot path.
    supported: { 'dynamic-import': false },
    plugins: [linkPieces('.', { allowStaticLibs: false })],
  });
  const problems = hotBundleProblems(hot.metafile);
  if (problems.length > 0) throw new Error(`the hot bundle reaches what a cache hit must not load:\n  ${problems.join('\n  ')}`);

  // The executable: starts dist/rolemap.cjs with the code cache trained below. It knows the
  // bundle's content hash (rolemap's own code caches are named by it) and the Node that trains.
  const code = createHash('sha256').update(readFileSync('dist/rolemap.cjs'));
  for (const name of readdirSync('dist/lib').sort()) code.update(name).update(readFileSync(`dist/lib/${name}`));
  const ROLEMAP_BUILD = { node: process.version, bundleId: code.digest('hex') };
  // What the executable leaves out: the paths other than a hit under this Node (src/launch/slowStart.ts).
  await build({ ...common, ...LOADED, entryPoints: ['src/launch/slowStart.ts'], outfile: 'dist/launch.cjs', format: 'cjs' });
  await build({
    ...common,
    entryPoints: ['src/launch.ts'],
    outfile: 'dist/rolemap',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // Two strings, not one object: esbuild puts an object define behind a lazy initialiser that
    // every module of the launcher calls.
    define: { ROLEMAP_BUILD_NODE: JSON.stringify(ROLEMAP_BUILD.node), ROLEMAP_BUILD_ID: JSON.stringify(ROLEMAP_BUILD.bundleId) },
  });
  chmodSync('dist/rolemap', 0o755);

  // dist/rolemap.codecache: V8's code cache of dist/rolemap.cjs after a cache hit.
  const trained = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/trainCodeCache.ts'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (trained.status !== 0) throw new Error('training the code cache failed (see above)');
  // `rolemapBuild`: which Node trained the shipped code caches, for the tests of dist/ (dist/rolemap
  // has it inlined and exports nothing: exports would cost every call esbuild's export helpers).
  writeFileSync('dist/package.json', JSON.stringify({ type: 'commonjs', private: true, rolemapBuild: { node: ROLEMAP_BUILD.node } }) + '\n');
}
