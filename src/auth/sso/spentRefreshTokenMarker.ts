import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from '../../onDemandFsPromises';

/**
 * What became of a refresh grant with a token: `refused` (invalid_grant: the token is spent), or
 * `failed` (no answer in time, a network or service failure: it may be spent, and nobody can
 * tell).
 */
export type RefreshOutcome = 'refused' | 'failed';

/** A refresh grant's outcome, noted beside the token file, and when. */
export interface NotedRefresh {
  outcome: RefreshOutcome;
  /** Epoch ms. */
  at: number;
}

/**
 * A note beside an SSO token file (`<file>.spent`) that a refresh grant with its refresh token
 * went wrong, and when, so that no process sends that token again in the same wave and every
 * waiter shares one settle window. It holds a SHA-256 of the refresh token, never the token.
 */
export interface SpentRefreshTokenMarker {
  /** The note about `refreshToken` of `tokenPath`; undefined when there is none. */
  noted(tokenPath: string, refreshToken: string): Promise<NotedRefresh | undefined>;
  /** Notes that a grant with `refreshToken` of `tokenPath` ended with `outcome` at `atMs`. */
  note(tokenPath: string, refreshToken: string, outcome: RefreshOutcome, atMs: number): Promise<void>;
  /** Forgets the note (a new token was saved, or the session was ended). */
  clear(tokenPath: string): Promise<void>;
}

const digest = (refreshToken: string): string => createHash('sha256').update(refreshToken).digest('hex');

/** The marker, kept in files beside the token files. */
export const spentRefreshTokenMarker: SpentRefreshTokenMarker = {
  async noted(tokenPath, refreshToken) {
    try {
      const parsed = JSON.parse(await readFile(`${tokenPath}.spent`, 'utf8')) as { sha256?: unknown; at?: unknown; outcome?: unknown };
      if (parsed.sha256 !== digest(refreshToken) || typeof parsed.at !== 'number') return undefined;
      return { outcome: parsed.outcome === 'failed' ? 'failed' : 'refused', at: parsed.at };
    } catch {
      // Missing or damaged: nothing is known about this token.
      return undefined;
    }
  },
  async note(tokenPath, refreshToken, outcome, atMs) {
    const temporary = `${tokenPath}.spent.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ sha256: digest(refreshToken), outcome, at: atMs }), { mode: 0o600, flag: 'wx' });
      await rename(temporary, `${tokenPath}.spent`);
    } catch {
      // Without the note, a waiter sends the token once more: slower, not wrong.
      await unlink(temporary).catch(() => undefined);
    }
  },
  async clear(tokenPath) {
    await unlink(`${tokenPath}.spent`).catch(() => undefined);
  },
};
