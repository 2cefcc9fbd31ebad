import type * as FsPromises from 'node:fs/promises';

/**
 * The functions of node:fs/promises that rolemap and the AWS SDK's libs use, loading the module on
 * first call. Loading it (with the readline and watcher modules it pulls in) costs a cache miss
 * most of a millisecond, and a miss calls none of them: the SDK's reads of the shared config
 * files are answered from the copies checkSharedAwsFiles read (see loadSdk), and the SSO token
 * files are written only on SSO paths. scripts/build.mjs points the SDK's own imports here.
 */
function fsPromises(): typeof FsPromises {
  return require('node:fs/promises') as typeof FsPromises;
}

export const readFile = ((...args: Parameters<typeof FsPromises.readFile>) => fsPromises().readFile(...args)) as typeof FsPromises.readFile;
export const writeFile: typeof FsPromises.writeFile = (...args) => fsPromises().writeFile(...args);
export const rename: typeof FsPromises.rename = (...args) => fsPromises().rename(...args);
export const unlink: typeof FsPromises.unlink = (...args) => fsPromises().unlink(...args);
export const mkdir = ((...args: Parameters<typeof FsPromises.mkdir>) => fsPromises().mkdir(...args)) as typeof FsPromises.mkdir;
export const open: typeof FsPromises.open = (...args) => fsPromises().open(...args);
