import { lstatSync, mkdirSync, type Stats } from 'node:fs';

import { errnoCode } from './errnoCode';
import { shellQuote } from '../shellQuote';

export interface OpenCacheDirInit {
  dir: string;
  /** The uid that must own the directory: process.getuid(). */
  uid: number;
}

export type OpenCacheDirResult =
  | { status: 'trusted'; dir: string }
  /** `why` says what is wrong and how to fix it; the caller warns and runs without the cache. */
  | { status: 'untrusted'; dir: string; why: string };

/**
 * Creates the cache directory (0700, parents too) if needed, then checks that it can be trusted:
 * a real directory (not a symbolic link), owned by `uid`, not writable by group or others.
 * Another user who can write there could plant credentials or read a lock-holder's results.
 */
export function openCacheDir(init: OpenCacheDirInit): OpenCacheDirResult {
  const { dir, uid } = init;
  // One lstat on every call where the directory exists (every call but the first): a hit makes
  // this check, and mkdir first would cost two more system calls each time.
  let stat = lstatOrUndefined(dir);
  if (stat === undefined) {
    let mkdirError: unknown;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      mkdirError = error;
    }
    try {
      stat = lstatSync(dir);
    } catch (error) {
      const code = errnoCode(mkdirError ?? error) ?? 'unknown error';
      return untrusted(dir, `rolemap cannot create the cache directory ${dir} (${code}). Fix its parent's permissions or set ROLEMAP_CACHE_DIR.`);
    }
  }
  if (stat.isSymbolicLink()) {
    return untrusted(dir, `The cache directory ${dir} is a symbolic link, which rolemap does not follow. Remove the link (rolemap recreates the directory) or set ROLEMAP_CACHE_DIR to a real directory.`);
  }
  if (!stat.isDirectory()) {
    return untrusted(dir, `The cache path ${dir} is not a directory. Remove it or set ROLEMAP_CACHE_DIR.`);
  }
  if (stat.uid !== uid) {
    return untrusted(dir, `The cache directory ${dir} belongs to uid ${stat.uid}, not to you (uid ${uid}). Run \`chown ${uid} ${shellQuote(dir)}\`, remove it, or set ROLEMAP_CACHE_DIR.`);
  }
  if ((stat.mode & 0o022) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    return untrusted(dir, `The cache directory ${dir} can be written by group or others (mode ${mode}). Run \`chmod 700 ${shellQuote(dir)}\`.`);
  }
  return { status: 'trusted', dir };
}

function lstatOrUndefined(dir: string): Stats | undefined {
  try {
    return lstatSync(dir);
  } catch {
    return undefined;
  }
}

function untrusted(dir: string, why: string): OpenCacheDirResult {
  return { status: 'untrusted', dir, why };
}
