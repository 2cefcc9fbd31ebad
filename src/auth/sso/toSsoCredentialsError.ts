import { CredentialsError, type CredentialsErrorKind } from '../../errors';
import { classifySdkError, transportRefusal } from '../classifySdkError';

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

/** By the SDK's exception name for answers AWS gave; by the answer's shape for everything else. */
function classify(error: unknown): { kind: CredentialsErrorKind; retryable: boolean; what: string; hint?: string } {
  const failure = classifySdkError(error);
  switch (failure.type) {
    case 'network':
      return { kind: 'network', retryable: true, what: `${failure.words} (${failure.code})` };
    case 'untrusted-certificate':
    case 'proxy-refused': {
      const { words, hint, retryable } = transportRefusal(failure);
      return { kind: 'network', retryable, what: words, hint };
    }
    case 'timeout':
      return { kind: 'timeout', retryable: true, what: 'the request timed out' };
    case 'too-large':
      return { kind: 'malformed-response', retryable: false, what: 'the answer is larger than rolemap reads' };
    case 'not-aws':
      if (failure.status === 429) return { kind: 'throttled', retryable: true, what: `throttled (${failure.words})` };
      if (failure.status >= 500) return { kind: 'server', retryable: true, what: `the service failed (${failure.words})` };
      return { kind: 'malformed-response', retryable: false, what: `an answer that is not from AWS: ${failure.words}; check AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and any proxy` };
    case 'other':
      return { kind: 'server', retryable: false, what: `unexpected error (${failure.name})` };
    case 'service':
  }
  const name = failure.code;
  const status = failure.status ?? 0;
  if (LOGIN_REQUIRED.has(name)) return { kind: 'sso-login-required', retryable: false, what: `the SSO login is no longer valid (${name})` };
  if (DENIED.has(name)) return { kind: 'access-denied', retryable: false, what: `access denied (${name})` };
  if (THROTTLED.has(name) || status === 429) return { kind: 'throttled', retryable: true, what: `throttled (${name})` };
  if (INVALID.has(name)) return { kind: 'validation', retryable: false, what: `the request was refused (${name})` };
  if (failure.fault === 'server' || status >= 500) return { kind: 'server', retryable: true, what: `the service failed (${name})` };
  return { kind: 'server', retryable: false, what: `unexpected error (${name})` };
}

/**
 * Turns an error from the SSO or sso-oidc clients into a CredentialsError, by the SDK's exception
 * name and HTTP status (never by message text). The SDK's own message is not repeated, so no
 * server-supplied text reaches the user.
 */
export function toSsoCredentialsError(error: unknown, context: SsoErrorContext): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const { kind, retryable, what, hint: classifiedHint } = classify(error);
  const hint =
    classifiedHint ??
    (kind === 'sso-login-required'
      ? context.loginHint
      : kind === 'access-denied'
        ? context.forbiddenHint
        : retryable
          ? 'try again; the failure may be temporary'
          : undefined);
  return new CredentialsError(`Could not ${context.action}: ${what}`, {
    kind,
    retryable,
    cause: error,
    ...(hint === undefined ? {} : { hint }),
    ...(context.roleArn === undefined ? {} : { roleArn: context.roleArn }),
    ...(context.baseIdentity === undefined ? {} : { baseIdentity: context.baseIdentity }),
  });
}
