import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

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

describe('the compiled mapping file in the cache (through dist/rolemap)', () => {
  let sandbox: Sandbox;
  let mappingFile: string;
  let unit: string;
  const explain = async (): Promise<{ code: number | null; account: unknown; stderr: string }> => {
    const run = await runRolemap(['explain', '--json', unit], { cwd: unit, env: sandbox.env });
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
    const [file] = compiledFiles(sandbox.cacheDir);
    if (file === undefined) throw new Error('no compiled form was written');
    // What an older rolemap of the same version wrote: the same identity, without `modes` (which
    // made every call fail with "Cannot read properties of undefined (reading 'deployBranch')").
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    deleteKeyEverywhere(stored, 'modes');
    fs.writeFileSync(file, JSON.stringify(stored));

    expect(await explain()).toStrictEqual({ code: 0, account: '111111111111', stderr: '' });
    expect(fs.readFileSync(file, 'utf8')).toContain('deployBranch');
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
    const { atime, mtime, size } = fs.statSync(mappingFile);
    fs.writeFileSync(mappingFile, mappingText('222222222222'));
    fs.utimesSync(mappingFile, atime, mtime);
    expect([fs.statSync(mappingFile).size, fs.statSync(mappingFile).mtimeMs]).toStrictEqual([size, mtime.getTime()]);
    expect(await explain()).toStrictEqual({ code: 0, account: '222222222222', stderr: '' });
  });
});
