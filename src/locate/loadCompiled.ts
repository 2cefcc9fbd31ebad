import { statSync, type Stats } from 'node:fs';
import { cacheId, isCacheId } from '../cache/cacheId';
import { MAX_CONFIG_FILE_BYTES, VERSION } from '../constants';
import { ConfigError } from '../errors';
import { FileProblem, readRegularFile } from '../readRegularFile';
import { isCompiledConfig, isCompiledMappings } from '../config/compiledShape';
import type { CompiledConfig, CompiledGlob, CompiledMapping } from '../config/types';

/** Where compiled configs are kept between runs; undefined when the cache is not trusted. */
export interface CompiledStore {
  /** `id` is derived from the config file's path (see cacheId); the entry's identity names the path in full. */
  read(id: string): unknown;
  write(id: string, value: unknown): void;
  /** Deletes an entry that is no longer used (a part of an older compile); absent means keep it. */
  remove?(id: string): void;
}

export interface LoadCompiledInit<T> {
  file: string;
  store: CompiledStore | undefined;
  /** Parses and validates the file's text; only called when no compiled form fits. */
  compile: (text: string, file: string) => Promise<T>;
  /**
   * Whether a stored compiled form has the shape this build reads. A form of another shape (from
   * an older or newer rolemap, or edited by hand) is a miss, recompiled, never a crash.
   */
  isShape: (value: unknown) => value is T;
  /** Told when a compiled form could not be saved; the run goes on. */
  onStoreError?: (error: unknown) => void;
}

/**
 * The layout of a stored compiled form. Bump it whenever CompiledConfig or CompiledUserConfig
 * (src/config/types.ts) or this wrapper changes shape: entries of another format are misses.
 */
export const COMPILED_FORMAT = 7;

interface StoredCompiled {
  format: number;
  identity: string;
  compiled: unknown;
}

/**
 * Loads a config file in its compiled form. The compiled form is kept in the cache keyed by the
 * file's path and content and rolemap's version, so an unchanged file is never parsed again: a
 * cache hit then loads neither the YAML parser nor the glob library.
 *
 * Keyed by content, not by size and timestamps: filesystems with coarse timestamps (FAT, some
 * network mounts) can keep all of them across an edit, and a stale compiled mapping would hand
 * out credentials for the wrong account. Reading and hashing a mapping file costs far less than
 * parsing it.
 * @throws ConfigError when the file cannot be read or is invalid.
 */
export async function loadCompiled<T>(init: LoadCompiledInit<T>): Promise<T> {
  const { file, store } = init;
  const text = readText(file);
  const identity = `${VERSION}:${COMPILED_FORMAT}:${file}:${text.length}:${cacheId(text)}`;
  const id = cacheId(file);

  const stored = store?.read(id);
  if (isStoredCompiled(stored) && stored.identity === identity && init.isShape(stored.compiled)) return stored.compiled;

  const compiled = await init.compile(text, file);
  try {
    store?.write(id, { format: COMPILED_FORMAT, identity, compiled } satisfies StoredCompiled);
  } catch (error) {
    init.onStoreError?.(error);
  }
  return compiled;
}

function isStoredCompiled(value: unknown): value is StoredCompiled {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === COMPILED_FORMAT &&
    typeof (value as { identity?: unknown }).identity === 'string' &&
    typeof (value as { compiled?: unknown }).compiled === 'object'
  );
}

function readText(file: string): string {
  try {
    return readRegularFile(file, { maxBytes: MAX_CONFIG_FILE_BYTES });
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    throw new ConfigError(`${error.message}.`, {
      hint:
        error.reason === 'too-large'
          ? 'A mapping file is a few KiB; check that this is the file you meant.'
          : 'Point to a regular file that you may read.',
      cause: error,
    });
  }
}

/** The part of a compiled mapping file that holds mappings any unit path may match. */
const EVERY_PATH = '*';
/**
 * Up to this many distinct prefixes, each gets its own part; beyond, prefixes are hashed into
 * this many shards (a bound on the files one compile writes).
 */
