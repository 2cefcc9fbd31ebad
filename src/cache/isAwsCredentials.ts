import type { AwsCredentials } from '../AwsCredentials';
import { isRecord } from './isRecord';

/** Whether a parsed value is a complete AwsCredentials: every field a non-empty string, a parsable expiry. */
export function isAwsCredentials(value: unknown): value is AwsCredentials {
  if (!isRecord(value)) return false;
  const { accessKeyId, secretAccessKey, sessionToken, expiration, principalArn } = value;
  return (
    isFilled(accessKeyId) &&
    isFilled(secretAccessKey) &&
    isFilled(sessionToken) &&
    isFilled(principalArn) &&
    isFilled(expiration) &&
    Number.isFinite(Date.parse(expiration))
  );
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
