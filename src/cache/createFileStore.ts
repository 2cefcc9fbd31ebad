import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';

import { CacheError } from '../errors';
import { joinAbsolute } from '../joinAbsolute';
import { isCacheId } from './cacheId';
import { errnoCode } from './errnoCode';
import { uniqueSuffix } from './uniqueSuffix';

const NAMESPACE_PATTERN = /^[a-z]+$/;

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export type RefusalReason = 'symlink' | 'not-a-file' | 'not-owned' | 'writable' | 'unreadable' | 'corrupt';

/** A file the store would not use. Reported so the caller can warn (or, for `corrupt`, just note it). */
export interface RefusedFile {
  file: string;
  reason: RefusalReason;
  why: string;
}

export interface FileStoreInit {
  /** A directory `openCacheDir` found trusted. */
  dir: string;
  /** Entries must belong to this uid: process.getuid(). */
  uid: number;
  /** Told about every entry that exists but is not used. */
  onRefused?: (refused: RefusedFile) => void;
}

/**
 * JSON entries, one file each, at `<dir>/<namespace>-<id>.json`. Knows nothing of what the values
 * mean: typed wrappers (readCachedCredentials, readRememberedFailure...) validate them.
 */
export interface FileStore {
  readonly dir: string;
  /** The parsed entry, or undefined when it is missing, unparsable or not trusted (a miss, never a throw). */
  read(namespace: string, id: string): unknown;
  /** Replaces the entry atomically (0600 temp file, then rename). Throws CacheError. */
  write(namespace: string, id: string, value: unknown): void;
  /** Whether there was an entry to remove. Throws CacheError. */
  remove(namespace: string, id: string): boolean;
  /** Ids of the entries present in a namespace. */
  list(namespace: string): string[];
  /** Where the lock guarding an id lives (see withFileLock). */
  lockPath(id: string): string;
}

/** A store of JSON entries in a trusted directory. Every cache file access goes through it or withFileLock. */
export function createFileStore(init: FileStoreInit): FileStore {
  const { dir, uid, onRefused } = init;

  const fileOf = (namespace: string, id: string): string => {
    if (!NAMESPACE_PATTERN.test(namespace) || !isCacheId(id)) {
      throw new CacheError(`Invalid cache entry name "${namespace}-${id}".`);
    }
    return joinAbsolute(dir, `${namespace}-${id}.json`);
  };

  const refuse = (file: string, reason: RefusalReason, why: string): undefined => {
    onRefused?.({ file, reason, why });
    return undefined;
  };

  return {
    dir,

    read(namespace, id) {
      const file = fileOf(namespace, id);
      let fd: number;
      try {
        fd = openSync(file, READ_FLAGS);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT') return undefined;
        if (code === 'ELOOP' || code === 'EMLINK') {
          return refuse(file, 'symlink', `${file} is a symbolic link; rolemap ignores it. Delete it.`);
        }
        return refuse(file, 'unreadable', `${file} cannot be read (${code ?? 'unknown error'}).`);
      }
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) return refuse(file, 'not-a-file', `${file} is not a regular file; rolemap ignores it. Delete it.`);
        if (stat.uid !== uid) {
          return refuse(file, 'not-owned', `${file} belongs to uid ${stat.uid}, not to you (uid ${uid}); rolemap ignores it. Delete it.`);
        }
        if ((stat.mode & 0o022) !== 0) {
          return refuse(file, 'writable', `${file} can be written by group or others; rolemap ignores it. Delete it.`);
        }
        const text = readFileSync(fd, 'utf8');
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return refuse(file, 'corrupt', `${file} is not valid JSON (a truncated write?); it is treated as a miss and will be rewritten.`);
        }
      } catch (error) {
        return refuse(file, 'unreadable', `${file} cannot be read (${errnoCode(error) ?? 'unknown error'}).`);
      } finally {
        closeSync(fd);
      }
    },

    write(namespace, id, value) {
      const file = fileOf(namespace, id);
      const text = JSON.stringify(value);
      const temp = `${file}.tmp-${uniqueSuffix()}`;
      let created = false;
      try {
        const fd = openSync(temp, CREATE_FLAGS, 0o600);
        created = true;
        try {
          writeFileSync(fd, text);
        } finally {
          closeSync(fd);
        }
        // No fsync of the file or the directory: this is a cache. A power cut may lose an entry
        // or leave it torn, and a lost or torn entry is a miss (read validates every entry);
        // two fsyncs would cost every miss a few milliseconds on a real disk, for nothing.
        replaceWith(temp, file);
      } catch (error) {
        if (created) removeQuietly(temp);
        throw new CacheError(`Could not write the cache file ${file} (${errnoCode(error) ?? 'unknown error'}).`, {
          cause: error,
          hint: `Check that ${dir} is yours and has free space, or set ROLEMAP_NO_CACHE=1.`,
        });
      }
    },

    remove(namespace, id) {
      const file = fileOf(namespace, id);
      try {
        unlinkSync(file);
        return true;
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') return false;
        throw new CacheError(`Could not delete the cache file ${file} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
      }
    },

    list(namespace) {
      if (!NAMESPACE_PATTERN.test(namespace)) throw new CacheError(`Invalid cache namespace "${namespace}".`);
      const prefix = `${namespace}-`;
      return readNames(dir)
        .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
        .map((name) => name.slice(prefix.length, -'.json'.length))
        .filter(isCacheId);
    },

    lockPath(id) {
      if (!isCacheId(id)) throw new CacheError(`Invalid cache lock name "${id}".`);
      return joinAbsolute(dir, `lock-${id}`);
    },
  };
}

/**
 * Renames `temp` onto `file`. A directory in the entry's place (rename(2) cannot replace one) is
 * moved aside and removed first: it lies in rolemap's own directory under an entry's name, and
 * left there it would make every caller ask AWS and warn (single flight shares through the entry).
 */
function replaceWith(temp: string, file: string): void {
  try {
    renameSync(temp, file);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    const aside = `${file}.tmp-${uniqueSuffix()}`;
    renameSync(file, aside);
    rmSync(aside, { recursive: true, force: true });
    renameSync(temp, file);
  }
}

function readNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw new CacheError(`Could not list the cache directory ${dir} (${errnoCode(error) ?? 'unknown error'}).`, { cause: error });
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or `rolemap cache clear` will remove it.
  }
}

