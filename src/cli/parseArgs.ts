import type { Mode } from '../config/types';
import { UsageError } from '../errors';

export type Command =
  | { name: 'credentials'; dir: string | undefined; mode: Mode | undefined; config: string | undefined }
  | { name: 'credential-process'; dir: string | undefined; mode: Mode | undefined; config: string | undefined }
  | { name: 'env'; dir: string | undefined; mode: Mode | undefined; config: string | undefined; shell: Shell; unset: boolean }
  | { name: 'exec'; dir: string | undefined; mode: Mode | undefined; config: string | undefined; command: readonly [string, ...string[]] }
  | { name: 'explain'; dir: string | undefined; mode: Mode | undefined; config: string | undefined; json: boolean }
  | { name: 'validate'; dir: string | undefined; config: string | undefined; units: boolean; json: boolean }
  | {
      name: 'login';
      startUrl: string | undefined;
      region: string | undefined;
      ssoSession: string | undefined;
      noBrowser: boolean;
      config: string | undefined;
      dir: string | undefined;
      /** `--mfa`: an MFA session for a base profile instead of an IAM Identity Center login. */
      mfa: boolean;
      profile: string | undefined;
      code: string | undefined;
    }
  | {
      name: 'logout';
      startUrl: string | undefined;
      region: string | undefined;
      ssoSession: string | undefined;
      config: string | undefined;
      dir: string | undefined;
    }
  | { name: 'cache'; action: 'list' | 'clear'; json: boolean }
  | { name: 'completion'; shell: CompletionShell }
  | { name: 'help'; topic: CommandName | undefined }
  | { name: 'version' };

