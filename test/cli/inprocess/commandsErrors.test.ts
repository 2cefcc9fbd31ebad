import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInProcess } from '../runInProcess';
import { makeSandbox, type Sandbox } from '../sandbox';

/** Mappings #1 and #2 start on lines 6 and 9; both match a/x with one literal segment. */
const MAPPING_YAML = `version: 1
accounts:
  dev: "111111111111"
  prod: "333333333333"
mappings:
  - paths: ["a/*"]
    account: dev
    role: r1
  - paths: ["*/x"]
    account: prod
    role: r2
  - paths: ["b/**"]
    account: dev
    role: r3
`;

describe('how rolemap fails on a unit it cannot resolve (no AWS call is needed to know)', () => {
  let sandbox: Sandbox;
  let root: string;
  let file: string;

  beforeAll(() => {
    sandbox = makeSandbox();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-errors-')));
    file = path.join(root, 'rolemap.yaml');
    fs.writeFileSync(file, MAPPING_YAML);
    for (const dir of ['a/x', 'c/d', 'empty/c/d']) fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, 'empty/rolemap.yaml'), MAPPING_YAML.replace('version: 1\n', 'version: 1\nunmatched: empty\n'));
  });
  afterAll(() => {
    sandbox.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([[[] as string[]], [['credentials']], [['env']]])('%j in a unit no mapping matches: exit 2, the mapping file and nearest globs on stderr', async (args) => {
    const run = await runInProcess(args, { cwd: path.join(root, 'c/d'), env: sandbox.env });
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr:
        `rolemap: In ${file}, no mapping matches the unit c/d.\n` +
        `  hint: The nearest globs are: */x (${file}:9), a/* (${file}:6), b/** (${file}:12). ` +
        'Add a mapping whose paths cover the unit, or set `unmatched: empty` at the top of the file to give such units no credentials.\n',
    });
  });

  it('with unmatched: empty, prints exactly {} and exits 0', async () => {
    const run = await runInProcess([], { cwd: path.join(root, 'empty/c/d'), env: sandbox.env });
    expect(run).toStrictEqual({ code: 0, stdout: '{}\n', stderr: '' });
  });

  it('in an ambiguous unit: exit 2, naming both mappings with file:line', async () => {
    const run = await runInProcess([], { cwd: path.join(root, 'a/x'), env: sandbox.env });
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr:
        `rolemap: For the unit a/x, mappings #1 at ${file}:6 (glob a/*, 1 literal segment) and #2 at ${file}:9 (glob */x, 1 literal segment) ` +
        'tie on specificity and give different accounts, roles or settings.\n' +
        '  hint: Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.\n',
    });
  });

  it('explain still answers for both, exit 0, and --json says why', async () => {
    const [unmatched, ambiguous] = await Promise.all([
      runInProcess(['explain', '--json'], { cwd: path.join(root, 'c/d'), env: sandbox.env }),
      runInProcess(['explain', '--json'], { cwd: path.join(root, 'a/x'), env: sandbox.env }),
    ]);
    const pick = (stdout: string): unknown => {
      const report = JSON.parse(stdout) as Record<string, unknown>;
      return { status: report['status'], nearest: report['nearest'], candidates: report['candidates'], outcome: report['outcome'] };
    };
    expect([unmatched.code, ambiguous.code, pick(unmatched.stdout), pick(ambiguous.stdout)]).toStrictEqual([
      0,
      0,
      {
        status: 'unmatched',
        nearest: [
          { glob: '*/x', at: `${file}:9` },
          { glob: 'a/*', at: `${file}:6` },
          { glob: 'b/**', at: `${file}:12` },
        ],
        candidates: undefined,
        outcome: 'error (exit 2)',
      },
      {
        status: 'ambiguous',
        nearest: undefined,
        candidates: [
          { mapping: 1, at: `${file}:6`, glob: 'a/*', specificity: 1 },
          { mapping: 2, at: `${file}:9`, glob: '*/x', specificity: 1 },
        ],
        outcome: undefined,
      },
    ]);
  });

  it('credentials, explain and validate --units word an unmatched and an ambiguous unit alike, with the same fix', async () => {
    const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-verdicts-')));
    try {
      fs.writeFileSync(path.join(tree, 'rolemap.yaml'), MAPPING_YAML);
      for (const dir of ['a/x', 'c/d']) {
        fs.mkdirSync(path.join(tree, dir), { recursive: true });
        fs.writeFileSync(path.join(tree, dir, 'terragrunt.hcl'), '');
      }
      const at = (dir: string): { cwd: string; env: Record<string, string> } => ({ cwd: path.join(tree, dir), env: sandbox.env });
      const [credentialsUnmatched, credentialsAmbiguous, explainUnmatched, explainAmbiguous, validate] = await Promise.all([
        runInProcess([], at('c/d')),
        runInProcess([], at('a/x')),
        runInProcess(['explain'], at('c/d')),
        runInProcess(['explain'], at('a/x')),
        runInProcess(['validate', '--units'], at('.')),
      ]);
      // The verdict in every text; its fix wherever a fix is given (validate's table on stdout gives none).
      const unmatched = [credentialsUnmatched.stderr, explainUnmatched.stdout, validate.stderr, validate.stdout];
      const ambiguous = [credentialsAmbiguous.stderr, explainAmbiguous.stdout, validate.stderr, validate.stdout];
      const tie = /mappings #1\b.* and #2\b.* tie on specificity and give different accounts, roles or settings/;
      expect({
        unmatched: unmatched.map((text, i) => [text.toLowerCase().includes('no mapping matches'), i < 3 && text.includes('Add a mapping whose paths cover the unit')]),
        ambiguous: ambiguous.map((text, i) => [
          tie.test(text),
          i < 3 && text.includes('Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.'),
        ]),
      }).toStrictEqual({
        unmatched: [[true, true], [true, true], [true, true], [true, false]],
        ambiguous: [[true, true], [true, true], [true, true], [true, false]],
      });
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });

  it('a directory outside every mapping file: exit 2, says where it looked', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-nofile-')));
    try {
      const run = await runInProcess([], { cwd: outside, env: sandbox.env });
      expect({ code: run.code, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toStrictEqual({
        code: 2,
        stdout: '',
        first: `rolemap: No rolemap.yaml found in ${outside} or any directory above it.`,
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
