import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileMappingFile } from '../../../src/config/compileMappingFile';
import { runInProcess } from '../runInProcess';
import { EXAMPLES_LIVE, makeSandbox, type Sandbox } from '../sandbox';

const EXAMPLE_FILE = path.resolve(__dirname, '../../../mappings.example.yaml');

/** Lines 9, 12 and 15 start mappings #2, #3 and #4; the error cites them by file:line. */
const COVERAGE_YAML = `version: 1
accounts:
  dev: "111111111111"
  prod: "333333333333"
mappings:
  - paths: ["apps/**"]
    account: dev
    role: apps
  - paths: ["svc/a/*"]
    account: dev
    role: svc-a
  - paths: ["svc/*/b"]
    account: prod
    role: svc-b
  - paths: ["sandbox/**"]
    account: dev
    role: sandbox
`;

/** Units, plus copies and a root include that are not units of their own. */
const UNIT_FILES = [
  'terragrunt.hcl',
  'apps/web/terragrunt.hcl',
  'apps/api/terragrunt.hcl',
  'svc/a/b/terragrunt.hcl',
  'other/thing/terragrunt.hcl',
  'lost/.terragrunt-cache/abc/terragrunt.hcl',
  'apps/web/.terragrunt-cache/x/other/y/terragrunt.hcl',
];

/** A live tree in a fresh temp dir (symlinks resolved, as rolemap reports real paths). */
function makeTree(mappingYaml: string): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-validate-')));
  fs.writeFileSync(path.join(root, 'rolemap.yaml'), mappingYaml);
  for (const file of UNIT_FILES) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  }
  return root;
}

