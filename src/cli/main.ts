import { writeSync } from 'node:fs';
import { stripIssuedCredentials } from '../auth/stripIssuedCredentials';
import { homeDirectory } from '../onDemandOs';
import { EXIT_OK } from '../constants';
import { UsageError } from '../errors';

/** The error classes, served by dist/rolemap to the libs it loads (see src/launch.ts). */
export * as errors from '../errors';
import { createLogger, type FlushableLogger } from '../log/createLogger';
import { openCache } from './openCache';
import { osUserName } from './osUserName';
import { parseArgs, type Command } from './parseArgs';
import { readRolemapEnvironment } from './readRolemapEnvironment';
import { exitCodeOnFailure, runToExitCode, type CommandStdio } from './run';
import { exitProcess } from './exitProcess';
import type { RunDeps } from './RunDeps';

/** What this run was, as far as rolemap's own code caches care; set when the command is done. */
let outcome: { command: Command; code: number } | undefined;
/** Whether this run handed out credentials from the cache (RunDeps.onCacheHit). */
let servedACacheHit = false;

/**
 * Whether dist/rolemap may write this run's V8 code cache of the bundle (`bundle`) or of a lib it
 * loaded (`lib`) into the cache directory when it ends (under a Node or V8 flags the shipped ones
 * do not fit; src/launch.ts). V8 then accepts that cache on every later call, and rolemap never
 * rewrites a cache V8 accepts, so it must come from a run like the calls it will serve:
 * - none after a failure, which stopped part way, nor after `cache clear`, whose user asked for
 *   an empty directory;
 * - the bundle's only after a cache hit, as the shipped one is trained. One written after
 *   `rolemap --version` held almost none of a hit's functions, and every later hit compiled them;
 *   one written after a miss also holds the miss's own functions (README, "Counting
 *   instructions": under Node 22, 105.1 M and 95.6 M instructions a hit instead of 94.8 M);
 * - a lib's after any success: a lib holds the code of the command that loads it.
 */
export function keepCodeCache(file: 'bundle' | 'lib'): boolean {
  if (outcome === undefined || outcome.code !== EXIT_OK) return false;
  const { command } = outcome;
  if (command.name === 'cache' && command.action === 'clear') return false;
  return file === 'lib' || servedACacheHit;
}

/**
 * The entry point: turns argv and the environment into a command and its dependencies, runs it,
 * and exits with its code (see runToExitCode).
 */
async function main(): Promise<number> {
  const stdio: CommandStdio = { writeStdout, writeStderr: (text) => void process.stderr.write(text) };
  let logger: FlushableLogger | undefined;
  let prepared: { command: Command; deps: Omit<RunDeps, 'output'> };
  try {
    // Done first and in place: the AWS SDK's default chain reads process.env itself.
    const removed = stripIssuedCredentials(process.env);
    const rolemapEnv = readRolemapEnvironment(process.env);
    logger = createLogger({ level: rolemapEnv.logLevel, format: rolemapEnv.logFormat, write: writeStderr });
    if (removed) logger.debug('ignoring credentials that rolemap issued to an earlier call (dependency fetch)');
    const command = parseArgs(process.argv.slice(2));
    const deps = {
      env: process.env,
      rolemapEnv,
      cwd: currentDirectory(),
      homedir: homeDirectory(),
      uid: process.getuid?.() ?? -1,
      osUser: osUserName(process.env),
      now: Date.now,
      logger,
      notify: (message: string) => process.stderr.write(message.endsWith('\n') ? message : `${message}\n`),
      stderrIsTTY: () => process.stderr.isTTY === true,
      onCacheHit: () => {
        servedACacheHit = true;
      },
    };
    prepared = { command, deps };
  } catch (error) {
    return exitCodeOnFailure(error, logger, stdio);
  }
  const { command, deps } = prepared;
  // Awaited here, so that an unexpected error's stack reaches main (see test/cli/unexpectedError).
  const code = await runToExitCode(command, deps, () => openCache(deps), stdio);
  outcome = { command, code };
  return code;
}

function writeStderr(line: string): void {
  process.stderr.write(line);
}

/** The working directory; one that was deleted or moved away under the process is a usage error. */
function currentDirectory(): string {
  try {
    return process.cwd();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? 'The current directory no longer exists (it was deleted or moved after rolemap was started in it).'
        : `The current directory cannot be read (${code ?? 'unknown error'}).`,
      { hint: 'Run rolemap again from an existing unit directory (Terragrunt starts it in each unit).', cause: error },
    );
  }
}

/**
 * Writes straight to file descriptor 1: creating process.stdout would load Node's stream and
 * socket machinery, a noticeable share of a cache hit. A pipe that is non-blocking and full
 * (EAGAIN) falls back to the stream, which waits for room.
 */
function writeStdout(text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
    return Promise.resolve();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(error);
    const rest = bytes.subarray(written);
    return new Promise((resolve, reject) => process.stdout.write(rest, (e) => (e ? reject(e) : resolve())));
  }
}

void main().then(exitProcess);
