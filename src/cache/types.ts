/** Shapes shared by the cache modules. Everything here is plain JSON as it sits on disk. */

import type { AwsCredentials } from '../AwsCredentials';
import type { CredentialsErrorKind } from '../errors';

/** Store namespace of credential entries: `credentials-<key>.json`. */
export const CREDENTIALS_NAMESPACE = 'credentials';
/** Store namespace of remembered failures: `failure-<key>.json`. */
export const FAILURE_NAMESPACE = 'failure';
/** Store namespace of MFA sessions from `rolemap login --mfa`: `mfa-<id>.json`. */
export const MFA_NAMESPACE = 'mfa';

/** An MFA session's owner: the base profile and its MFA device. Another profile never uses it. */
export interface MfaSessionOwner {
  profile: string;
  mfaSerial: string;
}

/** The content of `mfa-<id>.json`: sts:GetSessionToken's answer for one profile and device. */
export interface MfaSessionEntry extends MfaSessionOwner {
  version: 1;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601: the session's own expiry. */
  expiration: string;
  /** ISO 8601. */
  obtainedAt: string;
}

/** Everything that changes a credential; `cacheKey` hashes it. None of it is secret. */
export interface CacheKeyParts {
  partition: string;
  accountId: string;
  roleArn: string;
  sessionName: string;
  externalId: string | undefined;
  sourceIdentity: string | undefined;
  tags: ReadonlyArray<{ Key: string; Value: string }>;
  /** `assume`, `web-identity`, `sso`. */
  authKind: string;
  /** Who asks, e.g. `profile:dev` or a caller ARN or token subject. Never a secret. */
  baseIdentity: string;
  durationSeconds: number;
  /** AWS_ENDPOINT_URL_STS or the SSO portal endpoint; undefined for the default endpoint. */
  endpoint: string | undefined;
}

/** The content of `credentials-<key>.json`. */
export interface CredentialEntry {
  version: 1;
  parts: CacheKeyParts;
  credentials: AwsCredentials;
  /** ISO 8601. */
  obtainedAt: string;
}

/** A credential failure as remembered: what a CredentialsError carries, without any secret. */
export interface RememberedFailure {
  kind: CredentialsErrorKind;
  message: string;
  hint: string | undefined;
  roleArn: string | undefined;
  baseIdentity: string | undefined;
  retryable: boolean;
}

/**
 * Who a remembered failure answers: `everyone` for FAILURE_MEMORY_SECONDS (AccessDenied and the
 * like), or only `waiters`, the callers that were already waiting on the attempt that failed.
 */
export type FailureAudience = 'everyone' | 'waiters';

/** The content of `failure-<key id>.json`. */
export interface FailureRecord extends RememberedFailure {
  version: 1;
  /** The full key text (CacheKey.text) the failure answers for. */
  key: string;
  /** Epoch milliseconds. */
  failedAt: number;
  audience: FailureAudience;
}

/** The content of a lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Unique to the process that wrote it, so only it releases the lock. */
  token: string;
}
