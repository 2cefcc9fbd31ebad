import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** homeDirectory() and os.homedir() in a Node started with `env` (jest's process.env is not the process's environment). */
function bothUnder(env: Record<string, string>): { ours: string; os: string } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "const { homeDirectory } = require('./src/onDemandOs'); process.stdout.write(JSON.stringify({ ours: homeDirectory(), os: require('node:os').homedir() }))"],
    { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { ours: string; os: string };
}

describe('homeDirectory, which spares a cache hit loading node:os', () => {
  it.each([['/home/someone'], [''], ['relative/home']])('is HOME as set (%j), as os.homedir() answers', (home) => {
    expect(bothUnder({ HOME: home })).toStrictEqual({ ours: home, os: home });
  });

  it("is the passwd entry's home when HOME is unset, as os.homedir() answers", () => {
    const { ours, os } = bothUnder({});
    expect(ours).toBe(os);
    expect(ours).toMatch(/^\//);
  });
});
