import { homedir, userInfo } from 'node:os';
import { writeSync } from 'node:fs';
import { stripIssuedCredentials } from '../auth/stripIssuedCredentials';
import { EXIT_OK } from '../constants';
import { UsageError } from '../errors';
import { createLogger, type FlushableLogger } from '../log/createLogger';
import type { Logger } from '../log/logger';
import { exitCodeFor } from './exitCodeFor';
import { formatError, isExpectedError } from './render/formatError';
import { openCache } from './openCache';
import { stdoutOutput } from './Output';
import { parseArgs } from './parseArgs';
import { readRolemapEnvironment } from './readRolemapEnvironment';
import { run } from './run';

/**
 * The entry point: turns argv and the environment into a command, runs it, and maps any
 * failure to an exit code and one message on stderr. Nothing reaches stdout on failure,
 * because commands write their output only once, at the end, when they have succeeded.
 */
/**
 * Commands whose report is the point even when they fail (validate --units lists what is not
 * covered, then exits 2). Every other command, above all credentials, prints nothing on failure.
 */
const REPORT_ON_FAILURE: ReadonlySet<string> = new Set(['validate']);

async function main(): Promise<number> {
  let logger: FlushableLogger | undefined;
  let commandName: string | undefined;
  const stdoutChunks: string[] = [];
  try {
    // Done first and in place: the AWS SDK's default chain reads process.env itself.
    const removed = stripIssuedCredentials(process.env);
    const rolemapEnv = readRolemapEnvironment(process.env);
    logger = createLogger({ level: rolemapEnv.logLevel, format: rolemapEnv.logFormat, write: writeStderr });
    if (removed) logger.debug('ignoring credentials that rolemap issued to an earlier call (dependency fetch)');
    const command = parseArgs(process.argv.slice(2));
    commandName = command.name;
    const deps = {
      env: process.env,
      rolemapEnv,
      cwd: currentDirectory(),
      homedir: homedir(),
      uid: process.getuid?.() ?? -1,
      osUser: osUserName(),
      now: Date.now,
      logger,
      output: stdoutOutput((chunk) => stdoutChunks.push(chunk)),
      notify: (message: string) => process.stderr.write(message.endsWith('\n') ? message : `${message}\n`),
      stderrIsTTY: () => process.stderr.isTTY === true,
    };
    const code = await run(command, deps, () => openCache(deps));
    await logger.flush();
    await writeStdout(stdoutChunks.join(''));
    return code ?? EXIT_OK;
  } catch (error) {
    if (logger !== undefined) await logUnexpected(error, logger);
    await logger?.flush();
    if (commandName !== undefined && REPORT_ON_FAILURE.has(commandName)) await writeStdout(stdoutChunks.join(''));
    process.stderr.write(formatError(error));
    return exitCodeFor(error);
  }
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

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers may run as a uid with no passwd entry.
    return process.env['USER'] ?? `uid-${process.getuid?.() ?? 'unknown'}`;
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
