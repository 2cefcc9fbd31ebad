import { cacheId } from '../cache/cacheId';
import { COMPILED_FORM_VERSION, MAX_CONFIG_FILE_BYTES, VERSION } from '../constants';
import { ConfigError } from '../errors';
import { FileProblem, readRegularFile } from '../readRegularFile';

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
  /** Told when a compiled form could not be saved; the run goes on. */
  onStoreError?: (error: unknown) => void;
}

interface StoredCompiled {
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
  const identity = `${VERSION}:${COMPILED_FORM_VERSION}:${file}:${text.length}:${cacheId(text)}`;
  const id = cacheId(file);

  const stored = store?.read(id);
  if (isStoredCompiled(stored) && stored.identity === identity) return stored.compiled as T;

  const compiled = await init.compile(text, file);
  try {
    store?.write(id, { identity, compiled } satisfies StoredCompiled);
  } catch (error) {
    init.onStoreError?.(error);
  }
  return compiled;
}

function isStoredCompiled(value: unknown): value is StoredCompiled {
  return (
    typeof value === 'object' &&
    value !== null &&
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