/** The shells `rolemap env` writes for. */
export const SHELLS = ['sh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];
/** The shells `rolemap completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Every command, in the order help and completion list them. */
export const COMMAND_NAMES = [
  'credentials',
  'credential-process',
  'exec',
  'env',
  'explain',
  'validate',
  'login',
  'logout',
  'cache',
  'completion',
  'help',
  'version',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const OPTIONS = {
  dir: { type: 'string' },
  mode: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  units: { type: 'boolean' },
  'start-url': { type: 'string' },
  'sso-session': { type: 'string' },
  region: { type: 'string' },
  'no-browser': { type: 'boolean' },
  mfa: { type: 'boolean' },
  profile: { type: 'string' },
  code: { type: 'string' },
  shell: { type: 'string' },
  unset: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type OptionName = keyof typeof OPTIONS;
/** Options that take a value: shell completion must say what to offer for each. */
export type ValuedOptionName = { [K in OptionName]: (typeof OPTIONS)[K]['type'] extends 'string' ? K : never }[OptionName];

/**
 * Which options each command takes (besides --help); anything else is a usage error naming the
 * command. Help, completion and the README are checked against this table.
 */
export const ALLOWED: Readonly<Record<CommandName, readonly OptionName[]>> = {
  credentials: ['dir', 'mode', 'config'],
  'credential-process': ['dir', 'mode', 'config'],
  exec: ['dir', 'mode', 'config'],
  env: ['dir', 'mode', 'config', 'shell', 'unset'],
  explain: ['dir', 'mode', 'config', 'json'],
  validate: ['dir', 'config', 'units', 'json'],
  login: ['start-url', 'region', 'sso-session', 'no-browser', 'config', 'dir', 'mfa', 'profile', 'code'],
  logout: ['start-url', 'region', 'sso-session', 'config', 'dir'],
  cache: ['json'],
  completion: [],
  help: [],
  version: [],
};

export function isCommandName(value: string): value is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

/**
 * Turns argv (without node and the script) into a typed command.
 * @throws UsageError for unknown commands, options or values; its hint names the command's help.
 */
export function parseArgs(argv: readonly string[]): Command {
  // What Terragrunt runs: no arguments. Answered without node:util's parser, whose first use
  // loads modules that cost a noticeable share of a cache hit.
  if (argv.length === 0) return { name: 'credentials', dir: undefined, mode: undefined, config: undefined };
  // `--` ends rolemap's own arguments: what follows is exec's command, options and all.
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const after = separator === -1 ? undefined : argv.slice(separator + 1);
  const { parseNodeArgs } = require('./parseNodeArgs') as typeof import('./parseNodeArgs');
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...own], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'), { hint: helpHint(commandIn(own)) });
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
    if (!(ALLOWED[name] as readonly string[]).includes(option)) {
      throw new UsageError(`The ${name} command does not take --${option}.`, { hint: helpHint(name) });
    }
  }
  if (after !== undefined && name !== 'exec') {
    throw new UsageError(`The ${name} command does not take a command after --.`, { hint: helpHint(name) });
  }
  const mode = parseMode(values.mode, name);

  switch (name) {
    case 'credentials':
    case 'credential-process':
      noMorePositionals(name, rest);
      return { name, dir: values.dir, mode, config: values.config };
    case 'env':
      noMorePositionals(name, rest.slice(1));
      return {
        name,
        dir: rest[0] ?? values.dir,
        mode,
        config: values.config,
        shell: oneOf(values.shell ?? 'sh', SHELLS, '--shell', name),
        unset: values.unset ?? false,
      };
    case 'exec': {
      noMorePositionals(name, rest.slice(1));
      const [program, ...programArgs] = after ?? [];
      if (program === undefined || program === '') {
        throw new UsageError('The exec command needs the command to run after --, as in `rolemap exec live/dev/vpc -- terraform plan`.', {
          hint: helpHint(name),
        });
      }
      return { name, dir: rest[0] ?? values.dir, mode, config: values.config, command: [program, ...programArgs] };
    }
    case 'explain':
      noMorePositionals(name, rest.slice(1));
      return { name, dir: rest[0] ?? values.dir, mode, config: values.config, json: values.json ?? false };
    case 'validate':
      noMorePositionals(name, rest);
      return { name, dir: values.dir, config: values.config, units: values.units ?? false, json: values.json ?? false };
    case 'login':
      noMorePositionals(name, rest);
      checkMfaFlags(values);
      return {
        name,
        startUrl: values['start-url'],
        region: values.region,
        ssoSession: values['sso-session'],
        noBrowser: values['no-browser'] ?? false,
        config: values.config,
        dir: values.dir,
        mfa: values.mfa ?? false,
        profile: values.profile,
        code: values.code,
      };
    case 'logout':
      noMorePositionals(name, rest);
      return {
        name,
        startUrl: values['start-url'],
        region: values.region,
        ssoSession: values['sso-session'],
        config: values.config,
        dir: values.dir,
      };
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
    case 'completion': {
      const [shell, ...extra] = rest;
      if (shell === undefined) {
        throw new UsageError(`The completion command needs a shell: ${COMPLETION_SHELLS.join(', ')}.`, { hint: helpHint(name) });
      }
      noMorePositionals(name, extra);
      return { name, shell: oneOf(shell, COMPLETION_SHELLS, 'the shell', name) };
    }
    case 'help': {
      const [topic, ...extra] = rest;
      noMorePositionals(name, extra);
      if (topic !== undefined && !isCommandName(topic)) {
        throw new UsageError(`Unknown command "${topic}".`, { hint: `Commands: ${COMMAND_NAMES.join(', ')}. Run \`rolemap help\`.` });
      }
      return { name, topic };
    }
    case 'version':
      noMorePositionals(name, rest);
      return { name };
  }
}

/** `login --mfa` and the IAM Identity Center login take flags of their own, never each other's. */
function checkMfaFlags(values: { mfa?: boolean; profile?: string; code?: string } & Record<string, unknown>): void {
  if (values.mfa === true) {
    const ssoFlags = ['start-url', 'region', 'sso-session', 'no-browser'].filter((flag) => values[flag] !== undefined);
    if (ssoFlags.length > 0) {
      throw new UsageError(`login --mfa gets an MFA session for an AWS profile; it does not take ${ssoFlags.map((f) => `--${f}`).join(', ')}.`, {
        hint: 'Run `rolemap login --mfa [--profile P] [--code C]`, or `rolemap login` without --mfa for IAM Identity Center.',
      });
    }
    return;
  }
  const mfaFlags = ['profile', 'code'].filter((flag) => values[flag] !== undefined);
  if (mfaFlags.length > 0) {
    throw new UsageError(`${mfaFlags.map((f) => `--${f}`).join(' and ')} go${mfaFlags.length === 1 ? 'es' : ''} with --mfa.`, {
      hint: 'Run `rolemap login --mfa [--profile P] [--code C]`.',
    });
  }
}

/** Where to read about a command's arguments: its own help when the command is known. */
function helpHint(command: CommandName | undefined): string {
  return command === undefined || command === 'credentials'
    ? 'Run `rolemap --help` to see the commands and their options.'
    : `Run \`rolemap ${command} --help\` to see its options.`;
}

/** The command an argv names, for the hint of an error that stopped the parser before it said. */
function commandIn(argv: readonly string[]): CommandName | undefined {
  const { parseNodeArgs } = require('./parseNodeArgs') as typeof import('./parseNodeArgs');
  try {
    const first = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
    return first !== undefined && isCommandName(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string, command: CommandName): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not "${value}".`, { hint: helpHint(command) });
}

function parseMode(value: string | undefined, command: CommandName): Mode | undefined {
  if (value === undefined || value === 'plan' || value === 'apply') return value;
  throw new UsageError(`--mode must be plan or apply, not "${value}".`, {
    hint: command === 'credentials' ? 'Use --mode plan or --mode apply.' : `Use --mode plan or --mode apply; run \`rolemap ${command} --help\`.`,
  });
}

function noMorePositionals(command: CommandName, extra: readonly string[]): void {
  if (extra.length > 0) {
    throw new UsageError(`The ${command} command got unexpected arguments: ${extra.join(' ')}.`, { hint: helpHint(command) });
  }
}
