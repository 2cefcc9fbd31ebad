import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `script` (which has `exitProcess` in scope) in its own Node; returns its exit status and output. */
function run(script: string): { status: number | null; stdout: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `const { exitProcess } = require('./src/cli/exitProcess'); ${script}`], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
  });
  return { status: child.status, stdout: child.stdout };
}

describe('exitProcess, the way every rolemap call ends', () => {
  it('ends the process at once with the code, like process.exit, when nothing listens to exit', () => {
    expect(run("setTimeout(() => process.stdout.write('still running'), 5000); exitProcess(7);")).toStrictEqual({ status: 7, stdout: '' });
  });

  it("still runs 'exit' listeners (they write rolemap's own code caches) when there are some", () => {
    expect(run("process.on('exit', (code) => process.stdout.write(`exit listener saw ${code}`)); exitProcess(3);")).toStrictEqual({
      status: 3,
      stdout: 'exit listener saw 3',
    });
  });
});
