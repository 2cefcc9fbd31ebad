import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLES_LIVE, makeSandbox, runRolemap } from './runRolemap';

const DIST = path.resolve(__dirname, '../../dist');

describe('dist/rolemap.codecache (the V8 code cache trained at build time)', () => {
  it('is accepted by this Node for dist/rolemap.cjs, exactly as dist/rolemap loads it', () => {
    // Run in a fresh process: V8 accepts a cache only under the flags it was made with.
    const check = spawnSync(
      process.execPath,
      [
        '-e',
        `const { compileBundle } = require(${JSON.stringify(path.join(DIST, 'rolemap'))});
         const fs = require('fs');
         const { script } = compileBundle(${JSON.stringify(path.join(DIST, 'rolemap.cjs'))}, fs.readFileSync(${JSON.stringify(path.join(DIST, 'rolemap.codecache'))}));
         process.stdout.write(String(script.cachedDataRejected));`,
      ],
      { encoding: 'utf8' },
    );
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toStrictEqual({ status: 0, stdout: 'false', stderr: '' });
  });

  it.each([
    ['missing', (file: string) => fs.rmSync(file)],
    ['corrupt', (file: string) => fs.writeFileSync(file, Buffer.from('not a code cache'))],
  ])('when %s, rolemap still starts and answers the same', async (_case, spoil) => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-dist-'));
    const sandbox = makeSandbox();
    try {
      fs.cpSync(DIST, copy, { recursive: true });
      spoil(path.join(copy, 'rolemap.codecache'));
      const args = ['explain', '--json', path.join(EXAMPLES_LIVE, 'prod/us-east-1/app')];
      const expected = await runRolemap(args, { cwd: sandbox.home, env: sandbox.env });
      const run = spawnSync(process.execPath, [path.join(copy, 'rolemap'), ...args], { cwd: sandbox.home, env: sandbox.env, encoding: 'utf8' });
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toStrictEqual({ status: 0, stdout: expected.stdout, stderr: '' });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      sandbox.cleanup();
    }
  });
});
