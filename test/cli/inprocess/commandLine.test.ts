import * as path from 'node:path';
import { writeLiveTree, type LiveTree } from '../fixtures/writeLiveTree';
import { runInProcess } from '../runInProcess';
import { makeSandbox, type Sandbox } from '../sandbox';

const UNIT = 'dev/us-east-1/app';

describe('command-line habits, in process', () => {
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
    const run = await runInProcess(['explain', dir], { cwd: sandbox.home, env: sandbox.env });
    expect({ code: run.code, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toStrictEqual({
      code: 2,
      stdout: '',
      first: `rolemap: The unit directory ${dir} ${says}.`,
    });
  });

  it.each(['bash', 'zsh', 'fish'])('completion %s: a script, exit 0, nothing on stderr', async (shell) => {
    const run = await runInProcess(['completion', shell], { cwd: sandbox.home, env: sandbox.env });
    expect({ code: run.code, stderr: run.stderr, names: run.stdout.includes('credential-process') }).toStrictEqual({ code: 0, stderr: '', names: true });
  });
});
