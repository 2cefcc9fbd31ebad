import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openCacheDir } from '../../src/cache/openCacheDir';
import { currentUid } from './fixtures/cacheFixtures';

describe('openCacheDir', () => {
  let root: string;
  const uid = currentUid();

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-opendir-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing directory and its parents with mode 0700', () => {
    const dir = path.join(root, 'a', 'b', 'rolemap');
    expect(openCacheDir({ dir, uid })).toStrictEqual({ status: 'trusted', dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(root, 'a')).mode & 0o077).toBe(0);
  });

  it('trusts an existing directory of ours that others may read but not write', () => {
    const dir = path.join(root, 'rolemap');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    expect(openCacheDir({ dir, uid })).toStrictEqual({ status: 'trusted', dir });
  });

  it.each([
    ['0777', 0o777],
    ['0770', 0o770],
    ['0702', 0o702],
  ])('refuses a directory with mode %s and says how to fix it', (shown, mode) => {
    const dir = path.join(root, 'rolemap');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, mode);
    expect(openCacheDir({ dir, uid })).toStrictEqual({
      status: 'untrusted',
      dir,
      why: `The cache directory ${dir} can be written by group or others (mode ${shown}). Run \`chmod 700 ${dir}\`.`,
    });
  });

  it('quotes a path with spaces in the fix', () => {
    const dir = path.join(root, 'my cache');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    const opened = openCacheDir({ dir, uid });
    expect(opened.status === 'untrusted' && opened.why.endsWith(`Run \`chmod 700 '${dir}'\`.`)).toBe(true);
  });

  it('refuses a symbolic link, even to a good directory', () => {
    const real = path.join(root, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const dir = path.join(root, 'rolemap');
    fs.symlinkSync(real, dir);
    expect(openCacheDir({ dir, uid })).toStrictEqual({
      status: 'untrusted',
      dir,
      why: `The cache directory ${dir} is a symbolic link, which rolemap does not follow. Remove the link (rolemap recreates the directory) or set ROLEMAP_CACHE_DIR to a real directory.`,
    });
  });

  it('refuses a file in place of the directory', () => {
    const dir = path.join(root, 'rolemap');
    fs.writeFileSync(dir, '');
    expect(openCacheDir({ dir, uid })).toStrictEqual({
      status: 'untrusted',
      dir,
      why: `The cache path ${dir} is not a directory. Remove it or set ROLEMAP_CACHE_DIR.`,
    });
  });

  it('refuses a directory it cannot create', () => {
    const blocker = path.join(root, 'file');
    fs.writeFileSync(blocker, '');
    const dir = path.join(blocker, 'rolemap');
    expect(openCacheDir({ dir, uid })).toStrictEqual({
      status: 'untrusted',
      dir,
      why: `rolemap cannot create the cache directory ${dir} (ENOTDIR). Fix its parent's permissions or set ROLEMAP_CACHE_DIR.`,
    });
  });

  // chown needs root; these tests run as root in the project's container. As another user the
  // same check is reached by passing a uid other than the directory owner's.
  it("refuses a directory owned by another user", () => {
    const dir = path.join(root, 'rolemap');
    fs.mkdirSync(dir, { mode: 0o700 });
    const otherUid = uid === 0 ? 4242 : uid + 1;
    if (uid === 0) fs.chownSync(dir, otherUid, 0);
    const asUid = uid === 0 ? 0 : otherUid;
    const owner = uid === 0 ? otherUid : uid;
    expect(openCacheDir({ dir, uid: asUid })).toStrictEqual({
      status: 'untrusted',
      dir,
      why: `The cache directory ${dir} belongs to uid ${owner}, not to you (uid ${asUid}). Run \`chown ${asUid} ${dir}\`, remove it, or set ROLEMAP_CACHE_DIR.`,
    });
  });
});
