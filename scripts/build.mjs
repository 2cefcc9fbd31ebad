// Bundles rolemap into dist/ with esbuild; dist/ runs with no node_modules.
//
// dist/rolemap is one CommonJS bundle of rolemap's own code: CommonJS because Node starts it
// without its ES module loader, which alone costs more than the whole cache-hit budget.
// Third-party libraries that only the slow path needs (the AWS SDK, yaml, minimatch, pino) are
// bundled separately under dist/vendor/ as ES modules with shared chunks, and loaded with
// import() when used. They hold none of rolemap's classes, so `instanceof` stays sound.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

/**
 * The AWS SDK: ES modules with shared chunks (the clients share most of their code), imported
 * with import() on a cache miss only. Every lazily imported SDK package must be listed here.
 */
const VENDOR_ESM = {
  '@aws-sdk/client-sts': 'client-sts',
  '@aws-sdk/client-sso': 'client-sso',
  '@aws-sdk/client-sso-oidc': 'client-sso-oidc',
  '@aws-sdk/credential-providers': 'credential-providers',
};
/**
 * Libraries of the config compiler and the logger: one CommonJS file each, required from inside
 * modules that esbuild initialises lazily (they are reached through import()), so a cache hit
 * neither reads nor compiles them.
 */
const VENDOR_CJS = { yaml: 'yaml', minimatch: 'minimatch', pino: 'pino' };

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/vendor', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Prefer packages' ES module builds: they tree-shake better.
  mainFields: ['module', 'main'],
};

const vendorSources = Object.fromEntries(Object.entries(VENDOR_ESM).map(([specifier, name]) => [name, specifier]));
await build({
  ...common,
  entryPoints: Object.entries(vendorSources).map(([name, specifier]) => ({ in: `vendor:${specifier}`, out: name })),
  outdir: 'dist/vendor',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: {
    // Some bundled CommonJS code calls require() for Node built-ins.
    js: "import { createRequire as __rolemapCreateRequire } from 'node:module'; const require = __rolemapCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'vendor-entries',
      setup(b) {
        b.onResolve({ filter: /^vendor:/ }, (args) => ({ path: args.path.slice('vendor:'.length), namespace: 'vendor' }));
        // Each vendor entry re-exports its package's named exports (the SDK's ES builds have no default).
        b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
          contents: `export * from ${JSON.stringify(args.path)};`,
          resolveDir: process.cwd(),
        }));
      },
    },
  ],
});

for (const [specifier, name] of Object.entries(VENDOR_CJS)) {
  await build({ ...common, entryPoints: [specifier], outfile: `dist/vendor/${name}.cjs`, format: 'cjs', mainFields: ['main', 'module'] });
}

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/rolemap',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [
    {
      name: 'vendor-imports',
      setup(b) {
        const names = [...Object.keys(VENDOR_ESM), ...Object.keys(VENDOR_CJS)];
        const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
        b.onResolve({ filter }, (args) => {
          const cjs = VENDOR_CJS[args.path];
          if (cjs !== undefined) return { path: `./vendor/${cjs}.cjs`, external: true };
          if (args.kind !== 'dynamic-import') {
            throw new Error(`${args.path} is imported statically by ${args.importer}; load it with await import() so the hot path stays light`);
          }
          return { path: `./vendor/${VENDOR_ESM[args.path]}.mjs`, external: true };
        });
      },
    },
  ],
});
chmodSync('dist/rolemap', 0o755);
// A marker so a reader of dist/ knows what it is, and `node dist/rolemap` needs nothing else.
writeFileSync('dist/package.json', JSON.stringify({ type: 'commonjs', private: true }) + '\n');

