import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from '../../onDemandFsPromises';
import { basename, dirname, join } from 'node:path';

import { formatSsoTimestamp } from './formatSsoTimestamp';
import type { SsoToken } from './types';

/** The file as the AWS CLI writes it; fields without a value are left out. */
function serialise(token: SsoToken): string {
  const record: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined) record[key] = value;
  };
  put('startUrl', token.startUrl);
  put('region', token.region);
  put('accessToken', token.accessToken);
  put('expiresAt', formatSsoTimestamp(token.expiresAtMs));
  put('clientId', token.clientId);
  put('clientSecret', token.clientSecret);
  put(
    'registrationExpiresAt',
    token.registrationExpiresAtMs === undefined ? undefined : formatSsoTimestamp(token.registrationExpiresAtMs),
  );
  put('refreshToken', token.refreshToken);
  return JSON.stringify(record);
}

/**
 * Writes an SSO token file atomically: a 0600 temporary file beside it (created exclusively,
 * never through a symlink), fsync, then rename over the target. The directory is created 0700
 * when missing. A reader therefore sees the old file or the new one, never half of either.
 */
export async function writeSsoToken(path: string, token: SsoToken): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(temporary, flags, 0o600);
  try {
    try {
      await handle.writeFile(serialise(token), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
