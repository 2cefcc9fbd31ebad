import * as path from 'node:path';
import type { TerragruntBinary } from './findTerragrunts';
import { makeSandbox, runScenario, TOFU_STUB, type Sandbox, type ScenarioRun } from './runScenario';
import { startEmulatorProcess, type EmulatorProcess } from './startEmulatorProcess';

export interface ScenarioHooks {
  emulator(): EmulatorProcess;
  /** A fresh sandbox per test. */
  sandbox(): Sandbox;
  /** `run --all <command>` with `workingDir` relative to the sandbox root. */
  runAll(command: 'plan' | 'apply', init: { workingDir: string; env: Record<string, string>; extra?: string[]; authCommand?: string }): Promise<ScenarioRun>;
  /** Any Terragrunt arguments, run in the sandbox root. */
  run(args: string[], init: { env: Record<string, string>; authCommand?: string }): Promise<ScenarioRun>;
}

/**
 * Registers the hooks of a scenario file for one Terragrunt: one emulator process for the file,
 * a fresh sandbox (tree, HOME, rolemap cache) per test.
 */
export function useScenario(binary: TerragruntBinary): ScenarioHooks {
  let emulator: EmulatorProcess | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
  });
  afterEach(() => sandbox?.cleanup());
  const hooks: ScenarioHooks = {
    emulator: () => {
      if (emulator === undefined) throw new Error('the emulator is not running');
      return emulator;
    },
    sandbox: () => {
      if (sandbox === undefined) throw new Error('no sandbox outside a test');
      return sandbox;
    },
    run: (args, init) =>
      runScenario({
        binary,
        emulator: hooks.emulator(),
        sandbox: hooks.sandbox(),
        args,
        env: init.env,
        ...(init.authCommand === undefined ? {} : { authCommand: init.authCommand }),
      }),
    runAll: (command, init) =>
      hooks.run(
        binary.dialect.runAll(command, {
          workingDir: path.join(hooks.sandbox().root, init.workingDir),
          tfPath: TOFU_STUB,
          ...(init.extra === undefined ? {} : { extra: init.extra }),
        }),
        init,
      ),
  };
  return hooks;
}
