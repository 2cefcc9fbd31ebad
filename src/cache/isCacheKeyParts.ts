import { isOptionalString } from './isOptionalString';
import { isRecord } from './isRecord';
import type { CacheKeyParts } from './types';

/** Whether a parsed value has every field of CacheKeyParts with the right type. */
export function isCacheKeyParts(value: unknown): value is CacheKeyParts {
  if (!isRecord(value)) return false;
  return (
    typeof value['partition'] === 'string' &&
    typeof value['accountId'] === 'string' &&
    typeof value['roleArn'] === 'string' &&
    typeof value['sessionName'] === 'string' &&
    isOptionalString(value['externalId']) &&
    isOptionalString(value['sourceIdentity']) &&
    Array.isArray(value['tags']) &&
    value['tags'].every((tag: unknown) => isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string') &&
    typeof value['authKind'] === 'string' &&
    typeof value['baseIdentity'] === 'string' &&
    Number.isInteger(value['durationSeconds']) &&
    isOptionalString(value['endpoint'])
  );
}
