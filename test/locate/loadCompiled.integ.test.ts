import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCompiled, type CompiledStore } from '../../src/locate/loadCompiled';

function memoryStore(): CompiledStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return { entries, read: (id) => entries.get(id), write: (id, value) => void entries.set(id, value) };
}

describe('loadCompiled', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-compiled-'));
    file = path.join(dir, 'rolemap.yaml');
    fs.writeFileSync(file, 'account: "111111111111"\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const compileText = jest.fn(async (text: string) => ({ text }));
  const isShape = (value: unknown): value is { text: string } =>
    typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string';
  beforeEach(() => compileText.mockClear());

  it('compiles an unchanged file once and serves the compiled form after that', async () => {
    const store = memoryStore();
    const first = await loadCompiled({ file, store, compile: compileText, isShape });
    const second = await loadCompiled({ file, store, compile: compileText, isShape });
    expect([first, second, compileText.mock.calls.length]).toStrictEqual([{ text: 'account: "111111111111"\n' }, { text: 'account: "111111111111"\n' }, 1]);
  });

  it('recompiles a change that kept the same size and modification time', async () => {
    const store = memoryStore();
    await loadCompiled({ file, store, compile: compileText, isShape });
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, 'account: "333333333333"\n');
    fs.utimesSync(file, atime, mtime);
    expect(await loadCompiled({ file, store, compile: compileText, isShape })).toStrictEqual({ text: 'account: "333333333333"\n' });
    expect(compileText.mock.calls.length).toBe(2);
  });

  it('recompiles when the stored form is not one it wrote', async () => {
    const store = memoryStore();
    await loadCompiled({ file, store, compile: compileText, isShape });
    for (const id of store.entries.keys()) store.entries.set(id, { identity: 42 });
    expect(await loadCompiled({ file, store, compile: compileText, isShape })).toStrictEqual({ text: 'account: "111111111111"\n' });
    expect(compileText.mock.calls.length).toBe(2);
  });

  it('recompiles a stored form of the same identity but another shape', async () => {
    const store = memoryStore();
    await loadCompiled({ file, store, compile: compileText, isShape });
    for (const [id, entry] of store.entries) store.entries.set(id, { ...(entry as object), compiled: { txt: 'old field name' } });
    expect(await loadCompiled({ file, store, compile: compileText, isShape })).toStrictEqual({ text: 'account: "111111111111"\n' });
    expect(compileText.mock.calls.length).toBe(2);
  });

  it('reports an unreadable file as a configuration error naming it', async () => {
    await expect(loadCompiled({ file: path.join(dir, 'missing.yaml'), store: undefined, compile: compileText, isShape })).rejects.toThrow(/missing\.yaml/);
  });
});
