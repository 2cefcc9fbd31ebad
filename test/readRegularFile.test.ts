import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileProblem, readRegularFile, type FileProblemReason } from '../src/readRegularFile';

describe('readRegularFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-read-'));
    fs.writeFileSync(path.join(dir, 'plain'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(2048));
    fs.mkdirSync(path.join(dir, 'folder'));
    fs.symlinkSync(path.join(dir, 'plain'), path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, and follows a symbolic link unless told not to', () => {
    expect(readRegularFile(path.join(dir, 'plain'), { maxBytes: 1024 })).toBe('hello\n');
    expect(readRegularFile(path.join(dir, 'link'), { maxBytes: 1024 })).toBe('hello\n');
  });

  it('reads a file of exactly maxBytes', () => {
    expect(readRegularFile(path.join(dir, 'big'), { maxBytes: 2048 })).toHaveLength(2048);
  });

  it.each<[string, string, { maxBytes: number; noFollow?: boolean }, FileProblemReason, string]>([
    ['a missing file', 'missing', { maxBytes: 1024 }, 'missing', 'does not exist'],
    ['a named pipe', 'fifo', { maxBytes: 1024 }, 'not-regular', 'is a named pipe (FIFO), not a regular file'],
    ['a directory', 'folder', { maxBytes: 1024 }, 'not-regular', 'is a directory, not a regular file'],
    ['a file over the limit', 'big', { maxBytes: 1024 }, 'too-large', 'is 2 KiB, larger than the 1 KiB rolemap reads'],
    ['a symbolic link with noFollow', 'link', { maxBytes: 1024, noFollow: true }, 'unreadable', 'is a symbolic link, which rolemap does not follow for this file'],
  ])('refuses %s, without blocking', (_, name, options, reason, detail) => {
    const file = path.join(dir, name);
    const thrown = ((): unknown => {
      try {
        readRegularFile(file, options);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(FileProblem);
    const problem = thrown as FileProblem;
    expect([problem.reason, problem.message, problem.name]).toStrictEqual([reason, `${file} ${detail}`, 'FileProblem']);
  });

  it('refuses a device that never ends (/dev/zero)', () => {
    expect(() => readRegularFile('/dev/zero', { maxBytes: 1024 })).toThrow('/dev/zero is a character device, not a regular file');
  });
});
