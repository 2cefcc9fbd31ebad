/** process.reallyExit: process.exit's last step, which ends the process with `code` at once. */
type ReallyExit = (code: number) => never;

/**
 * Ends the process with `code`, as process.exit does. process.exit emits 'exit' and then calls
 * process.reallyExit; when nothing listens to 'exit' (every call but those that write rolemap's
 * own code caches, src/launch/slowStart.ts), calling process.reallyExit directly spares a cache
 * hit the compilation of Node's exit path and its listener bookkeeping: about 0.4 M instructions
 * of the 15 M that a hit costs beyond `node -e 0`.
 *
 * process.reallyExit is undocumented (a note in Node's source says it should be documented or
 * replaced), but process.exit still ends by calling it in Node 20 to 24, and signal-exit (which
 * npm uses) patches it; where it is missing, process.exit runs.
 *
 * Exiting explicitly rather than letting the process end by itself: keep-alive sockets of the AWS
 * SDK must not hold the process open, and Node's teardown of an idle process costs a hit more
 * than process.exit does.
 */
export function exitProcess(code: number): never {
  const reallyExit = (process as unknown as { reallyExit?: ReallyExit }).reallyExit;
  if (typeof reallyExit === 'function' && process.listenerCount('exit') === 0) reallyExit.call(process, code);
  return process.exit(code);
}
