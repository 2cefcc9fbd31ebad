import { UsageError } from '../../src/errors';
import { parseArgs, type Command } from '../../src/cli/parseArgs';

describe('parseArgs', () => {
  const credentials = { name: 'credentials', dir: undefined, mode: undefined, config: undefined } as const;

  it.each<[string[], Command]>([
    // No arguments (what Terragrunt runs) and an explicit `credentials` mean the same.
    [[], credentials],
    [['credentials'], credentials],
    [['--dir', 'live/dev/vpc', '--mode', 'apply'], { ...credentials, dir: 'live/dev/vpc', mode: 'apply' }],
    [['credentials', '--config', 'x.yaml'], { ...credentials, config: 'x.yaml' }],
    [['env', 'live/dev'], { name: 'env', dir: 'live/dev', mode: undefined, config: undefined, shell: 'sh', unset: false }],
    [['env', '--shell', 'fish', '--unset'], { name: 'env', dir: undefined, mode: undefined, config: undefined, shell: 'fish', unset: true }],
    [['credential-process', '--dir', '/abs/live/prod'], { name: 'credential-process', dir: '/abs/live/prod', mode: undefined, config: undefined }],
    // Everything after `--` is the command, its options included, even rolemap's own names.
    [
      ['exec', 'live/dev', '--mode', 'apply', '--', 'terraform', 'plan', '--help', '--', 'x'],
      { name: 'exec', dir: 'live/dev', mode: 'apply', config: undefined, command: ['terraform', 'plan', '--help', '--', 'x'] },
    ],
    [['exec', '--', 'sh'], { name: 'exec', dir: undefined, mode: undefined, config: undefined, command: ['sh'] }],
    [['completion', 'zsh'], { name: 'completion', shell: 'zsh' }],
    [['help'], { name: 'help', topic: undefined }],
    [['help', 'exec'], { name: 'help', topic: 'exec' }],
    [['version'], { name: 'version' }],
    [['explain', 'live/dev', '--json'], { name: 'explain', dir: 'live/dev', mode: undefined, config: undefined, json: true }],
    [['validate', '--units'], { name: 'validate', dir: undefined, config: undefined, units: true, json: false }],
    [
      ['login', '--no-browser'],
      { name: 'login', startUrl: undefined, region: undefined, ssoSession: undefined, noBrowser: true, config: undefined, dir: undefined, mfa: false, profile: undefined, code: undefined },
    ],
    [
      ['login', '--mfa', '--profile', 'dev', '--code', '123456'],
      { name: 'login', startUrl: undefined, region: undefined, ssoSession: undefined, noBrowser: false, config: undefined, dir: undefined, mfa: true, profile: 'dev', code: '123456' },
    ],
    [['cache', 'list'], { name: 'cache', action: 'list', json: false }],
    [['explain', '--help'], { name: 'help', topic: 'explain' }],
    [['--version'], { name: 'version' }],
  ])('%j', (argv, command) => {
    expect(parseArgs(argv)).toStrictEqual(command);
  });

  it.each<[string[], string]>([
    // A usage error of a command names that command's own help.
    [['exec', '--bogus'], 'Run `rolemap exec --help` to see its options.'],
    [['explain', '--mode', 'destroy'], 'Use --mode plan or --mode apply; run `rolemap explain --help`.'],
    [['env', '--shell', 'csh'], 'Run `rolemap env --help` to see its options.'],
    [['exec', 'live/dev'], 'Run `rolemap exec --help` to see its options.'],
    [['exec', '--'], 'Run `rolemap exec --help` to see its options.'],
    [['credential-process', 'live/dev'], 'Run `rolemap credential-process --help` to see its options.'],
    [['explain', '--', 'ls'], 'Run `rolemap explain --help` to see its options.'],
    [['completion'], 'Run `rolemap completion --help` to see its options.'],
    [['completion', 'tcsh'], 'Run `rolemap completion --help` to see its options.'],
    [['--bogus'], 'Run `rolemap --help` to see the commands and their options.'],
    // --mfa and the IAM Identity Center flags do not mix.
    [['login', '--profile', 'dev'], 'Run `rolemap login --mfa [--profile P] [--code C]`.'],
    [['login', '--mfa', '--start-url', 'https://acme.awsapps.com/start'], 'Run `rolemap login --mfa [--profile P] [--code C]`, or `rolemap login` without --mfa for IAM Identity Center.'],
  ])('%j: the hint is %s', (argv, hint) => {
    let thrown: unknown;
    try {
      parseArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect({ isUsageError: thrown instanceof UsageError, hint: (thrown as UsageError | undefined)?.hint }).toStrictEqual({ isUsageError: true, hint });
  });

  it.each([
    [['deploy']],
    [['help', 'deploy']],
    [['--mode', 'destroy']],
    [['explain', '--units']],
    [['cache']],
    [['credentials', 'extra']],
    [['--bogus']],
  ])('rejects %j with a UsageError and a hint', (argv) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    try {
      parseArgs(argv);
    } catch (error) {
      expect((error as UsageError).hint).toMatch(/rolemap|--mode plan/);
    }
  });
});
