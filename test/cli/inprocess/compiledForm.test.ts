import * as fs from 'node:fs';
import * as path from 'node:path';
import { runInProcess } from '../runInProcess';
import { makeSandbox, type Sandbox } from '../sandbox';

/** A one-mapping tree; `account` is what an edit changes. */
function mappingText(account: string): string {
  return `version: 1\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app/**"]\n    account: "${account}"\n    role: terragrunt\n`;
}

function compiledFiles(cacheDir: string): string[] {
  return fs
    .readdirSync(cacheDir)
    .filter((name) => name.startsWith('compiled-'))
    .map((name) => path.join(cacheDir, name));
}

/** Deletes every key named `key`, at any depth, of a parsed JSON value. */
function deleteKeyEverywhere(value: unknown, key: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (!Array.isArray(value)) delete (value as Record<string, unknown>)[key];
  for (const child of Object.values(value)) deleteKeyEverywhere(child, key);
}

describe('the compiled mapping file in the cache (in process)', () => {
  let sandbox: Sandbox;
  let mappingFile: string;
  let unit: string;
  const explain = async (): Promise<{ code: number | null; account: unknown; stderr: string }> => {
    const run = await runInProcess(['explain', '--json', unit], { cwd: unit, env: sandbox.env });
    const account = run.code === 0 ? (JSON.parse(run.stdout) as { account: { id: string } }).account.id : undefined;
    return { code: run.code, account, stderr: run.stderr };
  };

  beforeEach(() => {
    sandbox = makeSandbox();
    mappingFile = path.join(sandbox.home, 'live', 'rolemap.yaml');
    unit = path.join(sandbox.home, 'live', 'app', 'vpc');
    fs.mkdirSync(unit, { recursive: true });
    fs.writeFileSync(mappingFile, mappingText('111111111111'));
  });
  afterEach(() => sandbox.cleanup());

  it('treats a compiled form of an older shape (same identity) as a miss and rewrites it', async () => {
    expect(await explain()).toStrictEqual({ code: 0, account: '111111111111', stderr: '' });
    const files = compiledFiles(sandbox.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    // What an older rolemap of the same version wrote: the same identity, without `modes` (which
    // made every call fail with "Cannot read properties of undefined (reading 'deployBranch')").
    for (const file of files) {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      deleteKeyEverywhere(stored, 'modes');
      fs.writeFileSync(file, JSON.stringify(stored));
    }

    expect(await explain()).toStrictEqual({ code: 0, account: '111111111111', stderr: '' });
    expect(compiledFiles(sandbox.cacheDir).some((file) => fs.readFileSync(file, 'utf8').includes('deployBranch'))).toBe(true);
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['foreign JSON', () => '{"identity":"something else","compiled":{}}'],
    ['a JSON array', () => '[1,2,3]'],
    ['without its format', (text: string) => JSON.stringify({ ...(JSON.parse(text) as object), format: undefined })],
  ])('treats a %s compiled form as a miss', async (_case, spoil) => {
    await explain();
    for (const file of compiledFiles(sandbox.cacheDir)) fs.writeFileSync(file, spoil(fs.readFileSync(file, 'utf8')));
    expect(await explain()).toStrictEqual({ code: 0, account: '111111111111', stderr: '' });
  });

  it('serves an edit that kept the size and modification time (coarse timestamps, touch -r)', async () => {
    expect((await explain()).account).toBe('111111111111');
    // Whole seconds, as a coarse-timestamp filesystem keeps them (and as utimes can set exactly).
    const mtime = new Date(Math.floor(fs.statSync(mappingFile).mtimeMs / 1000) * 1000);
    fs.utimesSync(mappingFile, mtime, mtime);
    const { size } = fs.statSync(mappingFile);
    fs.writeFileSync(mappingFile, mappingText('222222222222'));
    fs.utimesSync(mappingFile, mtime, mtime);
    expect([fs.statSync(mappingFile).size, fs.statSync(mappingFile).mtimeMs]).toStrictEqual([size, mtime.getTime()]);
    expect(await explain()).toStrictEqual({ code: 0, account: '222222222222', stderr: '' });
  });
});

describe('a call reads only the part of the compiled mapping file its unit can match', () => {
  const MAPPINGS = `version: 1
defaults:
  region: us-east-1
mappings:
  - paths: ["team1/**"]
    account: "111111111111"
    role: terragrunt
  - paths: ["team2/**", "shared/team2/**"]
    account: "222222222222"
    role: terragrunt
  - paths: ["*/special/**"]
    account: "333333333333"
    role: terragrunt
  - paths: ["team1/special/db"]
    account: "444444444444"
    role: terragrunt
`;
  let sandbox: Sandbox;
  let tree: string;
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = path.join(sandbox.home, 'live');
    for (const unit of ['team1/a', 'team1/special/x', 'team1/special/db', 'team2/b', 'shared/team2/c', 'team3/special/y', 'team3/plain']) {
      fs.mkdirSync(path.join(tree, unit), { recursive: true });
    }
    fs.writeFileSync(path.join(tree, 'rolemap.yaml'), MAPPINGS);
  });
  afterEach(() => sandbox.cleanup());

  it.each([
    ['team1/a', '111111111111'],
    ['team1/special/x', 'ambiguous'],
    ['team1/special/db', '444444444444'],
    ['team2/b', '222222222222'],
    ['shared/team2/c', '222222222222'],
    ['team3/special/y', '333333333333'],
    ['team3/plain', 'unmatched'],
  ])('%s resolves from the cached parts exactly as from the whole file', async (unit, expected) => {
    const explainUnit = async (env: Record<string, string>): Promise<{ code: number | null; out: string }> => {
      const run = await runInProcess(['explain', '--json', path.join(tree, unit)], { cwd: tree, env });
      const parsed = JSON.parse(run.stdout) as { status: string; account?: { id: string }; cache?: unknown };
      delete parsed.cache;
      return { code: run.code, out: JSON.stringify(parsed) };
    };
    const whole = await explainUnit({ ...sandbox.env, ROLEMAP_NO_CACHE: '1' });
    await explainUnit(sandbox.env);
    const fromParts = await explainUnit(sandbox.env);
    expect(fromParts).toStrictEqual(whole);
    const parsed = JSON.parse(whole.out) as { status: string; account?: { id: string } };
    expect(parsed.status === 'matched' ? parsed.account?.id : parsed.status).toBe(expected);
  });
});
