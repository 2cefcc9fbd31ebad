import pino from 'pino';

/**
 * pino, behind a slow-path boundary: the hot bundle reaches this module only through import(),
 * so the build keeps pino (and this file) out of it. Loaded when a record is first written.
 */
export function loadPino(): typeof pino {
  return pino;
}
