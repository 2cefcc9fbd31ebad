import { cacheKeyFields } from './cacheKeyFields';
import { isRecord } from './isRecord';
import type { CacheKeyParts } from './types';

/** Whether a parsed value has every field of CacheKeyParts (cacheKeyFields) with the right type. */
export function isCacheKeyParts(value: unknown): value is CacheKeyParts {
  return isRecord(value) && cacheKeyFields.every((field) => field.isValid(value));
}
