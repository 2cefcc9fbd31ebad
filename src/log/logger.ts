/**
 * The logger facade. Everything rolemap logs goes to stderr, never stdout.
 *
 * pino is loaded only when a record at an enabled level is first written, so the cache-hit path
 * (which logs nothing at the default level, `warn`) does not pay for it.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Logger {
  trace(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  isEnabled(level: LogLevel): boolean;
}
