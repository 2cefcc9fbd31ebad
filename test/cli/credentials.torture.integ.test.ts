import * as fs from 'node:fs';
import * as path from 'node:path';

import { SEED_DEVELOPER, seedRoleArn } from '../emulator/seed';
import { startEmulatorProcess, type EmulatorProcess } from '../emulator/startEmulatorProcess';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap, type StartedRolemap } from './fixtures/startRolemap';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, type RolemapRun, type Sandbox } from './runRolemap';

/**
 * Issue 8, "torture": lock holders are killed with SIGKILL at random points, and locks that an
 * older rolemap left empty or half-written (killed between creating and writing them) are planted;
 * the next wave must still complete, quickly, with one AssumeRole per role.
 *
 * Seeded: set ROLEMAP_TORTURE_SEED to replay a run; the seed is in the test's name and printed.
 */
const SEED = Number(process.env['ROLEMAP_TORTURE_SEED'] ?? Date.now() % 1_000_000);
const ROUNDS = 3;
const CALLS_PER_ROLE = 4;
const UNITS = ['dev/a/app', 'stage/a/app', 'prod/a/app'];
/**
 * How long a wave after the killing may take: far below the 75 s a stale lock used to cost,
 * far above the few seconds it needs on a loaded machine.
 */
const WAVE_BOUND_MS = 45_000;

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`dist/rolemap credentials under kill -9 of lock holders (torture, seed ${SEED})`, () => {
  let emulator: EmulatorProcess;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;

  beforeAll(async () => {
    process.stderr.write(`torture test seed: ${SEED} (replay with ROLEMAP_TORTURE_SEED=${SEED})\n`);
    emulator = await startEmulatorProcess();
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: UNITS });
    env = { ...sandbox.env, ...emulator.env(), AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey };
  });
  afterAll(async () => {
    await emulator.close();
    sandbox.cleanup();
  });

  function wave(timeoutMs: number): Array<{ unit: string; started: StartedRolemap }> {
    return UNITS.flatMap((unit) =>
      Array.from({ length: CALLS_PER_ROLE }, () => ({ unit, started: startRolemap([], { cwd: tree.unitDir(unit), env, nice: 10, timeoutMs }) })),
    );
  }

  it(`survives ${ROUNDS} rounds of killed holders and planted half-written locks`, async () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < ROUNDS; round += 1) {
      // A fresh start for every role: no cached credentials, so each must take its lock and ask STS.
      for (const file of listCacheFiles(sandbox.cacheDir).credentials) fs.rmSync(file);
      await emulator.reset();
      // Some holders hang on STS, so that the killing finds them holding their lock.
      await emulator.hangNext(Math.floor(random() * UNITS.length) + 1, 'AssumeRole');

      // Chaos: a wave whose members are SIGKILLed at random moments, holders or waiters alike.
      const chaos = wave(30_000);
      const killers = chaos.map(({ started }) => {
        const delayMs = Math.floor(random() * 1500);
        const kill = random() < 0.75;
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            if (kill) started.child.kill('SIGKILL');
            resolve();
          }, delayMs),
        );
      });
      await Promise.all(killers);
      // The survivors may still be waiting on a hung holder: stop them too, as Terragrunt would on abort.
      for (const { started } of chaos) started.child.kill('SIGKILL');
      await Promise.all(chaos.map(({ started }) => started.done));

      // What an older rolemap killed between open(O_EXCL) and write() left: empty or partial lock files.
      for (const lock of listCacheFiles(sandbox.cacheDir).locks) {
        const choice = random();
        if (choice < 0.3) fs.writeFileSync(lock, '');
        else if (choice < 0.6) fs.writeFileSync(lock, '{"pid":');
      }
      for (const file of listCacheFiles(sandbox.cacheDir).credentials) fs.rmSync(file);
      await emulator.reset();

      // The next wave: everyone answers within the bound, one AssumeRole per role, one credential per role.
      const next = wave(WAVE_BOUND_MS);
      const runs: Array<{ unit: string; run: RolemapRun }> = await Promise.all(next.map(async ({ unit, started }) => ({ unit, run: await started.done })));

      expect({ round, failed: runs.filter(({ run }) => run.code !== 0).map(({ unit, run }) => ({ unit, code: run.code, stderr: run.stderr })) }).toStrictEqual({ round, failed: [] });
      const perRole: Record<string, number> = {};
      for (const call of await emulator.callLog()) {
        if (call.action === 'AssumeRole') perRole[call.roleArn ?? '?'] = (perRole[call.roleArn ?? '?'] ?? 0) + 1;
      }
      const expected = Object.fromEntries(UNITS.map((unit) => [seedRoleArn(LIVE_TREE_ACCOUNTS[unit.split('/')[0] ?? ''] ?? '?', 'terragrunt-plan'), 1]));
      expect({ round, perRole }).toStrictEqual({ round, perRole: expected });
      for (const unit of UNITS) {
        const keys = new Set(runs.filter((r) => r.unit === unit).map(({ run }) => printedCredentials(run.stdout).ACCESS_KEY_ID));
        expect({ round, unit, distinctCredentials: keys.size }).toStrictEqual({ round, unit, distinctCredentials: 1 });
      }
    }
  }, ROUNDS * (WAVE_BOUND_MS + 40_000));
});
