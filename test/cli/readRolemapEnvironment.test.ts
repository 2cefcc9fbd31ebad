import { readRolemapEnvironment } from '../../src/cli/readRolemapEnvironment';
import { UsageError } from '../../src/errors';

describe('readRolemapEnvironment', () => {
  it('reads every ROLEMAP_* setting', () => {
    const read = readRolemapEnvironment({
      ROLEMAP_MODE: 'apply',
      ROLEMAP_CONFIG: 'live/rolemap.yaml',
      ROLEMAP_USER_CONFIG: '/home/alice/rm.yaml',
      ROLEMAP_CACHE_DIR: '/srv/cache',
      ROLEMAP_NO_CACHE: 'Yes',
      ROLEMAP_LOG_LEVEL: 'debug',
      ROLEMAP_LOG_FORMAT: 'json',
      ROLEMAP_ENV_VARIABLES: 'AWS_PROFILE AWS_REGION',
    });
    expect(read).toStrictEqual({
      mode: { status: 'mode', mode: 'apply' },
      config: 'live/rolemap.yaml',
      userConfig: '/home/alice/rm.yaml',
      cacheDir: '/srv/cache',
      noCache: true,
      logLevel: 'debug',
      logFormat: 'json',
      envCommandNames: 'AWS_PROFILE AWS_REGION',
    });
  });

  it('takes empty as unset, with the defaults', () => {
    const empty = { ROLEMAP_MODE: '', ROLEMAP_CONFIG: '', ROLEMAP_USER_CONFIG: '', ROLEMAP_CACHE_DIR: '', ROLEMAP_NO_CACHE: '' };
    expect(readRolemapEnvironment(empty)).toStrictEqual(readRolemapEnvironment({}));
    expect(readRolemapEnvironment({})).toStrictEqual({
      mode: undefined,
      config: undefined,
      userConfig: undefined,
      cacheDir: undefined,
      noCache: false,
      logLevel: 'warn',
      logFormat: 'text',
      envCommandNames: undefined,
    });
  });

  it('keeps a ROLEMAP_MODE that is not a mode, for the resolver to refuse unless --mode overrides it', () => {
    expect(readRolemapEnvironment({ ROLEMAP_MODE: 'deploy' }).mode).toStrictEqual({ status: 'not-a-mode', text: 'deploy' });
  });

  it.each([
    ['ROLEMAP_LOG_LEVEL', 'loud', 'ROLEMAP_LOG_LEVEL is "loud", which is not a log level.'],
    ['ROLEMAP_LOG_FORMAT', 'xml', 'ROLEMAP_LOG_FORMAT is "xml", which is not a log format.'],
  ])('refuses a %s of %s', (name, value, message) => {
    const read = (): unknown => readRolemapEnvironment({ [name]: value });
    expect(read).toThrow(UsageError);
    expect(read).toThrow(message);
  });
});
