import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';

import { CacheError } from '../errors';
import { errnoCode } from './errnoCode';
import { isRecord } from './isRecord';
import type { LockOwner } from './types';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A lock file as found. `owner` is undefined while its creator is still writing it, or when it is garbage. */
export interface LockFileState {
  owner: LockOwner | undefined;
  /** Identify the file itself, to tell it from a newer lock at the same path. */
  ino: number;
  mtimeMs: number;
}

/** The lock file at `file`, or undefined when there is none. Throws CacheError when it cannot be read. */
export function readLockFile(file: string): LockFileState | undefined {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') return lstatState(file);
    throw new CacheError(`Could not read the cache lock ${file} (${code ?? 'unknown error'}).`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    const text = stat.isFile() ? readFileSync(fd, 'utf8') : '';
    return { owner: parseOwner(text), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** A symbolic link planted where a lock belongs: judged by its own age, like a lock without an owner. */
function lstatState(file: string): LockFileState | undefined {
  try {
    const stat = lstatSync(file);
    return { owner: undefined, ino: stat.ino, mtimeMs: stat.mtimeMs };
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
