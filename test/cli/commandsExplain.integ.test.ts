import * as path from 'node:path';
import { startEmulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { EXAMPLES_LIVE, makeSandbox, parseTerragruntJson, runRolemap } from './runRolemap';

// What explain says of a unit without AWS is tested in process (inprocess/commandsExplain.test.ts);
// here, the cache a real credentials run left behind.
describe('rolemap explain with a cached credential', () => {
  it('shows a cache hit and its time left, never the cached keys, and makes no AWS call', async () => {
    const emulator = await startEmulator();
    const sandbox = makeSandbox();
    try {
      const env = {
        ...sandbox.env,
        ...emulator.env(),
        AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
      };
      const cwd = path.join(EXAMPLES_LIVE, 'prod/us-east-1/app');
      const filled = await runRolemap([], { cwd, env });
      expect({ code: filled.code, stderr: filled.stderr }).toStrictEqual({ code: 0, stderr: '' });
      const creds = parseTerragruntJson(filled.stdout)['awsCredentials'] as Record<string, string>;
      emulator.resetCalls();

      const json = await runRolemap(['explain', '--json'], { cwd, env });
      const text = await runRolemap(['explain'], { cwd, env });
      const cache = (JSON.parse(json.stdout) as Record<string, unknown>)['cache'] as { status: string; expiresInSeconds: number };
      expect({ codes: [json.code, text.code], stderr: json.stderr + text.stderr, status: cache.status, calls: emulator.callCounts() }).toStrictEqual({
        codes: [0, 0],
        stderr: '',
        status: 'hit',
        calls: {},
      });
      // The emulator issues one-hour credentials; min_ttl is 900.
      expect(cache.expiresInSeconds).toBeGreaterThan(900);
      expect(cache.expiresInSeconds).toBeLessThanOrEqual(3600);
      // The text run came a moment later, so its seconds may differ from the JSON run's.
      expect(text.stdout.split('\n').filter((line) => line.startsWith('cache '))).toStrictEqual([
        expect.stringMatching(/^cache {11}hit, \d+s left$/),
      ]);
      const secrets = [creds['ACCESS_KEY_ID'], creds['SECRET_ACCESS_KEY'], creds['SESSION_TOKEN'], SEED_DEVELOPER.accessKeyId, SEED_DEVELOPER.secretAccessKey];
      for (const output of [json.stdout, text.stdout]) {
        expect(secrets.filter((s) => s !== undefined && output.includes(s))).toStrictEqual([]);
      }
    } finally {
      sandbox.cleanup();
      await emulator.close();
    }
  });
});
