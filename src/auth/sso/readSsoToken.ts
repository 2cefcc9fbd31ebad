import { MAX_TOKEN_FILE_BYTES } from '../../constants';
import { readRegularFile } from '../../readRegularFile';

import type { SsoToken } from './types';

function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Parses the CLI's timestamps: "2026-11-21T14:00:00Z", with or without milliseconds or an
 * offset, and the "2026-11-21T14:00:00UTC" that early AWS CLI v2 releases wrote.
 */
function time(record: Record<string, unknown>, key: string): number | undefined {
  const value = text(record, key);
  if (value === undefined) return undefined;
  const ms = Date.parse(value.replace(/UTC$/, 'Z'));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reads an SSO token file written by rolemap, `aws sso login` or the AWS SDK. Returns undefined
 * when the file is missing, unreadable, not JSON, or lacks an access token or expiry: all of
 * those mean "log in again", never a crash.
 */
export async function readSsoToken(path: string): Promise<SsoToken | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readRegularFile(path, { maxBytes: MAX_TOKEN_FILE_BYTES }));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const accessToken = text(record, 'accessToken');
  const expiresAtMs = time(record, 'expiresAt');
  if (accessToken === undefined || expiresAtMs === undefined) return undefined;
  return {
    startUrl: text(record, 'startUrl'),
    region: text(record, 'region'),
    accessToken,
    expiresAtMs,
    clientId: text(record, 'clientId'),
    clientSecret: text(record, 'clientSecret'),
    registrationExpiresAtMs: time(record, 'registrationExpiresAt'),
    refreshToken: text(record, 'refreshToken'),
  };
}
