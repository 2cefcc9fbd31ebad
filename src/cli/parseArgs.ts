import type { Mode } from '../config/types';
import { UsageError } from '../errors';

export type Command =
  | { name: 'credentials'; dir: string | undefined; mode: Mode | undefined; config: string | undefined }
  | { name: 'env'; dir: string | undefined; mode: Mode | undefined; config: string | undefined }
  | { name: 'explain'; dir: string | undefined; mode: Mode | undefined; config: string | undefined; json: boolean }
  | { name: 'validate'; dir: string | undefined; config: string | undefined; units: boolean; json: boolean }
  | { name: 'login'; startUrl: string | undefined; region: string | undefined; noBrowser: boolean; config: string | undefined; dir: string | undefined }
  | { name: 'logout'; startUrl: string | undefined; region: string | undefined; config: string | undefined; dir: string | undefined }
  | { name: 'cache'; action: 'list' | 'clear'; json: boolean }
  | { name: 'help'; topic: string | undefined }
  | { name: 'version' };

const COMMAND_NAMES = ['credentials', 'env', 'explain', 'validate', 'login', 'logout', 'cache'] as const;

const OPTIONS = {
  dir: { type: 'string' },
  mode: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  units: { type: 'boolean' },
  'start-url': { type: 'string' },
  region: { type: 'string' },
  'no-browser': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Which options each command takes; anything else is a usage error naming the command. */
const ALLOWED: Readonly<Record<(typeof COMMAND_NAMES)[number], readonly string[]>> = {
  credentials: ['dir', 'mode', 'config'],
  env: ['dir', 'mode', 'config'],
  explain: ['dir', 'mode', 'config', 'json'],
  validate: ['dir', 'config', 'units', 'json'],
  login: ['start-url', 'region', 'no-browser', 'config', 'dir'],
  logout: ['start-url', 'region', 'config', 'dir'],
  cache: ['json'],
};

function isCommandName(value: string): value is (typeof COMMAND_NAMES)[number] {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

/**
 * Turns argv (without node and the script) into a typed command.
 * @throws UsageError for unknown commands, options or values.
 */
export function parseArgs(argv: readonly string[]): Command {
  // What Terragrunt runs: no arguments. Answered without node:util's parser, whose first use
  // loads modules that cost a noticeable share of a cache hit.
  if (argv.length === 0) return { name: 'credentials', dir: undefined, mode: undefined, config: undefined };
  const { parseNodeArgs } = require('./parseNodeArgs') as typeof import('./parseNodeArgs');
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'), {
      hint: 'Run `rolemap --help` to see the commands and their options.',
    });
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  if (values.version) return { name: 'version' };
  if (first !== undefined && !isCommandName(first)) {
    throw new UsageError(`Unknown command "${first}".`, { hint: `Commands: ${COMMAND_NAMES.join(', ')}. Run \`rolemap --help\`.` });
  }
  const name = first ?? 'credentials';
  if (values.help) return { name: 'help', topic: first };

  for (const option of Object.keys(values)) {
    if (!ALLOWED[name].includes(option)) {
      throw new UsageError(`The ${name} command does not take --${option}.`, { hint: `Run \`rolemap ${name} --help\`.` });
    }
  }
  const mode = parseMode(values.mode);

  switch (name) {
    case 'credentials':
    case 'env':
      noMorePositionals(name, rest.slice(name === 'env' ? 1 : 0));
      return { name, dir: name === 'env' ? (rest[0] ?? values.dir) : values.dir, mode, config: values.config };
    case 'explain':
      noMorePositionals(name, rest.slice(1));
      return { name, dir: rest[0] ?? values.dir, mode, config: values.config, json: values.json ?? false };
    case 'validate':
      noMorePositionals(name, rest);
      return { name, dir: values.dir, config: values.config, units: values.units ?? false, json: values.json ?? false };
    case 'login':
      noMorePositionals(name, rest);
      return {
        name,
        startUrl: values['start-url'],
        region: values.region,
        noBrowser: values['no-browser'] ?? false,
        config: values.config,
        dir: values.dir,
      };
    case 'logout':
      noMorePositionals(name, rest);
      return { name, startUrl: values['start-url'], region: values.region, config: values.config, dir: values.dir };
    case 'cache': {
      const [action, ...extra] = rest;
      if (action !== 'list' && action !== 'clear') {
        throw new UsageError(`The cache command needs list or clear${action === undefined ? '' : `, not "${action}"`}.`, {
          hint: 'Run `rolemap cache list` or `rolemap cache clear`.',
        });
      }
      noMorePositionals('cache', extra);
      return { name, action, json: values.json ?? false };
    }
  }
}

function parseMode(value: string | undefined): Mode | undefined {
  if (value === undefined || value === 'plan' || value === 'apply') return value;
  throw new UsageError(`--mode must be plan or apply, not "${value}".`, { hint: 'Use --mode plan or --mode apply.' });
}

function noMorePositionals(command: string, extra: readonly string[]): void {
  if (extra.length > 0) {
    throw new UsageError(`The ${command} command got unexpected arguments: ${extra.join(' ')}.`, {
      hint: `Run \`rolemap ${command} --help\`.`,
    });
  }
}
