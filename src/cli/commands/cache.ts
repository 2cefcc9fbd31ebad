import { clearCache } from '../../cache/clearCache';
import { listCacheEntries } from '../../cache/listCacheEntries';
import { UsageError } from '../../errors';
import type { CommandContext } from '../CommandContext';

export interface CacheOptions {
  action: 'list' | 'clear';
  json: boolean;
}

/** `rolemap cache list|clear`. Lists hold no secret: no keys, no tokens. */
export async function runCache(options: CacheOptions, context: CommandContext): Promise<void> {
  const { deps, cache } = context;
  if (cache === undefined) {
    throw new UsageError(`The credential cache is not in use: ${context.cacheDisabledWhy ?? 'unknown reason'}.`, {
      hint: 'Unset ROLEMAP_NO_CACHE, or fix the cache directory as the message says.',
    });
  }
  if (options.action === 'clear') {
    const removed = clearCache(cache.store);
    deps.output.text(`removed ${removed} files from ${cache.store.dir}`);
    return;
  }
  const listings = listCacheEntries(cache.store, deps.now());
  if (options.json) {
    deps.output.json({ dir: cache.store.dir, entries: listings });
    return;
  }
  if (listings.length === 0) {
    deps.output.text(`${cache.store.dir}: empty`);
    return;
  }
  const rows = listings.map((l) => {
    switch (l.status) {
      case 'valid':
      case 'expired':
        return [l.status, l.roleArn, l.sessionName, l.authKind, l.baseIdentity, l.status === 'valid' ? `${l.expiresInSeconds}s left` : `expired ${l.expiration}`];
      case 'failing':
        return ['failing', l.roleArn ?? '-', '-', l.kind, l.baseIdentity ?? '-', `remembered for ${l.expiresInSeconds}s`];
      case 'mfa-session':
        return [
          l.expiresInSeconds > 0 ? 'valid' : 'expired',
          `MFA session of profile ${l.profile}`,
          '-',
          'mfa',
          l.mfaSerial,
          l.expiresInSeconds > 0 ? `${l.expiresInSeconds}s left` : `expired ${l.expiration}`,
        ];
      case 'unreadable':
        return ['unreadable', `entry ${l.key}`, '-', '-', '-', 'ignored; `rolemap cache clear` removes it'];
    }
  });
  const header = ['STATUS', 'ROLE', 'SESSION', 'AUTH', 'BASE IDENTITY', 'EXPIRY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  deps.output.text([`${cache.store.dir}:`, line(header), ...rows.map(line)].join('\n'));
}
