import { ENV_COMMAND_NAMES_ENV } from '../constants';
import { UsageError } from '../errors';
import { isLogLevel, type LogFormat } from '../log/createLogger';
import type { LogLevel } from '../log/logger';
import { isTruthy } from '../resolve/isTruthy';
import type { Environment, ModeFromEnv } from '../resolve/types';

/**
 * rolemap's own settings from the environment (the ROLEMAP_* variables of `rolemap help`), read
 * once at the entry; the stages below take these values, never the variables. Unset and empty
 * are the same: undefined. The CI variables and AWS_* stay in the `Environment`, where the CI
 * registry and the AWS SDK read them.
 */
export interface RolemapEnvironment {
  /** ROLEMAP_MODE. A value that is not a mode is kept: it is an error only when no --mode overrides it. */
  mode: ModeFromEnv | undefined;
  /** ROLEMAP_CONFIG: the mapping file, unless --config names one. */
  config: string | undefined;
  /** ROLEMAP_USER_CONFIG: the developer's own config. */
  userConfig: string | undefined;
  /** ROLEMAP_CACHE_DIR, as written (the cache checks that it is absolute when it opens it). */
  cacheDir: string | undefined;
  /** ROLEMAP_NO_CACHE: true, 1 or yes in any case. */
  noCache: boolean;
  /** ROLEMAP_LOG_LEVEL, warn when unset. */
  logLevel: LogLevel;
  /** ROLEMAP_LOG_FORMAT, text when unset. */
  logFormat: LogFormat;
  /**
   * ROLEMAP_ENV_VARIABLES as written, empty included: the names `rolemap env` changed in this
   * shell, which it set itself (constants.ts, ENV_COMMAND_NAMES_ENV).
   */
  envCommandNames: string | undefined;
}

/**
 * Reads the ROLEMAP_* settings from `env`.
 * @throws UsageError when ROLEMAP_LOG_LEVEL or ROLEMAP_LOG_FORMAT is not one of its values.
 */
export function readRolemapEnvironment(env: Environment): RolemapEnvironment {
  const level = env['ROLEMAP_LOG_LEVEL'] ?? 'warn';
  const format = env['ROLEMAP_LOG_FORMAT'] ?? 'text';
  if (!isLogLevel(level)) {
    throw new UsageError(`ROLEMAP_LOG_LEVEL is ${JSON.stringify(level.slice(0, 100))}, which is not a log level.`, {
      hint: 'Use one of trace, debug, info, warn, error, silent.',
    });
  }
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`ROLEMAP_LOG_FORMAT is ${JSON.stringify(format.slice(0, 100))}, which is not a log format.`, { hint: 'Use text or json.' });
  }
  const mode = nonEmpty(env['ROLEMAP_MODE']);
  return {
    mode: mode === undefined ? undefined : mode === 'plan' || mode === 'apply' ? { status: 'mode', mode } : { status: 'not-a-mode', text: mode },
    config: nonEmpty(env['ROLEMAP_CONFIG']),
    userConfig: nonEmpty(env['ROLEMAP_USER_CONFIG']),
    cacheDir: nonEmpty(env['ROLEMAP_CACHE_DIR']),
    noCache: isTruthy(env['ROLEMAP_NO_CACHE']),
    logLevel: level,
    logFormat: format,
    envCommandNames: env[ENV_COMMAND_NAMES_ENV],
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}
