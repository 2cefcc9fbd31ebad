import * as fs from 'node:fs';
import * as path from 'node:path';
import { MALFORMED_MAPPINGS } from '../../fixtures/malformedMappings';
import { runInProcess } from '../runInProcess';
import { makeSandbox, type Sandbox } from '../sandbox';

describe('rolemap with a malformed mapping file', () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox();
  });
  afterAll(() => sandbox.cleanup());

  it('has at least 15 cases', () => {
    expect(MALFORMED_MAPPINGS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(MALFORMED_MAPPINGS.map((c) => [c.name, c] as const))('%s: exit 2, empty stdout, file:line:column on stderr', async (_name, malformed) => {
    const repo = fs.mkdtempSync(path.join(sandbox.home, 'repo-'));
    const unit = path.join(repo, 'live/dev/vpc');
    fs.mkdirSync(unit, { recursive: true });
    fs.writeFileSync(path.join(repo, 'rolemap.yaml'), malformed.yaml);
    const run = await runInProcess([], { cwd: unit, env: sandbox.env });
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain(`${path.join(fs.realpathSync(repo), 'rolemap.yaml')}:${malformed.line}:${malformed.column}:`);
    for (const fragment of malformed.messageIncludes) expect(run.stderr).toContain(fragment);
    expect(run.stderr).toContain('hint:');
  });
});
