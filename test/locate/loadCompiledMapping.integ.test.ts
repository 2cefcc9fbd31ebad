import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { loadCompiledMapping, type CompiledStore } from '../../src/locate/loadCompiled';

/** A one-mapping file; `account` is what an edit changes, keeping the file's size. */
function mappingText(account: string): string {
  return `version: 1\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app/**"]\n    account: "${account}"\n    role: terragrunt\n`;
}

function memoryStore(): CompiledStore {
  const entries = new Map<string, unknown>();
  // A copy through JSON, as the file store gives: nothing shares objects with the caller.
  return { read: (id) => (entries.has(id) ? JSON.parse(JSON.stringify(entries.get(id))) : undefined), write: (id, value) => void entries.set(id, value) };
}

describe('loadCompiledMapping: the stamp identity and its racy guard', () => {
  let dir: string;
  let file: string;
  let store: CompiledStore;
  const compile = jest.fn((text: string, name: string) => Promise.resolve(compileMappingFile(text, name)));
  const readFile = jest.fn((name: string) => fs.readFileSync(name, 'utf8'));
  const load = (options: { now?: number; stat?: () => fs.Stats } = {}): Promise<string | undefined> =>
    loadCompiledMapping({
      file,
      store,
      unitPath: 'app/vpc',
      compile,
      readFile,
      ...(options.now === undefined ? {} : { now: () => options.now ?? 0 }),
      ...(options.stat === undefined ? {} : { stat: options.stat }),
    }).then((config) => config.mappings[0]?.accountId);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-stamp-'));
    file = path.join(dir, 'rolemap.yaml');
    fs.writeFileSync(file, mappingText('111111111111'));
    store = memoryStore();
    compile.mockClear();
    readFile.mockClear();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves a file that last changed long ago from its stamp, without opening it', async () => {
    const later = Date.now() + 10_000;
    expect(await load({ now: later })).toBe('111111111111');
    readFile.mockClear();
    expect(await load({ now: later })).toBe('111111111111');
    expect([compile.mock.calls.length, readFile.mock.calls.length]).toStrictEqual([1, 0]);
  });

  it('compares a just-edited file in full, then lets its stamp vouch once the edit is old enough', async () => {
    expect(await load()).toBe('111111111111');
    readFile.mockClear();
    // Within the window: the file is read and compared, not recompiled.
    expect(await load()).toBe('111111111111');
    expect(readFile.mock.calls).toHaveLength(1);
    // Past the window: compared once more, and the stamp is renewed; after that it is not read.
    await load({ now: Date.now() + 10_000 });
    await load({ now: Date.now() + 10_000 });
    expect([compile.mock.calls.length, readFile.mock.calls.length]).toStrictEqual([1, 2]);
  });

  it('catches an edit in the same tick on a coarse-timestamp filesystem, where the stat does not change at all', async () => {
    // The filesystem keeps whole seconds and our stat is taken in the tick of the last change.
    const real = fs.statSync(file);
    const tick = Math.floor(Date.now() / 1000) * 1000;
    const coarse = (): fs.Stats => Object.assign(Object.create(real) as fs.Stats, { mtimeMs: tick, ctimeMs: tick, size: real.size, isFile: () => true });
    expect(await load({ now: tick + 500, stat: coarse })).toBe('111111111111');
    fs.writeFileSync(file, mappingText('222222222222'));
    expect(await load({ now: tick + 900, stat: coarse })).toBe('222222222222');
    expect(compile.mock.calls.length).toBe(2);
  });

  it('catches `touch -r` after an edit that kept the size, even when the stamp vouched before', async () => {
    // Whole seconds, which utimes sets exactly.
    const mtime = new Date(Math.floor(fs.statSync(file).mtimeMs / 1000) * 1000);
    fs.utimesSync(file, mtime, mtime);
    const later = Date.now() + 10_000;
    expect(await load({ now: later })).toBe('111111111111');
    const { atime, size } = fs.statSync(file);
    fs.writeFileSync(file, mappingText('333333333333'));
    fs.utimesSync(file, atime, mtime);
    expect([fs.statSync(file).size, fs.statSync(file).mtimeMs]).toStrictEqual([size, mtime.getTime()]);
    expect(await load({ now: later })).toBe('333333333333');
  });

  it('catches a file replaced by rename (another inode) with the same size and times', async () => {
    const later = Date.now() + 10_000;
    expect(await load({ now: later })).toBe('111111111111');
    const { atime, mtime } = fs.statSync(file);
    const replacement = path.join(dir, 'rolemap.yaml.new');
    fs.writeFileSync(replacement, mappingText('444444444444'));
    fs.utimesSync(replacement, atime, mtime);
    fs.renameSync(replacement, file);
    expect(await load({ now: later })).toBe('444444444444');
  });
});
