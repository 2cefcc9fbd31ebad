import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTerragrunts } from './terragrunt/harness/findTerragrunts';

// How `npm run test:terragrunt` picks its Terragrunts, with fake binaries that print a version.
describe('findTerragrunts', () => {
  let dir: string;
  const fake = (name: string, versionLine: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\necho '${versionLine}'\n`, { mode: 0o755 });
    return file;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-find-tg-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('skips, saying how to name one, where no Terragrunt is named or on PATH', () => {
    expect(findTerragrunts({ PATH: dir })).toEqual({ skip: expect.stringContaining('set TERRAGRUNT_BIN') });
  });

  it('takes a release build, with its version', () => {
    const found = findTerragrunts({ TERRAGRUNT_BIN: fake('released', 'terragrunt version v1.1.3') });
    expect(found).toMatchObject({ binaries: [{ version: 'v1.1.3', dialect: { authCommandEnv: 'TG_AUTH_PROVIDER_CMD' } }] });
  });

  it('refuses a source build that calls itself "latest", and says how to get one that knows its version', () => {
    const unversioned = fake('unversioned', 'terragrunt version latest');
    expect(() => findTerragrunts({ TERRAGRUNT_BIN: unversioned })).toThrow(/without a version: terragrunt version latest\n.*`make build` in a git checkout of the tag/);
  });
});