const MAX_PARTS = 256;

/**
 * What a stat of the mapping file says about its content: any write, rename over it or
 * `touch -r` changes one of these (ctime cannot be set back), except a write in the same
 * timestamp tick as the stat on a filesystem whose ticks are coarse; see isRacy.
 */
interface SourceStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** The index of a compiled mapping file: everything but the mappings, and where its parts are. */
interface StoredMappingIndex {
  format: number;
  file: string;
  /** The mapping file's stat, taken before its text was read for this compiled form. */
  stamp: SourceStamp;
  /**
   * The stamp was taken within RACY_WINDOW_MS of the file's last change, so a later edit in the
   * same tick could keep it: a read compares the text in full until the stamp is renewed.
   */
  racy: boolean;
  head: Omit<CompiledConfig, 'mappings'>;
  /** How many leading segments of a glob's literal prefix name its part (see planParts). */
  depth: number;
  /** 0: one part per prefix, named `s:<prefix>`; else the number of hashed shards of each length. */
  shards: number;
  /** The names of the parts (EVERY_PATH, `s:<prefix>` or `<length>:<shard>`); see partId. */
  parts: string[];
  /** Cache id of the StoredMappingSource this form was compiled from. */
  source: string;
  token: string;
}

interface StoredMappingPart {
  format: number;
  token: string;
  part: string;
  mappings: CompiledMapping[];
}

/** The text a compiled form was compiled from, read only when the stamp cannot vouch for it. */
interface StoredMappingSource {
  format: number;
  token: string;
  text: string;
}

/**
 * The coarsest timestamp tick rolemap allows for (FAT keeps modification times in 2 s steps),
 * with a margin for a file server's clock running a little behind ours. A stamp whose last change
 * is older than this was taken after the tick of that change ended: any later edit changes it.
 */
export const RACY_WINDOW_MS = 3000;

export interface LoadCompiledMappingInit {
  file: string;
  store: CompiledStore | undefined;
  /**
   * The unit path (relative to the mapping file's directory) whose mappings are wanted; the
   * result then holds every mapping that can match it and may lack others. Undefined for all.
   */
  unitPath: string | undefined;
  compile: (text: string, file: string) => Promise<CompiledConfig>;
  onStoreError?: (error: unknown) => void;
  /** The filesystem and clock, for tests that play a coarse-timestamp filesystem or count reads. */
  stat?: (file: string) => Stats | undefined;
  readFile?: (file: string) => string;
  now?: () => number;
}

/**
 * Loads a mapping file in its compiled form, reading only the part a unit path needs.
 *
 * The compiled form is split by the leading literal segments of each glob (`live/team7/**` goes
 * to the part of `live/team7` when the split is two segments deep; globs that start with a
 * wildcard go to a part every call reads), so that a call in a tree of 5,000 mappings parses a
 * few dozen, not all. An index holds the rest of the config,
 * the mapping file's stamp and the parts' names; each part names the compile it belongs to.
 *
 * Identity by stamp, guarded as git guards its index ("racy git"): device, inode, size, mtime
 * and ctime vouch for the content only when they were taken at least RACY_WINDOW_MS after the
 * file last changed. Otherwise, or when the stamp differs, the text is read and compared in full
 * with the text the form was compiled from (a hash would have to be cryptographic, and loading
 * node:crypto costs more than the rest of a hit); a match renews the stamp, a difference
 * recompiles. So a stale compiled form is never served, even on coarse-timestamp filesystems or
 * after `touch -r`, and a hit of a 400 KB mapping file reads neither it nor a copy of it.
 * Anything else (missing or torn part, another format, another shape) is a miss: recompiled.
 * @throws ConfigError when the file cannot be read or is invalid.
 */
