import { CredentialsError, type CredentialsErrorKind } from '../../errors';

export interface SsoErrorContext {
  /** What was being done, completing "Could not …", e.g. "get SSO role credentials for arn:…". */
  action: string;
  /** The hint for a login that must be redone, e.g. "run `rolemap login`". */
  loginHint: string;
  /** Hint when the portal refuses the role. */
  forbiddenHint?: string;
  roleArn?: string;
  /** The SSO start URL, which names who is asking (never a secret). */
  baseIdentity?: string;
}

const LOGIN_REQUIRED = new Set([
  'UnauthorizedException',
  'InvalidGrantException',
  'InvalidClientException',
  'ExpiredTokenException',
  'UnauthorizedClientException',
]);
const DENIED = new Set(['ForbiddenException', 'AccessDeniedException']);
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'SlowDownException']);
const INVALID = new Set(['InvalidRequestException', 'ResourceNotFoundException', 'InvalidScopeException', 'ValidationException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'RequestTimeout']);

function field(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

function classify(error: unknown): { kind: CredentialsErrorKind; retryable: boolean; what: string } {
  const name = String(field(error, 'name') ?? '');
  const code = String(field(error, 'code') ?? '');
  const metadata = field(error, '$metadata');
  const status = Number(field(metadata, 'httpStatusCode') ?? 0);
  if (LOGIN_REQUIRED.has(name)) return { kind: 'sso-login-required', retryable: false, what: `the SSO login is no longer valid (${name})` };
  if (DENIED.has(name)) return { kind: 'access-denied', retryable: false, what: `access denied (${name})` };
  if (THROTTLED.has(name) || status === 429) return { kind: 'throttled', retryable: true, what: `throttled (${name || status})` };
  if (INVALID.has(name)) return { kind: 'validation', retryable: false, what: `the request was refused (${name})` };
  if (TIMEOUT_CODES.has(name) || TIMEOUT_CODES.has(code)) return { kind: 'timeout', retryable: true, what: 'the request timed out' };
  if (NETWORK_CODES.has(code)) return { kind: 'network', retryable: true, what: `network error (${code})` };
  if (field(error, '$fault') === 'server' || status >= 500) {
    return { kind: 'server', retryable: true, what: `the service failed (${name || status})` };
  }
  return { kind: 'server', retryable: false, what: `unexpected error (${name || 'unknown'})` };
}

/**
 * Turns an error from the SSO or sso-oidc clients into a CredentialsError, by the SDK's exception
 * name and HTTP status (never by message text). The SDK's own message is not repeated, so no
 * server-supplied text reaches the user.
 */
export function toSsoCredentialsError(error: unknown, context: SsoErrorContext): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const { kind, retryable, what } = classify(error);
  const hint =
    kind === 'sso-login-required'
      ? context.loginHint
      : kind === 'access-denied'
        ? context.forbiddenHint
        : retryable
          ? 'try again; the failure may be temporary'
          : undefined;
  return new CredentialsError(`Could not ${context.action}: ${what}`, {
    kind,
    retryable,
    cause: error,
    ...(hint === undefined ? {} : { hint }),
    ...(context.roleArn === undefined ? {} : { roleArn: context.roleArn }),
    ...(context.baseIdentity === undefined ? {} : { baseIdentity: context.baseIdentity }),
  });
}
