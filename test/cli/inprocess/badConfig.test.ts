import { escapeRegExp, expectNoBug, mapping, repoWith } from '../fixtures/badInput';
import { parseTerragruntJson } from '../fixtures/parseTerragruntJson';
import { runInProcess } from '../runInProcess';
import type { RolemapRun } from '../runRolemap';
import { makeSandbox, type Sandbox } from '../sandbox';

/**
 * Bad mapping files (issue 8, items 8, 9 and 12), in process: a clear error at file:line:column
 * with exit 2, never a crash. What needs a real process (blocking files, a deleted working
 * directory, deep nesting against the binary's stack, STS answers) is in ../badInput.integ.test.ts.
 */

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = makeSandbox();
});
afterAll(() => sandbox.cleanup());

function run(args: string[], cwd: string): Promise<RolemapRun> {
  return runInProcess(args, { cwd, env: sandbox.env });
}

describe('items 8 and 9: sizes are bounded', () => {
  it('a mapping file whose aliases expand without bound: exit 2 at file:line:column, quickly', async () => {
    const lines = [mapping('delegate'), '  - &m {paths: [' + Array.from({ length: 300 }, (_, i) => `"x/${i}"`).join(',') + '], account: dev, role: tg, auth: delegate}'];
    for (let i = 0; i < 2000; i += 1) lines.push('  - *m');
    const { unitDir, mappingFile } = repoWith(sandbox.home, lines.join('\n'));
    const result = await run([], unitDir);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toMatch(new RegExp(`${escapeRegExp(mappingFile)}:\\d+:\\d+: YAML aliases in this file expand to more than 20000 values`));
  });

  it('a mapping file over 1 MiB: exit 2 naming its size', async () => {
    const { unitDir, mappingFile } = repoWith(sandbox.home, `${mapping('delegate')}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const result = await run([], unitDir);
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toContain(`${mappingFile} is 2 MiB, larger than the 1 MiB rolemap reads`);
  });

  it('a glob over 64 KiB: exit 2 at its position', async () => {
    const { unitDir, mappingFile } = repoWith(sandbox.home, mapping('delegate').replace('["live/**"]', `["live/**", "${'a'.repeat(70_000)}"]`));
    const result = await run([], unitDir);
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toContain(`${mappingFile}:5:24: glob "aaaa`);
    expect(result.stderr).toContain('is 70000 characters long, more than the 4096 rolemap accepts');
  });
});

describe('item 12: resolution slips', () => {
  it('two tied mappings that differ only in the key order of envs are not ambiguous', async () => {
    const yaml = [
      'version: 1',
      'accounts:',
      '  dev: "111111111111"',
      'mappings:',
      '  - paths: ["live/*"]',
      '    account: dev',
      '    role: tg',
      '    auth: delegate',
      '    envs: {A: "1", B: "2"}',
      '  - paths: ["live/*"]',
      '    account: dev',
      '    role: tg',
      '    auth: delegate',
      '    envs: {B: "2", A: "1"}',
    ].join('\n');
    const { unitDir } = repoWith(sandbox.home, yaml);
    const result = await run([], unitDir);
    expect([result.code, result.stderr]).toStrictEqual([0, '']);
    expect(parseTerragruntJson(result.stdout)['envs']).toMatchObject({ A: '1', B: '2' });
  });

  it('a unit under a folder named ..cfg is inside the tree', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate').replace('["live/**"]', '["**"]'), '..cfg/a');
    const result = await run([], unitDir);
    expect([result.code, result.stderr]).toStrictEqual([0, '']);
    expect(parseTerragruntJson(result.stdout)['awsRole']).toMatchObject({ roleARN: 'arn:aws:iam::111111111111:role/tg' });
  });
});
