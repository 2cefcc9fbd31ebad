import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';

import { CacheError } from '../errors';
import { errnoCode } from './errnoCode';
import { isRecord } from './isRecord';
import type { LockOwner } from './types';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** A lock holds about 150 bytes; anything much larger is not a lock, and is not read whole. */
const MAX_LOCK_BYTES = 4096;

/**
 * A lock file as found. `owner` is undefined when the file holds no valid owner: empty or partial
 * (an older rolemap killed between creating and writing it), garbage, or not a regular file.
 */
export interface LockFileState {
  owner: LockOwner | undefined;
  /** Whether the path is a regular file; a directory, FIFO, socket or symbolic link is not, and no rolemap makes one. */
  regular: boolean;
  /** Identifies the file itself, to tell it from a newer lock at the same path. */
  ino: number;
  mtimeMs: number;
  size: number;
}

/** The lock file at `file`, or undefined when there is none. Throws CacheError when it cannot be read. */
export function readLockFile(file: string): LockFileState | undefined {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'ENXIO') return lstatState(file);
    throw new CacheError(`Could not read the cache lock ${file} (${code ?? 'unknown error'}).`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    const regular = stat.isFile();
    const text = regular && stat.size <= MAX_LOCK_BYTES ? readFileSync(fd, 'utf8') : '';
    return { owner: parseOwner(text), regular, ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
  } finally {
    closeSync(fd);
  }
}

/** A symbolic link (or a socket) planted where a lock belongs: an odd lock, judged without reading it. */
function lstatState(file: string): LockFileState | undefined {
  try {
    const stat = lstatSync(file);
    return { owner: undefined, regular: false, ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { pid, hostname, createdAt, token } = value;
  // pid must be positive: process.kill(0 or -n, 0) would probe a whole process group.
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof hostname !== 'string' || typeof token !== 'string' || token === '') return undefined;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) return undefined;
  return { pid, hostname, createdAt, token };
}
