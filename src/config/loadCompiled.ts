import { readFileSync } from 'node:fs';
import { cacheId } from '../cache/cacheId';
import { VERSION } from '../constants';
import { ConfigError } from '../errors';

/** Where compiled configs are kept between runs; undefined when the cache is not trusted. */
export interface CompiledStore {
  /** `id` is derived from the config file's path (see cacheId); the entry's identity names the path in full. */
  read(id: string): unknown;
  write(id: string, value: unknown): void;
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
export const COMPILED_FORMAT = 2;

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
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, {
      hint: 'Check that the file exists and that you may read it.',
      cause: error,
    });
  }
}
