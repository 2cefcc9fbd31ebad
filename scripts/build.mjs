// Bundles rolemap into dist/ with esbuild. The entry (dist/rolemap) holds only what a cache hit
// needs; the AWS SDK, the YAML parser, minimatch and pino land in chunks that are imported
// only when used, so the hot path never parses them. dist/ runs with no node_modules.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');

await build({
  entryPoints: { rolemap: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer packages' ES module builds: they tree-shake, and a dynamic import() of them yields
  // their named exports (a CommonJS build would arrive as a single `default`).
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    js: "import { createRequire as __rolemapCreateRequire } from 'node:module'; const require = __rolemapCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Extension-less entry: dist/package.json makes Node treat the .js chunks and it as ES modules.
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }) + '\n');
renameSync('dist/rolemap.js', 'dist/rolemap');
const { readFileSync } = await import('node:fs');
writeFileSync('dist/rolemap', '#!/usr/bin/env node\n' + readFileSync('dist/rolemap', 'utf8'));
chmodSync('dist/rolemap', 0o755);
