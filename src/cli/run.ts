import { EXIT_OK, VERSION } from '../constants';
import type { Logger } from '../log/logger';
import type { FlushableLogger } from '../log/createLogger';
import type { CacheHandle, CommandContext } from './CommandContext';
import { runCredentials } from './commands/credentials';
import { exitCodeFor } from './exitCodeFor';
import { stdoutOutput } from './Output';
import type { Command } from './parseArgs';
import { formatError, isExpectedError } from './render/formatError';
import type { RunDeps } from './RunDeps';

export interface OpenCacheResult {
  cache: CacheHandle | undefined;
  disabledWhy: string | undefined;
}

/**
 * Runs one parsed command. Throws typed errors; the caller turns them into an exit code. Returns
 * the exit code of a command that has its own (exec: the code of the command it ran).
 */
export async function run(command: Command, deps: RunDeps, openCache: () => OpenCacheResult): Promise<number | void> {
  switch (command.name) {
    case 'version':
      deps.output.text(VERSION);
      return;
    case 'help':
      deps.output.text((await import('./helpText')).helpText(command.topic));
      return;
    case 'completion':
      deps.output.text((await import('./commands/completion')).completionScript(command.shell));
      return;
    default:
  }
  const { cache, disabledWhy } = openCache();
  const context: CommandContext = { deps, cache, cacheDisabledWhy: disabledWhy };
  switch (command.name) {
    case 'credentials':
      return runCredentials(command, context);
    // The other commands are loaded when used: Terragrunt only ever runs `credentials`.
    case 'credential-process':
      return (await import('./commands/credentialProcess')).runCredentialProcess(command, context);
    case 'exec':
      return (await import('./commands/exec')).runExec(command, context);
    case 'env':
      return (await import('./commands/env')).runEnv(command, context);
    case 'explain':
      return (await import('./commands/explain')).runExplain(command, context);
    case 'validate':
      return (await import('./commands/validate')).runValidate(command, context);
    case 'cache':
      return (await import('./commands/cache')).runCache(command, context);
    case 'login':
      return (await import('./commands/login')).runLogin(command, context);
    case 'logout':
      return (await import('./commands/logout')).runLogout(command, context);
  }
}

/**
 * Commands whose report is the point even when they fail (validate --units lists what is not
 * covered, then exits 2). Every other command, above all credentials, prints nothing on failure.
 */
const REPORT_ON_FAILURE: ReadonlySet<string> = new Set(['validate']);

/** Where a command's bytes go: the process's stdout and stderr, or a test's strings. */
export interface CommandStdio {
  /** Called once, with everything the command printed, when it is done. */
  writeStdout(text: string): Promise<void>;
  writeStderr(text: string): void;
}

/**
 * Runs one command the way the entry point does and returns the exit code. Nothing reaches
 * stdout on failure, because commands write their output only once, at the end, when they have
 * succeeded; a failure becomes one message on stderr and the exit code of its type.
 */
export async function runToExitCode(
  command: Command,
  deps: Omit<RunDeps, 'output'>,
  openCache: () => OpenCacheResult,
  stdio: CommandStdio,
): Promise<number> {
  const stdoutChunks: string[] = [];
  try {
    const code = await run(command, { ...deps, output: stdoutOutput((chunk) => stdoutChunks.push(chunk)) }, openCache);
    await deps.logger.flush();
    await stdio.writeStdout(stdoutChunks.join(''));
    return code ?? EXIT_OK;
  } catch (error) {
    return exitCodeOnFailure(error, deps.logger, stdio, REPORT_ON_FAILURE.has(command.name) ? stdoutChunks.join('') : '');
  }
}

/**
 * Turns a failure into its exit code: an unexpected error's stack in the log (debug level), the
 * log flushed, `stdout` (a report that is the point even on failure), then one message on stderr.
 */
export async function exitCodeOnFailure(error: unknown, logger: FlushableLogger | undefined, stdio: CommandStdio, stdout = ''): Promise<number> {
  if (logger !== undefined) await logUnexpected(error, logger);
  await logger?.flush();
  if (stdout !== '') await stdio.writeStdout(stdout);
  stdio.writeStderr(formatError(error));
  return exitCodeFor(error);
}

/**
 * At debug level, the stack of an unexpected error (a bug), its frames pointed at rolemap's
 * TypeScript sources through the bundles' source maps. The maps are read only here.
 */
async function logUnexpected(error: unknown, logger: Logger): Promise<void> {
  if (isExpectedError(error) || !(error instanceof Error) || error.stack === undefined || !logger.isEnabled('debug')) return;
  let stack = error.stack;
  try {
    stack = (await import('../log/sourceMappedStack')).sourceMappedStack(stack);
  } catch {
    // A damaged install: the stack as V8 wrote it is still worth reporting.
  }
  logger.debug('unexpected error', { stack });
}
