import { resolveCacheDir } from '../../src/cache/resolveCacheDir';
import { readRolemapEnvironment } from '../../src/cli/readRolemapEnvironment';
import { UsageError } from '../../src/errors';
import type { Environment } from '../../src/resolve/types';

describe('resolveCacheDir', () => {
  it.each<[string, Environment, string]>([
    ['ROLEMAP_CACHE_DIR first', { ROLEMAP_CACHE_DIR: '/srv/cache/rm', XDG_CACHE_HOME: '/xdg' }, '/srv/cache/rm'],
    ['ROLEMAP_CACHE_DIR normalised', { ROLEMAP_CACHE_DIR: '/srv//cache/./rm/' }, '/srv/cache/rm'],
    ['XDG_CACHE_HOME next', { XDG_CACHE_HOME: '/xdg' }, '/xdg/rolemap'],
    ['empty ROLEMAP_CACHE_DIR ignored', { ROLEMAP_CACHE_DIR: '', XDG_CACHE_HOME: '/xdg' }, '/xdg/rolemap'],
    ['relative XDG_CACHE_HOME ignored (XDG spec)', { XDG_CACHE_HOME: 'cache' }, '/home/alice/.cache/rolemap'],
    ['empty XDG_CACHE_HOME ignored', { XDG_CACHE_HOME: '' }, '/home/alice/.cache/rolemap'],
    ['home last', {}, '/home/alice/.cache/rolemap'],
  ])('%s', (_case, env, expected) => {
    expect(resolveCacheDir(readRolemapEnvironment(env).cacheDir, env, '/home/alice')).toBe(expected);
  });

  it('refuses a relative ROLEMAP_CACHE_DIR, which would give each unit its own cache', () => {
    const call = () => resolveCacheDir('.cache/rolemap', {}, '/home/alice');
    expect(call).toThrow(UsageError);
    expect(call).toThrow('ROLEMAP_CACHE_DIR must be an absolute path, not ".cache/rolemap".');
  });
});
