import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type Sandbox } from './runRolemap';

const UNIT = 'dev/us-east-1/app';

describe('command-line habits through dist/rolemap', () => {
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
  });
  afterEach(() => sandbox.cleanup());

  it.each<[string, (t: LiveTree) => { args: string[]; env: Record<string, string> }]>([
    ['--config', () => ({ args: ['--config', 'live/rolemap.yaml'], env: {} })],
    ['ROLEMAP_CONFIG', () => ({ args: [], env: { ROLEMAP_CONFIG: 'live/rolemap.yaml' } })],
  ])('a relative %s is taken from the directory rolemap runs in, not from --dir', async (_title, make) => {
    // A decoy that resolving against --dir would find instead. On the binary: ROLEMAP_CONFIG is
    // resolved against the process's own working directory (src/locate/findMappingFile.ts).
    fs.mkdirSync(path.join(tree.unitDir(UNIT), 'live'));
    fs.copyFileSync(tree.mappingFile, path.join(tree.unitDir(UNIT), 'live/rolemap.yaml'));
    const { args, env } = make(tree);
    const run = await runRolemap(['explain', '--json', '--dir', tree.unitDir(UNIT), ...args], { cwd: sandbox.home, env: { ...sandbox.env, ...env } });
    const report = JSON.parse(run.stdout) as { mappingFile: string; unitPath: string };
    expect({ code: run.code, mappingFile: report.mappingFile, unitPath: report.unitPath }).toStrictEqual({
      code: 0,
      mappingFile: fs.realpathSync(tree.mappingFile),
      unitPath: UNIT,
    });
  });

  describe('rolemap completion', () => {
    /** What bash's programmable completion offers for the words typed so far (the last one being completed). */
    function bashCompletes(words: readonly string[]): string[] {
      const script = [
        `source <(${process.execPath} ${ROLEMAP_BIN} completion bash)`,
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_rolemap',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const result = spawnSync('bash', ['-c', script], { cwd: tree.root, encoding: 'utf8', env: sandbox.env });
      if (result.status !== 0) throw new Error(result.stderr);
      return result.stdout.split('\n').filter((line) => line !== '').sort();
    }

    it.each<[string[], string[]]>([
      [['rolemap', 'cred'], ['credential-process', 'credentials']],
      [['rolemap', 'env', '--sh'], ['--shell']],
      [['rolemap', 'env', '--shell', ''], ['fish', 'powershell', 'sh']],
      [['rolemap', '--mode', 'apply', 'explain', '--mode', 'a'], ['apply']],
      [['rolemap', 'explain', 'd'], ['dev']],
      [['rolemap', 'cache', ''], ['--help', '--json', 'clear', 'list']],
      [['rolemap', 'completion', 'z'], ['zsh']],
      [['rolemap', 'help', 'ex'], ['exec', 'explain']],
      // After exec's --: the command's own arguments are files.
      [['rolemap', 'exec', '--', 'ls', 'd'], ['dev']],
    ])('bash: %j offers %j', (words, offered) => {
      expect(bashCompletes(words)).toStrictEqual(offered);
    });
  });

  it('a bad ROLEMAP_MODE in the environment is a usage error', async () => {
    const run = await runRolemap(['explain'], { cwd: tree.unitDir(UNIT), env: { ...sandbox.env, ROLEMAP_MODE: 'yolo' } });
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'rolemap: ROLEMAP_MODE is "yolo", which is not a mode.\n  hint: Set ROLEMAP_MODE to plan or apply, or unset it.\n',
    });
  });
});
