import { cacheKey } from '../cache/cacheKey';
import { cacheKeyParts } from '../cache/cacheKeyParts';
import type { FileStore } from '../cache/createFileStore';
import { readCredentialEntry } from '../cache/readCredentialEntry';
import { readRememberedFailure } from '../cache/readRememberedFailure';
import type { CredentialRequest, Environment } from '../resolve/types';
import { describeBaseIdentity } from './describeBaseIdentity';

/** Whether a credential for the resolved request is cached, as `explain` shows it. */
export type CacheState =
  | { status: 'hit'; expiresInSeconds: number }
  | { status: 'expiring'; expiresInSeconds: number }
  | { status: 'miss' }
  | { status: 'remembered-failure'; message: string }
  | { status: 'disabled'; why: string }
  | { status: 'not-applicable' };

export interface InspectCachedCredentialsInit {
  request: CredentialRequest;
  env: Environment;
  store: FileStore;
  /** Epoch milliseconds. */
  now: number;
}

/** What the cache holds for a request, for `explain`: no secret, no AWS call, no change. */
export function inspectCachedCredentials(init: InspectCachedCredentialsInit): CacheState {
  const key = cacheKey(cacheKeyParts(init.request, init.env, describeBaseIdentity(init.request, init.env)));
  const failure = readRememberedFailure(init.store, key, init.now);
  if (failure !== undefined) return { status: 'remembered-failure', message: failure.message };
  const entry = readCredentialEntry(init.store, key.id);
  if (entry === undefined || cacheKey(entry.parts).text !== key.text) return { status: 'miss' };
  const expiresInSeconds = Math.floor((Date.parse(entry.credentials.expiration) - init.now) / 1000);
  if (expiresInSeconds <= init.request.minTtlSeconds) return { status: 'expiring', expiresInSeconds };
  return { status: 'hit', expiresInSeconds };
}
