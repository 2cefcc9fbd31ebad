import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file could not be read, in words a user knows. */
export type FileProblemReason = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

/**
 * A user-supplied file that rolemap will not read. `message` completes "<path> ...", e.g.
 * "is a named pipe (FIFO), not a regular file". Not a RolemapError: each caller wraps it in the
 * error of its own layer (ConfigError for the mapping file, CredentialsError for a token file).
 */
export class FileProblem extends Error {
  readonly reason: FileProblemReason;
  readonly path: string;
  /** The errno code when the system refused (ENOENT, EACCES, ELOOP...). */
  readonly code: string | undefined;
  /** The part after the path: "is a directory, not a regular file". */
  readonly detail: string;

  constructor(path: string, reason: FileProblemReason, detail: string, code?: string) {
    super(`${path} ${detail}`);
    // Explicit: the bundle is minified, so a class's own name would read "l".
    this.name = 'FileProblem';
    this.path = path;
    this.reason = reason;
    this.detail = detail;
    this.code = code;
  }
}

export interface ReadRegularFileOptions {
  /** Largest size read, in bytes; a larger file is refused without reading it. */
  maxBytes: number;
  /** Refuse a symbolic link as the last path component (for files that hold secrets). */
  noFollow?: boolean;
}

/** What the system calls other kinds of files, for messages. */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'does not exist (a part of its path is not a directory)',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: operation not permitted',
  ELOOP: 'is a symbolic link, which rolemap does not follow for this file',
  EISDIR: 'is a directory, not a regular file',
  ENAMETOOLONG: 'has a name that is too long',
};

/**
 * Reads a user-supplied file (mapping file, user config, token files, AWS config files) without
 * ever blocking: it is opened non-blocking, so a named pipe or a device cannot stall the call
 * (Terragrunt would wait on rolemap forever), and anything but a regular file, or a file over
 * `maxBytes`, is refused after `fstat` on the opened descriptor (no race with a swap of the path).
 * Synchronous on purpose: a regular file of bounded size reads in microseconds, and the
 * cache-hit path reads token files this way without loading anything.
 * @throws FileProblem saying what is wrong with the file.
 */
export function readRegularFile(path: string, options: ReadRegularFileOptions): string {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow === true ? constants.O_NOFOLLOW : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const reason: FileProblemReason = code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : code === 'EISDIR' ? 'not-regular' : 'unreadable';
    throw new FileProblem(path, reason, ERRNO_WORDS[code] ?? `cannot be read (${code})`, code);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileProblem(path, 'not-regular', `is ${kindOf(stat)}, not a regular file`);
    if (stat.size > options.maxBytes) {
      throw new FileProblem(path, 'too-large', `is ${sizeText(stat.size)}, larger than the ${sizeText(options.maxBytes)} rolemap reads`);
    }
    // Read one byte past the limit: a file that grew after fstat is still refused.
    let buffer = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, stat.size + 1));
    let length = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
        throw new FileProblem(path, 'unreadable', ERRNO_WORDS[code] ?? `cannot be read (${code})`, code);
      }
      if (read === 0) break;
      length += read;
      if (length > options.maxBytes) {
        throw new FileProblem(path, 'too-large', `is larger than the ${sizeText(options.maxBytes)} rolemap reads`);
      }
      if (length === buffer.length) {
        // The file grew since fstat: keep reading, still within the limit.
        const grown = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
