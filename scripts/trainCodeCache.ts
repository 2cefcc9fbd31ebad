/**
 * Writes dist/rolemap.codecache: the V8 code cache of dist/rolemap.cjs after a real cache-hit run,
 * so that it holds the bytecode of every function a hit calls (run by scripts/build.mjs).
 *
 * The hit is staged with rolemap's own modules, in a temporary directory: a mapping file, its
 * compiled form and a cached credential (fake keys that never leave this process) for the unit.
 * Then the bundle runs in this process exactly as dist/rolemap starts it, and its cache is saved.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Script } from 'node:vm';
import { describeBaseIdentity } from '../src/auth/describeBaseIdentity';
import { cacheKeyParts } from '../src/cache/cacheKeyParts';
import { createFileStore } from '../src/cache/createFileStore';
import { openCacheDir } from '../src/cache/openCacheDir';
import { writeCachedCredentials } from '../src/cache/writeCachedCredentials';
import { compileBundle } from '../src/launch';
import { resolveUnit } from '../src/locate/resolveUnit';
import { createLogger } from '../src/log/createLogger';

const DIST = resolve(__dirname, '..', 'dist');

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'rolemap-train-'));
  try {
    const unit = join(root, 'live', 'app');
    mkdirSync(unit, { recursive: true });
    writeFileSync(
      join(root, 'live', 'rolemap.yaml'),
      'version: 1\naccounts:\n  dev: "111111111111"\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app"]\n    account: dev\n    role: terragrunt\n',
    );
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: join(root, 'home'),
      ROLEMAP_CACHE_DIR: join(root, 'cache'),
      AWS_ACCESS_KEY_ID: 'AKIATRAININGONLY0000',
      AWS_SECRET_ACCESS_KEY: 'training-only',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const opened = openCacheDir({ dir: env['ROLEMAP_CACHE_DIR'] ?? '', uid: process.getuid?.() ?? -1 });
    if (opened.status !== 'trusted') throw new Error(opened.why);
    const store = createFileStore({ dir: opened.dir, uid: process.getuid?.() ?? -1 });
    const logger = createLogger({ level: 'silent', format: 'text', write: () => undefined });
    const compiledStore = { read: (id: string) => store.read('compiled', id), write: (id: string, v: unknown) => store.write('compiled', id, v) };
    const { result } = await resolveUnit({ dir: unit, configFlag: undefined, modeFlag: undefined, env, homedir: env['HOME'] ?? '', osUser: process.env['USER'] ?? 'root', compiledStore, logger });
    if (result.status !== 'matched' || result.request.auth === 'delegate') throw new Error('training unit did not resolve');
    writeCachedCredentials(
      store,
      cacheKeyParts(result.request, env, describeBaseIdentity(result.request, env)),
      {
        accessKeyId: 'ASIATRAININGONLY0000',
        secretAccessKey: 'training-only',
        sessionToken: 'training-only',
        expiration: new Date(Date.now() + 3600_000).toISOString(),
        principalArn: 'arn:aws:sts::111111111111:assumed-role/terragrunt/training',
      },
      Date.now(),
    );

    // The hit itself, as dist/rolemap runs it. Its exit is caught so that the cache can be saved.
    let trained: Script | undefined;
    const code = await new Promise<number>((done) => {
      process.env = env;
      process.chdir(unit);
      process.argv = [process.argv[0] ?? 'node', join(DIST, 'rolemap')];
      process.exit = ((exitCode?: number) => done(exitCode ?? 0)) as typeof process.exit;
      const bundle = compileBundle(join(DIST, 'rolemap.cjs'), undefined);
      bundle.run();
      trained = bundle.script;
    });
    if (code !== 0 || trained === undefined) throw new Error(`the training hit exited ${code}`);
    writeFileSync(join(DIST, 'rolemap.codecache'), trained.createCachedData());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`trainCodeCache: ${String(error)}\n`);
  process.exitCode = 1;
});
