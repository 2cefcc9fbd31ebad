import { readSync } from 'node:fs';

/**
 * The first `size` bytes of the open file `fd` (its size by fstat), or undefined when fewer can
 * be read (the file was cut meanwhile). For the bundle's V8 code caches, read on every call: into
 * a plain Uint8Array with `readSync`, because `readFileSync`'s path for bytes compiles five more
 * of Node's functions and Buffer's allocator on their first call (0.17 M instructions a hit),
 * while a call opens, fstats and closes its cache entries with the functions used here anyway.
 */
export function readExactly(fd: number, size: number): Uint8Array | undefined {
  const bytes = new Uint8Array(size);
  let length = 0;
  while (length < size) {
    const read = readSync(fd, bytes, length, size - length, length);
    if (read === 0) return undefined;
    length += read;
  }
  return bytes;
}
