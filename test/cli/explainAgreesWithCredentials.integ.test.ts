import * as fs from 'node:fs';
import * as path from 'node:path';

import { runCredentials } from '../../src/cli/commands/credentials';
import { runExplain } from '../../src/cli/commands/explain';
import type { CommandContext } from '../../src/cli/CommandContext';
import { openCache } from '../../src/cli/openCache';
import { readRolemapEnvironment } from '../../src/cli/readRolemapEnvironment';
import type { RunDeps } from '../../src/cli/RunDeps';
import { createLogger } from '../../src/log/createLogger';
import { startEmulator, type Emulator } from '../emulator';
import { developerEnv } from './fixtures/developerEnv';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { writeLiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';
import { osUserName } from '../../src/cli/osUserName';

const UNIT = 'prod/us-east-1/app';
const MIN_TTL_SECONDS = 900;
/** The clock both commands read; the cached entry's expiry is set relative to it. */
const NOW = Date.parse('2030-06-01T12:00:00.000Z');

/**
 * Issue 8 item 5: `explain` said "expiring" for a credential that `credentials` still served (it
 * floored the seconds left and compared with <=, against the < on milliseconds of the other).
 * Both commands run in-process here on one fixed clock, against one entry that dist/rolemap cached.
 */
describe('explain and credentials judge a cached credential alike near min_ttl', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let deps: RunDeps;
  let printed: string[];

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    const tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT], minTtlSeconds: MIN_TTL_SECONDS });
    printed = [];
    const env = developerEnv(sandbox, emulator);
    deps = {
      env,
      rolemapEnv: readRolemapEnvironment(env),
      cwd: tree.unitDir(UNIT),
      homedir: sandbox.home,
      uid: process.getuid?.() ?? 0,
      // As dist/rolemap names the user, so that the session name, and so the cache key, match its entry.
      osUser: osUserName(developerEnv(sandbox, emulator)),
      now: () => NOW,
      logger: createLogger({ level: 'silent', format: 'text', write: () => undefined }),
      output: { json: (value) => printed.push(JSON.stringify(value)), text: (value) => printed.push(value) },
      notify: () => undefined,
      stderrIsTTY: () => false,
    };
  });
  afterEach(() => {
    sandbox.cleanup();
  });

  function context(): CommandContext {
    const { cache, disabledWhy } = openCache(deps);
    return { deps, cache, cacheDisabledWhy: disabledWhy };
  }

  /**
   * Runs `credentials` in-process, returning the access key id it printed, or undefined when it
   * asked AWS instead (in-process, the SDK finds no base credentials: the environment is injected
   * only into rolemap, so a miss fails here rather than calling the emulator).
   */
  async function credentialsKeyId(): Promise<string | undefined> {
    printed = [];
    try {
      await runCredentials({ dir: undefined, mode: undefined, config: undefined }, context());
    } catch {
      return undefined;
    }
    const json = JSON.parse(printed[0] ?? '{}') as { awsCredentials?: { ACCESS_KEY_ID?: string } };
    return json.awsCredentials?.ACCESS_KEY_ID;
  }

  async function explainedStatus(): Promise<string> {
    printed = [];
    await runExplain({ dir: undefined, mode: undefined, config: undefined, json: true }, context());
    return (JSON.parse(printed[0] ?? '{}') as { cache?: { status?: string } }).cache?.status ?? '';
  }

  it.each([
    ['well over min_ttl', MIN_TTL_SECONDS * 1000 + 60_000],
    ['half a second over min_ttl', MIN_TTL_SECONDS * 1000 + 500],
    ['a millisecond over min_ttl', MIN_TTL_SECONDS * 1000 + 1],
    ['exactly min_ttl', MIN_TTL_SECONDS * 1000],
    ['a millisecond under min_ttl', MIN_TTL_SECONDS * 1000 - 1],
    ['a second left', 1000],
    ['expired', -1000],
  ])('with %s left: explain says "hit" exactly when credentials serves the cached entry', async (_case, leftMs) => {
    const first = await runRolemap([], { cwd: deps.cwd, env: deps.env });
    expect(first.code).toBe(0);
    const [entryFile] = listCacheFiles(sandbox.cacheDir).credentials;
    if (entryFile === undefined) throw new Error('no credential entry was written');
    const entry = JSON.parse(fs.readFileSync(entryFile, 'utf8')) as { credentials: { accessKeyId: string; expiration: string } };
    entry.credentials.expiration = new Date(NOW + leftMs).toISOString();
    fs.writeFileSync(entryFile, JSON.stringify(entry), { mode: 0o600 });

    const status = await explainedStatus();
    const served = (await credentialsKeyId()) === entry.credentials.accessKeyId;
    expect({ status, served }).toStrictEqual({ status: served ? 'hit' : expect.not.stringMatching(/^hit$/), served });
    expect(served).toBe(leftMs > MIN_TTL_SECONDS * 1000);
  });
});
