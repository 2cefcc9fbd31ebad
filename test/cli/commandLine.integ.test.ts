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

  it.each<[string, (t: LiveTree) => string, string]>([
    ['does not exist', (t) => path.join(t.root, 'dev/nope'), 'does not exist'],
    ['does not exist, with no mapping file above it either', () => '/nonexistent-rolemap-test/unit', 'does not exist'],
    ['is a file', (t) => t.mappingFile, 'is not a directory'],
  ])('explain on a directory that %s says so: exit 2', async (_title, dirOf, says) => {
    const dir = dirOf(tree);
    const run = await runRolemap(['explain', dir], { cwd: sandbox.home, env: sandbox.env });
    expect({ code: run.code, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toStrictEqual({
      code: 2,
      stdout: '',
      first: `rolemap: The unit directory ${dir} ${says}.`,
    });
  });

  it.each<[string, (t: LiveTree) => { args: string[]; env: Record<string, string> }]>([
    ['--config', () => ({ args: ['--config', 'live/rolemap.yaml'], env: {} })],
    ['ROLEMAP_CONFIG', () => ({ args: [], env: { ROLEMAP_CONFIG: 'live/rolemap.yaml' } })],
  ])('a relative %s is taken from the directory rolemap runs in, not from --dir', async (_title, make) => {
    // A decoy that resolving against --dir would find instead.
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

    it.each(['bash', 'zsh', 'fish'])('%s: a script, exit 0, nothing on stderr', async (shell) => {
      const run = await runRolemap(['completion', shell], { cwd: sandbox.home, env: sandbox.env });
      expect({ code: run.code, stderr: run.stderr, names: run.stdout.includes('credential-process') }).toStrictEqual({ code: 0, stderr: '', names: true });
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
