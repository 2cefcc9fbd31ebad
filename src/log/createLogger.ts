import type { LogLevel, Logger } from './logger';

export type LogFormat = 'text' | 'json';

const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Field names whose values are secrets wherever they appear in a log record. */
const SECRET_FIELDS = [
  'secretAccessKey',
  'SecretAccessKey',
  'sessionToken',
  'SessionToken',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'webIdentityToken',
  'token',
  'authorization',
];

export function isLogLevel(value: string): value is LogLevel {
  return Object.prototype.hasOwnProperty.call(LEVEL_VALUES, value);
}

export interface CreateLoggerInit {
  level: LogLevel;
  format: LogFormat;
  /** Where records go; stderr, never stdout. */
  write: (line: string) => void;
}

export interface FlushableLogger extends Logger {
  /** Waits until every record so far has been written. Call before exiting. */
  flush(): Promise<void>;
}

interface PendingRecord {
  level: Exclude<LogLevel, 'silent'>;
  msg: string;
  fields: Record<string, unknown> | undefined;
}

/** What the facade needs of pino; a plain function so the loaded value is never mistaken for a promise. */
type WriteRecord = (level: Exclude<LogLevel, 'silent'>, fields: Record<string, unknown>, msg: string) => void;

/**
 * A logger whose records go through pino to stderr. pino is imported only when the first
 * record at an enabled level is written, so runs that log nothing (a cache hit at the default
 * level) never load it. Records written before pino is ready are queued in order.
 */
export function createLogger(init: CreateLoggerInit): FlushableLogger {
  const threshold = LEVEL_VALUES[init.level];
  let writeRecord: WriteRecord | undefined;
  let loading: Promise<void> | undefined;
  const queue: PendingRecord[] = [];

  const emit = (record: PendingRecord): void => {
    if (writeRecord === undefined) {
      queue.push(record);
      loading ??= loadPino(init).then((loaded) => {
        writeRecord = loaded;
        for (const queued of queue.splice(0)) loaded(queued.level, queued.fields ?? {}, queued.msg);
      });
      return;
    }
    writeRecord(record.level, record.fields ?? {}, record.msg);
  };

  const at =
    (level: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (LEVEL_VALUES[level] >= threshold) emit({ level, msg, fields });
    };

  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isEnabled: (level) => LEVEL_VALUES[level] >= threshold,
    flush: async () => {
      await loading;
    },
  };
}

async function loadPino(init: CreateLoggerInit): Promise<WriteRecord> {
  const pino = (await import('./loadPino')).loadPino();
  const destination = {
    write: init.format === 'json' ? init.write : (line: string) => init.write(toTextLine(line)),
  };
  const instance = pino(
    {
      level: init.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
    },
    destination,
  );
  return (level, fields, msg) => instance[level](fields, msg);
}

/** One readable line per record: `rolemap WARN message key=value ...`. */
function toTextLine(jsonLine: string): string {
  const record = JSON.parse(jsonLine) as Record<string, unknown>;
  const { level, msg, time: _time, ...fields } = record;
  const name = typeof level === 'number' ? (LEVEL_NAMES[level] ?? String(level)) : 'LOG';
  const extras = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `rolemap ${name} ${String(msg ?? '')}${extras ? ` ${extras}` : ''}\n`;
}
