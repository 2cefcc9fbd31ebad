import * as fs from 'node:fs';
import { stripIssuedCredentials } from '../../src/auth/stripIssuedCredentials';
import { openCache } from '../../src/cli/openCache';
import { parseArgs } from '../../src/cli/parseArgs';
import { exitCodeOnFailure, runToExitCode, type CommandStdio } from '../../src/cli/run';
import type { RunDeps } from '../../src/cli/RunDeps';
import { createLogger } from '../../src/log/createLogger';
import type { LogLevel } from '../../src/log/logger';
import type { RolemapRun } from './runRolemap';
import { osUserName } from '../../src/cli/osUserName';
import { readRolemapEnvironment } from '../../src/cli/readRolemapEnvironment';

export interface RunInProcessOptions {
  /** The unit directory the command runs in (resolved as the kernel would report it). */
  cwd: string;
  /** The whole environment the command sees; HOME is its home directory. */
  env: Record<string, string | undefined>;
  /** The clock; the real one unless a test fixes it. */
  now?: () => number;
  /** The log level; ROLEMAP_LOG_LEVEL is parsed by the entry point, whose tests run the binary. */
  logLevel?: LogLevel;
}

/**
 * Runs one command in this process through the same path as dist/rolemap (parseArgs, then
 * runToExitCode, failures through exitCodeOnFailure), with stdout and stderr captured into
 * strings. For what a command prints and how it fails; what a real process does (its stdio,
 * signals, environment, locks between processes) is tested on the binary with runRolemap.
 */
export async function runInProcess(args: readonly string[], options: RunInProcessOptions): Promise<RolemapRun> {
  let stdout = '';
  let stderr = '';
  const stdio: CommandStdio = {
    writeStdout: (text) => {
      stdout += text;
      return Promise.resolve();
    },
    writeStderr: (text) => {
      stderr += text;
    },
  };
  const env: Record<string, string | undefined> = { ...options.env };
  stripIssuedCredentials(env);
  const logger = createLogger({ level: options.logLevel ?? 'warn', format: 'text', write: (line) => stdio.writeStderr(line) });
  const home = env['HOME'];
  if (home === undefined) throw new Error('runInProcess needs HOME in env (use makeSandbox)');
  const deps: Omit<RunDeps, 'output'> = {
    env,
    rolemapEnv: readRolemapEnvironment(env),
    cwd: fs.realpathSync(options.cwd),
    homedir: home,
    uid: process.getuid?.() ?? -1,
    // As the binary has it.
    osUser: osUserName(env),
    now: options.now ?? Date.now,
    logger,
    notify: (message) => stdio.writeStderr(message.endsWith('\n') ? message : `${message}\n`),
    stderrIsTTY: () => false,
  };
  let code: number;
  try {
    const command = parseArgs(args);
    code = await runToExitCode(command, deps, () => openCache(deps), stdio);
  } catch (error) {
    code = await exitCodeOnFailure(error, logger, stdio);
  }
  return { code, stdout, stderr };
}
