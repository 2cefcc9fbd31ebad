import type * as Os from 'node:os';

/**
 * node:os, loaded when first needed. A cache hit needs nothing from it when HOME and USER are set,
 * and loading it costs about 0.15 ms, a noticeable share of a hit (docs/performance.md, "How a
 * call stays cheap").
 */
export function onDemandOs(): typeof Os {
  return require('node:os') as typeof Os;
}

/**
 * The home directory, as os.homedir() finds it (libuv): HOME whenever it is set, even empty or
 * relative (absoluteHome refuses those where it matters), else the user's passwd entry.
 */
export function homeDirectory(): string {
  return process.env['HOME'] ?? onDemandOs().homedir();
}
