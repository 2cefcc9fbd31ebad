import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertDistIsCurrent } from './distIsCurrent';

describe('the guard that keeps the built binary tests on a current dist/', () => {
  let root: string;
  const at = (file: string, seconds: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), seconds, seconds);
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-dist-'));
    at('scripts/build.mjs', 1_000);
    at('src/cli/main.ts', 1_000);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes when dist/ was built after every source', () => {
    at('dist/rolemap', 2_000);
    expect(() => assertDistIsCurrent(root)).not.toThrow();
  });

  it('refuses a dist/ older than a source edited since, naming it and the fix', () => {
    at('dist/rolemap', 2_000);
    at('src/auth/fromAssumeRole.ts', 3_000);
    expect(() => assertDistIsCurrent(root)).toThrow(/dist\/ is older than src\/auth\/fromAssumeRole\.ts .*run `npm run build`/);
  });

  it('refuses a dist/ older than the build script', () => {
    at('dist/rolemap', 2_000);
    at('scripts/build.mjs', 3_000);
    expect(() => assertDistIsCurrent(root)).toThrow(/older than scripts\/build\.mjs/);
  });

  it('refuses a missing dist/', () => {
    expect(() => assertDistIsCurrent(root)).toThrow(/does not exist: run `npm run build`/);
  });
});
