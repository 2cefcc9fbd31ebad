import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readExactly } from '../src/readExactly';

describe('readExactly (the bundle’s code caches)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-exactly-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const readFirst = (bytes: Buffer, size: number): Uint8Array | undefined => {
    const file = path.join(dir, 'cache');
    fs.writeFileSync(file, bytes);
    const fd = fs.openSync(file, 'r');
    try {
      return readExactly(fd, size);
    } finally {
      fs.closeSync(fd);
    }
  };

  it('reads every byte fstat promised, for a file the size of a code cache', () => {
    const bytes = Buffer.alloc(300_000, 7);
    bytes[299_999] = 9;
    expect(Buffer.from(readFirst(bytes, bytes.length) ?? [])).toStrictEqual(bytes);
  });

  it('gives nothing for a file cut short since its fstat, rather than a torn cache', () => {
    expect(readFirst(Buffer.from('abc'), 10)).toBeUndefined();
  });
});
