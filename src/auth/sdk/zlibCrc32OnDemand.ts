import type * as Zlib from 'node:zlib';

/**
 * Stands in for node:zlib in the AWS SDK's CRC32 module (@smithy/core, checksum/crc32/Crc32Node),
 * inside the libs (scripts/build.mjs puts it there). That module reads zlib.crc32 as it loads, for
 * checksums that STS and the SSO APIs never ask for, and loading zlib costs a cache miss about
 * half a millisecond. Here crc32 is the same function, loading zlib when first called.
 *
 * Node has zlib.crc32 from 20.15 and 22.2; on older versions this is undefined, as zlib.crc32 is
 * on them, and the SDK uses its CRC32 in JavaScript.
 */
export const crc32: typeof Zlib.crc32 | undefined = hasZlibCrc32(process.versions.node)
  ? (data, value) => (require('node:zlib') as typeof Zlib).crc32(data, value)
  : undefined;

/** Whether Node `version` (e.g. "20.20.2") has zlib.crc32. */
export function hasZlibCrc32(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 20) return minor >= 15;
  if (major === 22) return minor >= 2;
  return major > 22;
}
