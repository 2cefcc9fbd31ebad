import type { LockOwner } from './types';

/** Who holds a lock, in words, for messages; undefined when the lock names nobody. */
export function describeLockHolder(holder: LockOwner | undefined): string {
  return holder === undefined
    ? 'nobody that can be named (the file holds no owner)'
    : `pid ${holder.pid} on ${holder.hostname} since ${new Date(holder.createdAt).toISOString()}`;
}
