import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { createFileStore } from '../../src/cache/createFileStore';
import { CacheError } from '../../src/errors';
import { currentUid, makeTempCache, type TempCache } from './fixtures/cacheFixtures';

const ID = 'a'.repeat(64);
const OTHER_ID = 'b'.repeat(64);

describe('createFileStore', () => {
  let cache: TempCache;
  let file: string;

  beforeEach(() => {
    cache = makeTempCache();
    file = path.join(cache.dir, `config-${ID}.json`);
  });
  afterEach(() => cache.cleanup());

  it('reads back what it wrote, in a 0600 file, leaving no temporary file', () => {
    const value = { compiled: true, globs: ['a/**', 'b/*'], nested: { n: 1 } };
    cache.store.write('config', ID, value);
    expect(cache.store.read('config', ID)).toStrictEqual(value);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache.dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(cache.dir)).toStrictEqual([`config-${ID}.json`]);
  });

  it('replaces an entry', () => {
    cache.store.write('config', ID, { n: 1 });
    cache.store.write('config', ID, { n: 2 });
    expect(cache.store.read('config', ID)).toStrictEqual({ n: 2 });
  });

  it('keeps namespaces apart', () => {
    cache.store.write('config', ID, 'config value');
    cache.store.write('credentials', ID, 'credential value');
    expect([cache.store.read('config', ID), cache.store.read('credentials', ID)]).toStrictEqual(['config value', 'credential value']);
    expect(cache.store.list('config')).toStrictEqual([ID]);
  });

  it('misses silently on a missing entry', () => {
    expect(cache.store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([]);
  });

  it('misses on a truncated entry, reports it, and the next write repairs it', () => {
    cache.store.write('config', ID, { long: 'x'.repeat(100) });
    fs.truncateSync(file, 20);
    expect(cache.store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([
      { file, reason: 'corrupt', why: `${file} is not valid JSON (a truncated write?); it is treated as a miss and will be rewritten.` },
    ]);
    cache.store.write('config', ID, { repaired: true });
    expect(cache.store.read('config', ID)).toStrictEqual({ repaired: true });
  });

  it('refuses a symbolic link, without reading its target', () => {
    const target = path.join(cache.dir, '..', 'planted.json');
    fs.writeFileSync(target, JSON.stringify({ planted: true }), { mode: 0o600 });
    fs.symlinkSync(target, file);
    expect(cache.store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([{ file, reason: 'symlink', why: `${file} is a symbolic link; rolemap ignores it. Delete it.` }]);
  });

  it('replaces a planted symbolic link on write rather than writing through it', () => {
    const target = path.join(cache.dir, '..', 'target.json');
    fs.writeFileSync(target, 'untouched');
    fs.symlinkSync(target, file);
    cache.store.write('config', ID, { ours: true });
    expect([fs.readFileSync(target, 'utf8'), fs.lstatSync(file).isSymbolicLink()]).toStrictEqual(['untouched', false]);
  });

  it.each([
    ['0620', 0o620],
    ['0602', 0o602],
    ['0666', 0o666],
  ])('refuses a file with mode %s', (_shown, mode) => {
    cache.store.write('config', ID, { n: 1 });
    fs.chmodSync(file, mode);
    expect(cache.store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([
      { file, reason: 'writable', why: `${file} can be written by group or others; rolemap ignores it. Delete it.` },
    ]);
  });

  it('refuses a file owned by another user', () => {
    cache.store.write('config', ID, { n: 1 });
    // As root, give the file away; as anyone else, pretend to be another uid.
    const uid = currentUid();
    if (uid === 0) fs.chownSync(file, 4242, 0);
    const store = createFileStore({ dir: cache.dir, uid: uid === 0 ? 0 : uid + 1, onRefused: (r) => cache.refused.push(r) });
    const [owner, me] = uid === 0 ? [4242, 0] : [uid, uid + 1];
    expect(store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([
      { file, reason: 'not-owned', why: `${file} belongs to uid ${owner}, not to you (uid ${me}); rolemap ignores it. Delete it.` },
    ]);
  });

  it('refuses a FIFO without blocking on it', () => {
    execFileSync('mkfifo', ['-m', '600', file]);
    expect(cache.store.read('config', ID)).toBeUndefined();
    expect(cache.refused).toStrictEqual([
      { file, reason: 'not-a-file', why: `${file} is not a regular file; rolemap ignores it. Delete it.` },
    ]);
  });

  it('removes an entry, saying whether there was one', () => {
    cache.store.write('config', ID, 1);
    expect([cache.store.remove('config', ID), cache.store.remove('config', ID)]).toStrictEqual([true, false]);
    expect(cache.store.read('config', ID)).toBeUndefined();
  });

  it('lists the ids of one namespace only, ignoring foreign and temporary files', () => {
    cache.store.write('config', ID, 1);
    cache.store.write('config', OTHER_ID, 2);
    cache.store.write('credentials', ID, 3);
    fs.writeFileSync(path.join(cache.dir, `config-${ID}.json.tmp-0123`), '');
    fs.writeFileSync(path.join(cache.dir, 'config-notes.json'), '');
    expect(cache.store.list('config').sort()).toStrictEqual([ID, OTHER_ID]);
  });

  it.each([
    ['a namespace with a slash', '../x', ID],
    ['an id that is not 64 hex digits', 'config', 'short'],
    ['an id with a path', 'config', `../${ID}`],
  ])('refuses %s', (_case, namespace, id) => {
    expect(() => cache.store.read(namespace, id)).toThrow(CacheError);
    expect(() => cache.store.write(namespace, id, 1)).toThrow(CacheError);
  });

  it('throws CacheError when the directory is gone', () => {
    fs.rmSync(cache.dir, { recursive: true });
    expect(() => cache.store.write('config', ID, 1)).toThrow(
      new CacheError(`Could not write the cache file ${file} (ENOENT).`),
    );
  });
});
