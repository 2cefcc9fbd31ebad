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
    [['env', 'live/dev'], { name: 'env', dir: 'live/dev', mode: undefined, config: undefined }],
    [['explain', 'live/dev', '--json'], { name: 'explain', dir: 'live/dev', mode: undefined, config: undefined, json: true }],
    [['validate', '--units'], { name: 'validate', dir: undefined, config: undefined, units: true, json: false }],
    [['login', '--no-browser'], { name: 'login', startUrl: undefined, region: undefined, ssoSession: undefined, noBrowser: true, config: undefined, dir: undefined }],
    [['cache', 'list'], { name: 'cache', action: 'list', json: false }],
    [['explain', '--help'], { name: 'help', topic: 'explain' }],
    [['--version'], { name: 'version' }],
  ])('%j', (argv, command) => {
    expect(parseArgs(argv)).toStrictEqual(command);
  });

  it.each([
    [['deploy']],
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
