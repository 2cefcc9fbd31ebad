/**
 * The emulator in a process of its own, for tests that count STS calls while hundreds of rolemap
 * processes run: in jest's process it would share an event loop with the test's own work (pipes of
 * hundreds of children, timers) and answer late, and the client retries would show up as extra
 * calls that real STS never sees. Prints one JSON line {url, env} on stdout once it listens, and
 * stops when its stdin closes (the test ended, or died).
 *
 * Usage: node --import tsx emulatorProcess.ts
 */

import { startEmulator } from './server';

void (async () => {
  const emulator = await startEmulator();
  process.stdout.write(`${JSON.stringify({ url: emulator.url, env: emulator.env() })}\n`);
  process.stdin.resume();
  process.stdin.on('close', () => {
    void emulator.close().then(() => process.exit(0));
  });
})();
