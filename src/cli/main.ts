import { writeSync } from 'node:fs';
import { stripIssuedCredentials } from '../auth/stripIssuedCredentials';
import { homeDirectory } from '../onDemandOs';
import { UsageError } from '../errors';

/** The error classes, served by dist/rolemap to the libs it loads (see src/launch.ts). */
export * as errors from '../errors';
import { createLogger, type FlushableLogger } from '../log/createLogger';
import { openCache } from './openCache';
import { osUserName } from './osUserName';
import { parseArgs, type Command } from './parseArgs';
import { readRolemapEnvironment } from './readRolemapEnvironment';
import { exitCodeOnFailure, runToExitCode, type CommandStdio } from './run';
import type { RunDeps } from './RunDeps';

/**
 * Whether dist/rolemap may write this run's V8 code caches into the cache directory when it ends
 * (under a Node or V8 flags the shipped ones do not fit; src/launch.ts): not after `cache clear`,
 * whose user asked for an empty directory.
 */
let codeCachesWanted = true;
export function keepCodeCaches(): boolean {
  return codeCachesWanted;
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
    if (command.name === 'cache' && command.action === 'clear') codeCachesWanted = false;
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
    };
    prepared = { command, deps };
  } catch (error) {
    return exitCodeOnFailure(error, logger, stdio);
  }
  const { command, deps } = prepared;
  // Awaited here, so that an unexpected error's stack reaches main (see test/cli/unexpectedError).
  return await runToExitCode(command, deps, () => openCache(deps), stdio);
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

void main().then((code) => {
  // Exit explicitly: keep-alive sockets of the AWS SDK must not hold the process open.
  process.exit(code);
});
