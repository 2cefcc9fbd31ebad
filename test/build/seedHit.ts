/**
 * Puts a credential for the unit given as argv[2] into the cache named by the environment
 * (ROLEMAP_CACHE_DIR), through rolemap's own resolver and store, so that the next call is a hit.
 * The keys are fake and never leave the test.
 */
import { describeBaseIdentity } from '../../src/auth/describeBaseIdentity';
import { cacheKeyParts } from '../../src/cache/cacheKeyParts';
import { createFileStore } from '../../src/cache/createFileStore';
import { openCacheDir } from '../../src/cache/openCacheDir';
import { writeCachedCredentials } from '../../src/cache/writeCachedCredentials';
import { readRolemapEnvironment } from '../../src/cli/readRolemapEnvironment';
import { resolveUnit } from '../../src/locate/resolveUnit';
import { createLogger } from '../../src/log/createLogger';
import { osUserName } from '../../src/cli/osUserName';

async function main(): Promise<void> {
  const unit = process.argv[2] ?? '';
  const env = process.env;
  const uid = process.getuid?.() ?? -1;
  const opened = openCacheDir({ dir: env['ROLEMAP_CACHE_DIR'] ?? '', uid });
  if (opened.status !== 'trusted') throw new Error(opened.why);
  const store = createFileStore({ dir: opened.dir, uid });
  // The compiled mapping file too, as the first call writes it.
  const compiledStore = { read: (id: string) => store.read('compiled', id), write: (id: string, value: unknown) => store.write('compiled', id, value) };
  const logger = createLogger({ level: 'silent', format: 'text', write: () => undefined });
  const { result } = await resolveUnit({ dir: unit, configFlag: undefined, modeFlag: undefined, fromEnv: readRolemapEnvironment(env), env, homedir: env['HOME'] ?? '', osUser: osUserName(env), compiledStore, logger });
  if (result.status !== 'matched' || result.request.auth === 'delegate') throw new Error('the unit did not resolve');
  writeCachedCredentials(
    store,
    cacheKeyParts(result.request, env, describeBaseIdentity(result.request, env)),
    {
      accessKeyId: 'ASIAHOTBUNDLESEED000',
      secretAccessKey: 'hot-bundle-seed',
      sessionToken: 'hot-bundle-seed',
      expiration: new Date(Date.now() + 3600_000).toISOString(),
      principalArn: `${result.request.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/seed`,
    },
    Date.now(),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`seedHit: ${String(error)}\n`);
  process.exitCode = 1;
});
