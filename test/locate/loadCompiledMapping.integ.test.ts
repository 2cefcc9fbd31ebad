import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { cacheId } from '../../src/cache/cacheId';
import type { CompiledConfig } from '../../src/config/types';
import { loadCompiledMapping, type CompiledStore } from '../../src/locate/loadCompiled';
import { matchUnit } from '../../src/resolve/matchUnit';
import { testGlob } from '../../src/resolve/testGlob';

/** A one-mapping file; `account` is what an edit changes, keeping the file's size. */
function mappingText(account: string): string {
  return `version: 1\ndefaults:\n  region: us-east-1\nmappings:\n  - paths: ["app/**"]\n    account: "${account}"\n    role: terragrunt\n`;
}

function memoryStore(entries = new Map<string, unknown>()): CompiledStore {
  // A copy through JSON, as the file store gives: nothing shares objects with the caller.
  return {
    read: (id) => (entries.has(id) ? JSON.parse(JSON.stringify(entries.get(id))) : undefined),
    write: (id, value) => void entries.set(id, value),
    remove: (id) => void entries.delete(id),
  };
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

  it('removes the files an index of an older format named when it compiles the file anew', async () => {
    // What rolemap before format 7 left: an index naming each part's and the source's cache id.
    const older = { part: cacheId('an older part'), source: cacheId('an older source'), unrelated: cacheId('another file') };
    for (const id of Object.values(older)) store.write(id, { format: 6, token: 'older' });
    store.write(cacheId(`mapping-index:${file}`), { format: 6, file, parts: { 's:app': older.part }, source: older.source, token: 'older' });
    expect(await load({ now: Date.now() + 10_000 })).toBe('111111111111');
    expect([store.read(older.part), store.read(older.source), store.read(older.unrelated)]).toStrictEqual([undefined, undefined, { format: 6, token: 'older' }]);
    expect(compile.mock.calls.length).toBe(1);
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

/** A seeded generator (a linear congruential one): each test run sees the same trees. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];

/** A mapping file of a mapping per entry (a glob, or a list of them), in the order given. */
function mappingFile(mappings: ReadonlyArray<string | readonly string[]>): string {
  const entries = mappings.map((globs, i) => `  - paths: ${JSON.stringify(typeof globs === 'string' ? [globs] : globs)}\n    account: "${ACCOUNTS[i % ACCOUNTS.length]}"\n    role: terragrunt`);
  return `version: 1\ndefaults:\n  region: us-east-1\nmappings:\n${entries.join('\n')}\n`;
}

/** What matching a unit path decides: the status and the candidates (the winner first) by mapping index and glob. */
function outcome(config: CompiledConfig, unitPath: string): { status: string; candidates: string[] } {
  const result = matchUnit(config, unitPath);
  const candidates = result.status === 'unmatched' ? [] : result.status === 'matched' ? result.candidates : result.tied;
  return { status: result.status, candidates: candidates.map((c) => `#${c.mapping.index} ${c.mapping.accountId} ${c.glob.glob}`) };
}

/** Each mapping's globs, in order: what a read of the whole compiled form must give back. */
function globLists(config: CompiledConfig): string[][] {
  return config.mappings.map((mapping) => mapping.globs.map((glob) => glob.glob));
}

describe('loadCompiledMapping: the parts of the compiled form a call reads', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-parts-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * Compiles `text` into a fresh store, then loads it for each unit path from its parts; `whole`
   * is every part read back, as commands that need the whole file read it.
   */
  async function loadFor(
    text: string,
    unitPaths: readonly string[],
  ): Promise<{ full: CompiledConfig; whole: CompiledConfig; partial: Map<string, CompiledConfig>; stored: unknown[] }> {
    const file = path.join(dir, 'rolemap.yaml');
    fs.writeFileSync(file, text);
    const entries = new Map<string, unknown>();
    const store = memoryStore(entries);
    // A stamp long past the racy window: the parts are read by stamp, the file not at all.
    const init = { file, store, compile: (t: string, name: string) => Promise.resolve(compileMappingFile(t, name)), now: () => Date.now() + 10_000 };
    const full = await loadCompiledMapping({ ...init, unitPath: undefined });
    const fromStore = { ...init, readFile: () => fail('read the file'), compile: () => fail('compiled again') };
    const whole = await loadCompiledMapping({ ...fromStore, unitPath: undefined });
    const partial = new Map<string, CompiledConfig>();
    for (const unitPath of unitPaths) partial.set(unitPath, await loadCompiledMapping({ ...fromStore, unitPath }));
    return { full, whole, partial, stored: [...entries.values()] };
  }

  it.each([
    ['a small tree', 1, 0],
    ['a tree whose prefixes are too many for one part each (hashed shards)', 2, 400],
    ['another small tree', 3, 0],
  ])('in %s, a unit path finds every mapping that can match it', async (_tree, seed, sharded) => {
    const random = seeded(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const literals = ['live', 'prod', 'dev', 'team1', 'team2', 'us-east-1', 'vpc'];
    const wildcards = ['*', '**', '{prod,dev}', 'te*', '?ev', '[pd]*'];
    const globs = new Set<string>();
    while (globs.size < 90) {
      const segments = Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.7 ? pick(literals) : pick(wildcards)));
      globs.add(segments.join('/'));
    }
    for (let i = 0; i < sharded; i += 1) globs.add(`big/b${i}/**`);
    // One to three globs a mapping, so that a mapping's globs fall in several parts.
    const shuffled = [...globs].sort(() => random() - 0.5);
    const mappings: string[][] = [];
    while (shuffled.length > 0) mappings.push(shuffled.splice(0, 1 + Math.floor(random() * 3)));
    const unitPaths = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 && sharded > 0
        ? `big/b${Math.floor(random() * sharded)}/${pick(literals)}`
        : Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(literals)).join('/'),
    );
    const { full, whole, partial } = await loadFor(mappingFile(mappings), unitPaths);
    expect(globLists(whole)).toStrictEqual(globLists(full));

    let matchedUnits = 0;
    for (const unitPath of unitPaths) {
      const fromParts = partial.get(unitPath) as CompiledConfig;
      const wanted = full.mappings.filter((mapping) => mapping.globs.some((glob) => testGlob(glob, unitPath))).map((mapping) => mapping.index);
      expect({ unitPath, found: wanted.filter((index) => fromParts.mappings.some((mapping) => mapping.index === index)) }).toStrictEqual({ unitPath, found: wanted });
      if (wanted.length > 0) {
        matchedUnits += 1;
        expect(outcome(fromParts, unitPath)).toStrictEqual(outcome(full, unitPath));
      }
    }
    // The trees are made so that most unit paths match something: the check above is not idle.
    expect(matchedUnits).toBeGreaterThan(unitPaths.length / 2);
  });

  it.each([
    ['a first segment per team', (i: number) => `team${i % 50}/svc${i}/**`],
    ['one root for everything, as `live/` often is', (i: number) => `live/team${i % 50}/svc${i}/**`],
    ['two shared levels', (i: number) => `live/prod/svc${i}/**`],
  ])('with 5,000 mappings and %s, a call reads a few dozen of them and resolves as from all', async (_layout, globOf) => {
    const globs = Array.from({ length: 5000 }, (_, i) => globOf(i));
    const units = [7, 1234, 4999].map((i) => `${globOf(i).slice(0, -'/**'.length)}/us-east-1/vpc`);
    const { full, whole, partial } = await loadFor(mappingFile(globs), units);
    expect(globLists(whole)).toStrictEqual(globLists(full));
    for (const unitPath of units) {
      const fromParts = partial.get(unitPath) as CompiledConfig;
      expect(fromParts.mappings.length).toBeLessThanOrEqual(64);
      expect(outcome(fromParts, unitPath)).toStrictEqual(outcome(full, unitPath));
      expect(outcome(fromParts, unitPath).status).toBe('matched');
    }
  });

  it('stores each glob of a mapping that lists a directory of every team once, not a copy of the mapping per part', async () => {
    const teams = Array.from({ length: 1000 }, (_, i) => `team${i}/**`);
    const units = ['team7/vpc', 'team999/db', 'other/x'];
    const { full, whole, partial, stored } = await loadFor(mappingFile([teams, 'other/**']), units);
    const storedGlobs = stored.flatMap((entry) => ((entry as { mappings?: CompiledConfig['mappings'] }).mappings ?? []).flatMap((mapping) => mapping.globs));
    expect(storedGlobs).toHaveLength(1001);
    expect(globLists(whole)).toStrictEqual(globLists(full));
    for (const unitPath of units) expect(outcome(partial.get(unitPath) as CompiledConfig, unitPath)).toStrictEqual(outcome(full, unitPath));
    expect(outcome(partial.get('team999/db') as CompiledConfig, 'team999/db')).toStrictEqual({ status: 'matched', candidates: ['#0 111111111111 team999/**'] });
  });
});
