import type { CacheState } from '../../cache/readCacheState';

/** The cache line of `explain`: a projection of readCacheState, without any secret. */
export type ExplainCacheState =
  | { status: 'hit' | 'expiring'; expiresInSeconds: number }
  | { status: 'expired'; expiration: string }
  | { status: 'miss' }
  | { status: 'remembered-failure'; message: string }
  | { status: 'disabled'; why: string }
  | { status: 'not-applicable' };

/** What `explain` shows of a cache state: the same verdict `credentials` acts on, named for a reader. */
export function explainCacheState(state: CacheState): ExplainCacheState {
  switch (state.status) {
    case 'fresh':
      return { status: 'hit', expiresInSeconds: state.expiresInSeconds };
    case 'expiring':
      return { status: 'expiring', expiresInSeconds: state.expiresInSeconds };
    case 'expired':
      return { status: 'expired', expiration: state.expiration };
    case 'remembered-failure':
      return { status: 'remembered-failure', message: state.failure.message };
    case 'absent':
      return { status: 'miss' };
  }
}