describe('rolemap validate, in process', () => {
  let sandbox: Sandbox;
  const trees: string[] = [];

  beforeAll(() => {
    sandbox = makeSandbox();
  });
  afterAll(() => {
    sandbox.cleanup();
    for (const tree of trees) fs.rmSync(tree, { recursive: true, force: true });
  });

  function tree(mappingYaml: string): string {
    const root = makeTree(mappingYaml);
    trees.push(root);
    return root;
  }

  it('says the example mapping file is valid, with its counts', async () => {
    const compiled = compileMappingFile(fs.readFileSync(EXAMPLE_FILE, 'utf8'), EXAMPLE_FILE);
    const mappings = compiled.mappings.length;
    const accounts = Object.keys(compiled.accounts).length;
    const text = await runInProcess(['validate', '--config', EXAMPLE_FILE], { cwd: sandbox.home, env: sandbox.env });
    const json = await runInProcess(['validate', '--config', EXAMPLE_FILE, '--json'], { cwd: sandbox.home, env: sandbox.env });
    expect([text, json]).toStrictEqual([
      { code: 0, stdout: `${EXAMPLE_FILE}: valid (${mappings} mappings, ${accounts} accounts)\n`, stderr: '' },
      { code: 0, stdout: `${JSON.stringify({ file: EXAMPLE_FILE, valid: true, mappings, accounts })}\n`, stderr: '' },
    ]);
  });

  it('reports all 7 units of examples/live as covered', async () => {
    const file = path.join(EXAMPLES_LIVE, 'rolemap.yaml');
    const run = await runInProcess(['validate', '--units'], { cwd: EXAMPLES_LIVE, env: sandbox.env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')).toStrictEqual([
      `${file}: valid; 7 units found under ${EXAMPLES_LIVE}`,
      '  covered    dev/us-east-1/app    mapping #1 (dev/**)',
      '  covered    dev/us-east-1/vpc    mapping #1 (dev/**)',
      '  covered    prod/us-east-1/app   mapping #3 (prod/**)',
      '  covered    prod/us-east-1/vpc   mapping #3 (prod/**)',
      '  covered    shared/dns           mapping #4 (shared/**)',
      '  covered    stage/us-east-1/app  mapping #2 (stage/**)',
      '  covered    stage/us-east-1/vpc  mapping #2 (stage/**)',
      '',
    ]);
  });

  it('--units --json on examples/live: every unit covered, no unused mapping', async () => {
    const run = await runInProcess(['validate', '--units', '--json'], { cwd: path.join(EXAMPLES_LIVE, 'prod'), env: sandbox.env });
    expect({ code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as unknown }).toStrictEqual({
      code: 0,
      stderr: '',
      report: {
        file: path.join(EXAMPLES_LIVE, 'rolemap.yaml'),
        units: [
          { unit: 'dev/us-east-1/app', status: 'covered', mapping: 1, glob: 'dev/**' },
          { unit: 'dev/us-east-1/vpc', status: 'covered', mapping: 1, glob: 'dev/**' },
          { unit: 'prod/us-east-1/app', status: 'covered', mapping: 3, glob: 'prod/**' },
          { unit: 'prod/us-east-1/vpc', status: 'covered', mapping: 3, glob: 'prod/**' },
          { unit: 'shared/dns', status: 'covered', mapping: 4, glob: 'shared/**' },
          { unit: 'stage/us-east-1/app', status: 'covered', mapping: 2, glob: 'stage/**' },
          { unit: 'stage/us-east-1/vpc', status: 'covered', mapping: 2, glob: 'stage/**' },
        ],
        unusedMappings: [],
      },
    });
  });

  it('exits 2 on an uncovered and an ambiguous unit, naming each problem and the unused mapping on stderr', async () => {
    const root = tree(COVERAGE_YAML);
    const file = path.join(root, 'rolemap.yaml');
    const run = await runInProcess(['validate', '--units'], { cwd: path.join(root, 'apps/web'), env: sandbox.env });
    expect({ code: run.code, stderr: run.stderr.split('\n') }).toStrictEqual({
      code: 2,
      stderr: [
        `rolemap: ${file} does not cover every unit under ${root}: 1 unit not covered, 1 unit ambiguous.`,
        '  hint: Add a mapping whose paths cover the unit, or set `unmatched: empty` at the top of the file to give such units no credentials. ' +
          'Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.',
        'rolemap: UNCOVERED other/thing: no mapping matches; nearest globs: apps/**, sandbox/**, svc/a/*',
        `rolemap: ${file}:9:5: AMBIGUOUS svc/a/b: mappings #2 at ${file}:9 and #3 at ${file}:12 tie on specificity and give different accounts, roles or settings`,
        `rolemap: ${file}:15:5: unused: mapping #4 (sandbox/**) covers no unit`,
        '',
      ],
    });
    // Nothing under .terragrunt-cache is reported as a unit.
    expect(run.stderr.includes('terragrunt-cache') || run.stderr.includes('lost/')).toBe(false);
    // The report still reaches stdout on failure, for scripts reading it.
    expect(run.stdout).toMatch(/UNCOVERED\s+other\/thing/);
    const json = await runInProcess(['validate', '--units', '--json'], { cwd: path.join(root, 'apps/web'), env: sandbox.env });
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { units: Array<{ status: string }> }).units.map((u) => u.status).sort()).toStrictEqual([
      'ambiguous',
      'covered',
      'covered',
      'uncovered',
    ]);
  });

  it('with unmatched: empty, an uncovered unit is reported but valid; unused mappings are listed', async () => {
    const root = tree(COVERAGE_YAML.replace('version: 1\n', 'version: 1\nunmatched: empty\n').replace('svc/*/b', 'svc/*/c'));
    const file = path.join(root, 'rolemap.yaml');
    const text = await runInProcess(['validate', '--units'], { cwd: root, env: sandbox.env });
    expect({ code: text.code, stderr: text.stderr, stdout: text.stdout.split('\n') }).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: [
        `${file}: valid; 4 units found under ${root}`,
        '  covered    apps/api     mapping #1 (apps/**)',
        '  covered    apps/web     mapping #1 (apps/**)',
        '  UNCOVERED  other/thing  no mapping matches, gets {} (unmatched: empty); nearest globs: apps/**, sandbox/**, svc/a/*',
        '  covered    svc/a/b      mapping #2 (svc/a/*)',
        `  unused     mapping #3 at ${file}:13 (svc/*/c) covers no unit`,
        `  unused     mapping #4 at ${file}:16 (sandbox/**) covers no unit`,
        '',
      ],
    });
    const json = await runInProcess(['validate', '--units', '--json'], { cwd: root, env: sandbox.env });
    expect({ code: json.code, stderr: json.stderr, report: JSON.parse(json.stdout) as unknown }).toStrictEqual({
      code: 0,
      stderr: '',
      report: {
        file,
        units: [
          { unit: 'apps/api', status: 'covered', mapping: 1, glob: 'apps/**' },
          { unit: 'apps/web', status: 'covered', mapping: 1, glob: 'apps/**' },
          { unit: 'other/thing', status: 'uncovered', nearest: ['apps/**', 'sandbox/**', 'svc/a/*'] },
          { unit: 'svc/a/b', status: 'covered', mapping: 2, glob: 'svc/a/*' },
        ],
        unusedMappings: [
          { mapping: 3, at: `${file}:13`, globs: ['svc/*/c'] },
          { mapping: 4, at: `${file}:16`, globs: ['sandbox/**'] },
        ],
      },
    });
  });

  it('exits 2 with file:line:column for a broken mapping file, and prints nothing on stdout', async () => {
    const root = tree(COVERAGE_YAML.replace('"333333333333"', '333333333333'));
    const run = await runInProcess(['validate'], { cwd: root, env: sandbox.env });
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 2, stdout: '' });
    expect(run.stderr.startsWith(`rolemap: ${path.join(root, 'rolemap.yaml')}:4:`)).toBe(true);
  });
});