export async function loadCompiledMapping(init: LoadCompiledMappingInit): Promise<CompiledConfig> {
  const { file, store } = init;
  const indexId = cacheId(`mapping-index:${file}`);
  const stored = store?.read(indexId);
  const index = isMappingIndex(stored) && stored.file === file ? stored : undefined;
  const stampedAt = (init.now ?? Date.now)();
  const stamp = stampOf((init.stat ?? statOrUndefined)(file));

  if (store !== undefined && index !== undefined && stamp !== undefined && !index.racy && sameStamp(index.stamp, stamp)) {
    const mappings = readParts(store, index, init.unitPath);
    if (mappings !== undefined) return { ...index.head, mappings };
  }

  const text = (init.readFile ?? readText)(file);
  const racy = stamp === undefined || isRacy(stamp, stampedAt);
  if (store !== undefined && index !== undefined && isSourceOf(store.read(index.source), index, text)) {
    const mappings = readParts(store, index, init.unitPath);
    if (mappings !== undefined) {
      if (stamp !== undefined && !racy) renewStamp(store, indexId, index, stamp, init.onStoreError);
      return { ...index.head, mappings };
    }
  }

  const compiled = await init.compile(text, file);
  if (store !== undefined) {
    try {
      writeParts(store, indexId, compiled, text, { stamp: stamp ?? NO_STAMP, racy }, index);
      if (index === undefined) for (const id of idsOfOlderIndex(stored, file)) store.remove?.(id);
    } catch (error) {
      init.onStoreError?.(error);
    }
  }
  return compiled;
}

/**
 * The files an index of an older format names (format 6 kept each part's id by its name), so that
 * the compile that replaces it after an upgrade does not leave them in the cache for good. Their
 * ids are never those of a newer compile, whose token holds its own format.
 */
function idsOfOlderIndex(stored: unknown, file: string): string[] {
  if (typeof stored !== 'object' || stored === null) return [];
  const { file: storedFile, parts, source } = stored as { file?: unknown; parts?: unknown; source?: unknown };
  if (storedFile !== file || typeof parts !== 'object' || parts === null || Array.isArray(parts)) return [];
  return [...Object.values(parts), source].filter(isCacheId);
}

/** Stands for a file whose stat failed just before it was read: never equal to a real stamp. */
const NO_STAMP: SourceStamp = { dev: -1, ino: -1, size: -1, mtimeMs: -1, ctimeMs: -1 };

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    // readText says what is wrong with the file.
    return undefined;
  }
}

function stampOf(stat: Stats | undefined): SourceStamp | undefined {
  if (stat === undefined || !stat.isFile()) return undefined;
  return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
}

function sameStamp(a: SourceStamp, b: SourceStamp): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** Whether an edit after `stampedAt` could fall in the tick of the file's last change. */
function isRacy(stamp: SourceStamp, stampedAt: number): boolean {
  return Math.max(stamp.mtimeMs, stamp.ctimeMs) > stampedAt - RACY_WINDOW_MS;
}

function isSourceOf(value: unknown, index: StoredMappingIndex, text: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const source = value as Partial<Record<keyof StoredMappingSource, unknown>>;
  return source.format === COMPILED_FORMAT && source.token === index.token && source.text === text;
}

/** The text still matches a form whose stamp is outdated or was racy: the stamp vouches from now on. */
function renewStamp(store: CompiledStore, indexId: string, index: StoredMappingIndex, stamp: SourceStamp, onStoreError?: (error: unknown) => void): void {
  try {
    store.write(indexId, { ...index, stamp, racy: false } satisfies StoredMappingIndex);
  } catch (error) {
    onStoreError?.(error);
  }
}

/**
 * The leading segments a unit path must repeat to match the glob (`live/prod/**` -> live, prod;
 * an exact path -> all of it), none when the glob starts with a wildcard or ignores case.
 */
