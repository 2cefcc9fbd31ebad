import { closeSync, constants, fstatSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from 'node:vm';
import { homeDirectory } from '../onDemandOs';
import { readExactly } from '../readExactly';
import { cacheId } from './cacheId';
import { openCacheDir } from './openCacheDir';
import { resolveCacheDir } from './resolveCacheDir';
import { uniqueSuffix } from './uniqueSuffix';

export interface UserCodeCacheInit {
  /** The content hash of dist/rolemap.cjs: a code cache fits one bundle only. */
  bundleId: string;
  /**
   * Every option that reaches V8 (process.execArgv and NODE_OPTIONS), which the cache's file name
   * holds: V8 takes a code cache only under the options that made it.
   */
  v8Options: string;
  /**
   * ROLEMAP_NO_CACHE and ROLEMAP_CACHE_DIR, read only where a code cache of rolemap's own is
   * wanted (so a hit under the build's Node reads no setting twice); undefined when the settings
   * are invalid, which the bundle reports.
   */
  fromEnv: () => { noCache: boolean; cacheDir: string | undefined } | undefined;
  env?: NodeJS.ProcessEnv;
}

export interface UserCodeCache {
  /** The cache's bytes for a dist file (named relative to dist/), or undefined when there is none that rolemap may trust. */
  read(name: string): Uint8Array | undefined;
  /** Saves the code cache of `script` (best effort: a failure only means the next call compiles again). */
  write(name: string, script: Script): void;
}

/** Bounded: a code cache of rolemap.cjs is about 100 KB, of a lib with the AWS SDK about 1 MB. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * rolemap's own V8 code cache of its bundle, in the cache directory, for runtimes where V8 rejects
 * the one shipped in dist/ (another Node version, V8 flags in NODE_OPTIONS: dist/rolemap decides).
 * Undefined where there is no cache to use (ROLEMAP_NO_CACHE, an untrusted directory).
 *
 * A code cache is executable state: V8 runs the bytecode it holds. So it gets the credential
 * files' checks and more: the directory is the trusted cache directory (owned by the user, 0700),
 * the file is a regular file (no symlink) owned by the user with no group or other permission,
 * written 0600 through a temporary file and a rename. The file name holds the bundle's content
 * hash, the Node version, the platform and every option that reaches V8, so a cache made for one
 * runtime is never offered to another.
 */
export function userCodeCache(init: UserCodeCacheInit): UserCodeCache | undefined {
  const env = init.env ?? process.env;
  const settings = init.fromEnv();
  if (settings === undefined || settings.noCache) return undefined;
  const uid = process.getuid?.() ?? -1;
  let dir: string;
  try {
    const opened = openCacheDir({ dir: resolveCacheDir(settings.cacheDir, env, homeDirectory()), uid });
    if (opened.status !== 'trusted') return undefined;
    dir = opened.dir;
  } catch {
    // The command itself reports a cache directory it cannot use.
    return undefined;
  }
  const runtime = `${init.bundleId}:${process.version}:${process.platform}:${process.arch}:${init.v8Options}`;
  const fileOf = (name: string): string => join(dir, `codecache-${cacheId(`${runtime}:${name}`)}`);
  return {
    read: (name) => readTrusted(fileOf(name), uid),
    write: (name, script) => {
      const file = fileOf(name);
      const temp = `${file}.tmp-${uniqueSuffix()}`;
      try {
        const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
        try {
          writeFileSync(fd, script.createCachedData());
        } finally {
          closeSync(fd);
        }
        renameSync(temp, file);
      } catch {
        try {
          unlinkSync(temp);
        } catch {
          // Never created, or `rolemap cache clear` removes it.
        }
      }
    },
  };
}

function readTrusted(file: string, uid: number): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o077) !== 0 || stat.size > MAX_BYTES) return undefined;
    return readExactly(fd, stat.size);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
