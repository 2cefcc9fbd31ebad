import * as fs from 'node:fs';
import * as path from 'node:path';
import { runInProcess } from '../runInProcess';
import { EXAMPLES_LIVE, makeSandbox, type Sandbox } from '../sandbox';

const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;

const USAGE: ReadonlyArray<[string, string]> = [
  ['credentials', 'Usage: rolemap credentials [--dir D] [--mode plan|apply] [--config F]'],
  ['credential-process', 'Usage: rolemap credential-process [--dir D] [--mode plan|apply] [--config F]'],
  ['exec', 'Usage: rolemap exec [DIR] [--mode plan|apply] [--config F] -- CMD [ARG...]'],
  ['env', 'Usage: rolemap env [DIR] [--mode plan|apply] [--config F] [--shell sh|fish|powershell] [--unset]'],
  ['explain', 'Usage: rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]'],
  ['validate', 'Usage: rolemap validate [--config F] [--dir D] [--units] [--json]'],
  ['login', 'Usage: rolemap login [--start-url U] [--region R] [--sso-session NAME] [--no-browser] | --mfa [--profile P] [--code C]'],
  ['logout', 'Usage: rolemap logout [--start-url U] [--region R] [--sso-session NAME]'],
  ['cache', 'Usage: rolemap cache list|clear [--json]'],
  ['completion', 'Usage: rolemap completion bash|zsh|fish'],
  ['help', 'Usage: rolemap help [COMMAND]'],
  ['version', 'Usage: rolemap version'],
];

describe('rolemap --help, --version and usage errors in process', () => {
  let sandbox: Sandbox;

  beforeAll(() => {
    sandbox = makeSandbox();
  });
  afterAll(() => sandbox.cleanup());

  const rolemap = (args: readonly string[]): ReturnType<typeof runInProcess> =>
    runInProcess(args, { cwd: path.join(EXAMPLES_LIVE, 'dev/us-east-1/app'), env: sandbox.env });

  it.each([['--help'], ['-h']])('%s prints the main help: the version, then every command\'s usage line', async (flag) => {
    const run = await rolemap([flag]);
    const usage = run.stdout.slice(run.stdout.indexOf('Usage:\n'), run.stdout.indexOf('\n\nCommands:')).split('\n').slice(1);
    expect({
      code: run.code,
      stderr: run.stderr,
      first: run.stdout.split('\n')[0],
      usage: usage.map((line) => line.trim().split(' ').slice(0, 2).join(' ')),
    }).toStrictEqual({
      code: 0,
      stderr: '',
      first: `rolemap ${PACKAGE_VERSION}: AWS credentials for Terragrunt units, by directory.`,
      usage: [
        'rolemap [credentials]',
        'rolemap credential-process',
        'rolemap exec',
        'rolemap env',
        'rolemap explain',
        'rolemap validate',
        'rolemap login',
        'rolemap logout',
        'rolemap cache',
        'rolemap completion',
        'rolemap help',
        'rolemap version',
      ],
    });
  });

  it.each(USAGE)('%s --help: exit 0, the usage line first, nothing on stderr', async (command, usage) => {
    const run = await rolemap([command, '--help']);
    expect({ code: run.code, stderr: run.stderr, first: run.stdout.split('\n')[0] }).toStrictEqual({ code: 0, stderr: '', first: usage });
  });

  it.each(USAGE)('--help %s and help %s are the same as %s --help', async (command) => {
    const [before, helpCommand, after] = await Promise.all([rolemap(['--help', command]), rolemap(['help', command]), rolemap([command, '--help'])]);
    expect([before, helpCommand]).toStrictEqual([after, after]);
  });

  it('help and version as commands', async () => {
    const [help, mainHelp, version, versionFlag] = await Promise.all([rolemap(['help']), rolemap(['--help']), rolemap(['version']), rolemap(['--version'])]);
    expect([help, version]).toStrictEqual([mainHelp, versionFlag]);
  });

  it.each([['--version'], ['-v']])('%s prints package.json\'s version', async (flag) => {
    expect(await rolemap([flag])).toStrictEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });

  it.each<[string, string[], string]>([
    ['an unknown command', ['frobnicate'], 'frobnicate'],
    ['an unknown option', ['--bogus'], '--bogus'],
    ['an option the command does not take', ['explain', '--units'], '--units'],
    ['a bad --mode value', ['explain', '--mode', 'destroy'], 'destroy'],
    ['a missing option value', ['--mode'], '--mode'],
    ['an extra argument', ['explain', 'a', 'b'], 'b'],
    ['cache without an action', ['cache'], 'list or clear'],
  ])('%s: exit 2, empty stdout, one message line naming it and one hint line on stderr', async (_title, args, named) => {
    const run = await rolemap(args);
    const lines = run.stderr.split('\n');
    expect({
      code: run.code,
      stdout: run.stdout,
      lineCount: lines.length,
      messageNamesIt: lines[0]?.startsWith('rolemap: ') === true && lines[0].includes(named),
      hint: lines[1]?.startsWith('  hint: ') === true && lines[1].length > '  hint: '.length,
      last: lines[2],
    }).toStrictEqual({ code: 2, stdout: '', lineCount: 3, messageNamesIt: true, hint: true, last: '' });
  });

  it.each<[string[], string]>([
    [
      ['frobnicate'],
      'rolemap: Unknown command "frobnicate".\n  hint: Commands: credentials, credential-process, exec, env, explain, validate, login, logout, cache, completion, help, version. Run `rolemap --help`.\n',
    ],
    [['explain', '--mode', 'destroy'], 'rolemap: --mode must be plan or apply, not "destroy".\n  hint: Use --mode plan or --mode apply; run `rolemap explain --help`.\n'],
    // A usage error of a command names that command's own help.
    [['explain', '--bogus'], "rolemap: Unknown option '--bogus'.\n  hint: Run `rolemap explain --help` to see its options.\n"],
    [['explain', '--units'], 'rolemap: The explain command does not take --units.\n  hint: Run `rolemap explain --help` to see its options.\n'],
  ])('%j: the message says what is wrong and what to do', async (args, stderr) => {
    expect(await rolemap(args)).toStrictEqual({ code: 2, stdout: '', stderr });
  });
});