function literalPrefixOf(glob: CompiledGlob): string[] {
  // The same literal prefix testGlob compares first: a unit path that does not start with it never matches.
  if (glob.regexFlags !== '') return [];
  const text = glob.glob;
  const magic = text.search(/[*?[{]/);
  const segments = (magic === -1 ? text : text.slice(0, text.lastIndexOf('/', magic) + 1)).split('/');
  const end = segments.indexOf('');
  return end === -1 ? segments : segments.slice(0, end);
}

/**
 * The part of the globs filed under `prefix` (literal segments; none for the part of every path).
 * Sharded, a prefix names one of `shards` parts of its length, so that a unit path's prefixes of
 * other lengths never land in it.
 */
function partName(prefix: readonly string[], shards: number): string {
  if (prefix.length === 0) return EVERY_PATH;
  const key = prefix.join('/');
  return shards === 0 ? `s:${key}` : `${prefix.length}:${Number.parseInt(cacheId(key).slice(0, 8), 16) % shards}`;
}

/**
 * The parts a unit path may find its mappings in: the part of every path, and the part of each of
 * its first `depth` segments' prefixes (`live`, `live/prod`, ...), since a glob is filed under the
 * first `depth` segments of its literal prefix, or under all of them when it has fewer.
 */
function partNamesFor(unitPath: string, depth: number, shards: number): string[] {
  const names = [EVERY_PATH];
  const segments = unitPath.split('/');
  for (let d = 1; d <= depth && d <= segments.length && segments[d - 1] !== ''; d += 1) {
    names.push(partName(segments.slice(0, d), shards));
  }
  return names;
}

/** The cache id of a part of a compile; the index names its parts, and their ids follow from the names. */
function partId(file: string, token: string, name: string): string {
  return cacheId(`mapping-part:${file}:${token}:${name}`);
}

/** How a compile splits its mappings: how deep a glob's prefix goes in naming its part, and the parts. */
interface PartPlan {
  depth: number;
  shards: number;
  parts: Map<string, CompiledMapping[]>;
}

/** Prefixes deeper than this do not name parts: a call reads up to this many parts and the part of every path. */
const MAX_DEPTH = 6;

/**
 * Splits the mappings by the first `depth` segments of each glob's literal prefix, at the depth
 * where the most a unit path reads (the sum of its parts) is least, the shallowest of equals. One
 * depth does not fit every tree: `team7/**` splits at the first segment, while in a tree that keeps
 * everything under `live/` the first segment would put every mapping in one part.
 */
function planParts(mappings: readonly CompiledMapping[]): PartPlan {
  const prefixes = new Map(mappings.map((mapping) => [mapping, mapping.globs.map(literalPrefixOf)]));
  const allPrefixes = [...prefixes.values()].flat();
  const deepest = Math.min(MAX_DEPTH, allPrefixes.reduce((most, prefix) => Math.max(most, prefix.length), 1));
  let best: { plan: PartPlan; reads: number } | undefined;
  for (let depth = 1; depth <= deepest; depth += 1) {
    const keys = new Map(allPrefixes.map((prefix) => [prefix.slice(0, depth).join('/'), prefix.slice(0, depth)]));
    const lengths = new Set([...keys.values()].map((key) => key.length)).size;
    // At most MAX_PARTS parts however many lengths the prefixes have.
    const shards = keys.size <= MAX_PARTS ? 0 : Math.max(1, Math.floor(MAX_PARTS / lengths));
    const parts = new Map<string, CompiledMapping[]>();
    for (const [mapping, globPrefixes] of prefixes) {
      // Each part gets the mapping with the globs filed under it only: a mapping that lists a
      // directory of every team would otherwise be copied whole into every part.
      const globsByPart = new Map<string, CompiledGlob[]>();
      mapping.globs.forEach((glob, i) => {
        const name = partName((globPrefixes[i] ?? []).slice(0, depth), shards);
        const globs = globsByPart.get(name) ?? [];
        globs.push(glob);
        globsByPart.set(name, globs);
      });
      for (const [name, globs] of globsByPart) {
        const part = parts.get(name) ?? [];
        part.push(globs.length === mapping.globs.length ? mapping : { ...mapping, globs });
        parts.set(name, part);
      }
    }
    // A unit path below a key reads the key's part and the parts of the key's prefixes. (No
    // Math.max(...list): a mapping file of 1 MiB can hold more globs than a call takes arguments.)
    let reads = 0;
    for (const key of keys.keys()) {
      reads = Math.max(reads, partNamesFor(key, depth, shards).reduce((sum, name) => sum + (parts.get(name)?.length ?? 0), 0));
    }
    if (best === undefined || reads < best.reads) best = { plan: { depth, shards, parts }, reads };
  }
  return best?.plan ?? { depth: 1, shards: 0, parts: new Map() };
}

function readParts(store: CompiledStore, index: StoredMappingIndex, unitPath: string | undefined): CompiledMapping[] | undefined {
  const names = unitPath === undefined ? index.parts : partNamesFor(unitPath, index.depth, index.shards).filter((name) => index.parts.includes(name));
  const byIndex = new Map<number, CompiledMapping>();
  for (const name of names) {
    const part = store.read(partId(index.file, index.token, name));
    if (!isMappingPart(part) || part.token !== index.token || part.part !== name) return undefined;
    for (const mapping of part.mappings) {
      const known = byIndex.get(mapping.index);
      byIndex.set(mapping.index, known === undefined ? mapping : { ...known, globs: inFileOrder([...known.globs, ...mapping.globs]) });
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Globs of one mapping gathered from several parts, back in the order the file lists them. */
function inFileOrder(globs: CompiledGlob[]): CompiledGlob[] {
  return globs.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}

function writeParts(
  store: CompiledStore,
  indexId: string,
  compiled: CompiledConfig,
  text: string,
  stamped: Pick<StoredMappingIndex, 'stamp' | 'racy'>,
  previous: StoredMappingIndex | undefined,
): void {
  const { mappings, ...head } = compiled;
  const { depth, shards, parts: grouped } = planParts(mappings);
  const token = `${VERSION}:${COMPILED_FORMAT}:${text.length}:${cacheId(text)}`;
  for (const [name, group] of grouped) {
    store.write(partId(compiled.file, token, name), { format: COMPILED_FORMAT, token, part: name, mappings: group } satisfies StoredMappingPart);
  }
  const parts = [...grouped.keys()];
  const source = cacheId(`mapping-source:${compiled.file}:${token}`);
  store.write(source, { format: COMPILED_FORMAT, token, text } satisfies StoredMappingSource);
  // The index last: it never names a part that is not written yet.
  store.write(indexId, { format: COMPILED_FORMAT, file: compiled.file, ...stamped, head, depth, shards, parts, source, token } satisfies StoredMappingIndex);
  if (previous !== undefined && previous.token !== token) {
    const kept = new Set([...parts.map((name) => partId(compiled.file, token, name)), source]);
    for (const id of [...previous.parts.map((name) => partId(previous.file, previous.token, name)), previous.source]) if (!kept.has(id)) store.remove?.(id);
  }
}

function isMappingIndex(value: unknown): value is StoredMappingIndex {
  if (typeof value !== 'object' || value === null) return false;
  const index = value as Partial<Record<keyof StoredMappingIndex, unknown>>;
  return (
    index.format === COMPILED_FORMAT &&
    typeof index.file === 'string' &&
    isCacheId(index.source) &&
    typeof index.racy === 'boolean' &&
    isSourceStamp(index.stamp) &&
    typeof index.token === 'string' &&
    isCount(index.depth) &&
    isCount(index.shards) &&
    Array.isArray(index.parts) &&
    index.parts.every((name) => typeof name === 'string') &&
    isCompiledConfig({ ...(index.head as object), mappings: [] })
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isSourceStamp(value: unknown): value is SourceStamp {
  if (typeof value !== 'object' || value === null) return false;
  const stamp = value as Partial<Record<keyof SourceStamp, unknown>>;
  return [stamp.dev, stamp.ino, stamp.size, stamp.mtimeMs, stamp.ctimeMs].every((field) => typeof field === 'number');
}

function isMappingPart(value: unknown): value is StoredMappingPart {
  if (typeof value !== 'object' || value === null) return false;
  const part = value as Partial<Record<keyof StoredMappingPart, unknown>>;
  return part.format === COMPILED_FORMAT && typeof part.token === 'string' && typeof part.part === 'string' && isCompiledMappings(part.mappings);
}
