import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';

/**
 * A note beside an SSO token file (`<file>.spent`) that its refresh token was refused as spent,
 * and when, so that no process sends it again and every waiter shares one settle window. It holds
 * a SHA-256 of the refresh token, never the token.
 */
export interface SpentRefreshTokenMarker {
  /** When the refresh token at `tokenPath` was refused, epoch ms; undefined if it never was. */
  spentAt(tokenPath: string, refreshToken: string): Promise<number | undefined>;
  /** Records that `refreshToken` of `tokenPath` was refused at `atMs`. */
  mark(tokenPath: string, refreshToken: string, atMs: number): Promise<void>;
  /** Forgets the note (a new token was saved). */
  clear(tokenPath: string): Promise<void>;
}

const digest = (refreshToken: string): string => createHash('sha256').update(refreshToken).digest('hex');

/** The marker, kept in files beside the token files. */
export const spentRefreshTokenMarker: SpentRefreshTokenMarker = {
  async spentAt(tokenPath, refreshToken) {
    try {
      const parsed = JSON.parse(await readFile(`${tokenPath}.spent`, 'utf8')) as { sha256?: unknown; at?: unknown };
      return parsed.sha256 === digest(refreshToken) && typeof parsed.at === 'number' ? parsed.at : undefined;
    } catch {
      // Missing or damaged: nothing is known to be spent.
      return undefined;
    }
  },
  async mark(tokenPath, refreshToken, atMs) {
    const temporary = `${tokenPath}.spent.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ sha256: digest(refreshToken), at: atMs }), { mode: 0o600, flag: 'wx' });
      await rename(temporary, `${tokenPath}.spent`);
    } catch {
      // Without the note, a waiter sends the spent token once more and is refused: slower, not wrong.
      await unlink(temporary).catch(() => undefined);
    }
  },
  async clear(tokenPath) {
    await unlink(`${tokenPath}.spent`).catch(() => undefined);
  },
};
