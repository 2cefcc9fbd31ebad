import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CREDENTIALS_DEADLINE_MS,
  LOCK_RELEASE_MARGIN_MS,
  LOCK_STALE_MS,
  LOCK_WAIT_MS,
  LOCK_WAIT_NOTICE_MS,
  ODD_LOCK_GRACE_MS,
  SSO_TOKEN_LOCK_WAIT_MS,
  VERSION,
} from '../src/constants';

describe('VERSION', () => {
  it("equals package.json's version, so `rolemap --version` tells the truth", () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: unknown };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('lock and deadline constants (docs/architecture.md, "The lock and the deadline": no process holds a lock longer than waiters take to call it stale)', () => {
  it('bounds everything done under a lock below the stale threshold, with room to store and release', () => {
    expect(CREDENTIALS_DEADLINE_MS + LOCK_RELEASE_MARGIN_MS).toBeLessThanOrEqual(LOCK_STALE_MS);
  });

  it('makes a waiter break a stuck lock before it gives up on it', () => {
    expect(LOCK_STALE_MS).toBeLessThan(LOCK_WAIT_MS);
  });

  it('keeps the SSO token lock wait, taken under a credential lock, within the credential deadline', () => {
    expect(SSO_TOKEN_LOCK_WAIT_MS).toBeLessThan(CREDENTIALS_DEADLINE_MS);
  });

  it('tells a waiter about a slow wait, and breaks odd locks, long before the stale threshold', () => {
    expect(Math.max(LOCK_WAIT_NOTICE_MS, ODD_LOCK_GRACE_MS)).toBeLessThan(LOCK_STALE_MS / 4);
  });
});
