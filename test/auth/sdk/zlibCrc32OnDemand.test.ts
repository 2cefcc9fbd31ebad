import * as zlib from 'node:zlib';
import { crc32, hasZlibCrc32 } from '../../../src/auth/sdk/zlibCrc32OnDemand';

describe('the SDK libs\' node:zlib stand-in for CRC32', () => {
  it.each([
    ['20.0.0', false],
    ['20.14.0', false],
    ['20.15.0', true],
    ['20.20.2', true],
    ['22.1.0', false],
    ['22.2.0', true],
    ['24.11.1', true],
    ['18.20.4', false],
  ])('Node %s has zlib.crc32: %s (as Node documents it, so the SDK picks the same CRC32 as with zlib itself)', (version, has) => {
    expect(hasZlibCrc32(version)).toBe(has);
  });

  it('agrees with this Node on whether zlib.crc32 exists', () => {
    expect(crc32 === undefined).toBe(typeof (zlib as { crc32?: unknown }).crc32 !== 'function');
  });

  // Where this Node has no zlib.crc32 the stand-in has none either (the test above), and there is nothing to compute.
  (crc32 === undefined ? it.skip : it)('computes the checksums zlib computes, from the start and continued from a value', () => {
    if (crc32 === undefined) throw new Error('unreachable: skipped without zlib.crc32');
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32('hello', crc32('say '))).toBe(zlib.crc32('say hello'));
  });
});
