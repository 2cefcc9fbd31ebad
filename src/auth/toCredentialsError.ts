import { CHAINED_ROLE_MAX_DURATION_SECONDS } from '../constants';
import { CredentialsError, type CredentialsErrorKind } from '../errors';
import { classifySdkError, transportRefusal, type SdkFailure } from './classifySdkError';

/** What was being attempted when an STS call failed, to name it in the message and the hint. */
export interface StsCallContext {
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  roleArn: string;
  /** Caller ARN, profile descriptor or token subject. Never a secret. */
  baseIdentity: string;
  durationSeconds?: number;
  sentExternalId?: boolean;
  sentSourceIdentity?: boolean;
  sentTags?: boolean;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException']);
const BAD_BASE_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidAccessKeyId',
]);
const OIDC_REJECTED = new Set(['InvalidIdentityToken', 'InvalidIdentityTokenException', 'IDPRejectedClaim', 'IDPRejectedClaimException']);
const VALIDATION = new Set([
  'ValidationError',
  'ValidationException',
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
  'PackedPolicyTooLarge',
  'PackedPolicyTooLargeException',
  'RegionDisabledException',
  'InvalidParameterValue',
  'InvalidParameterCombination',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
]);
const RETRYABLE_SERVICE = new Set(['IDPCommunicationError', 'IDPCommunicationErrorException', 'ServiceUnavailable', 'InternalFailure', 'InternalError']);

const MAX_DETAIL_LENGTH = 300;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

function detailOf(error: unknown, name: string): string {
  const message = stringField(error, 'message')?.replace(/\s+/g, ' ').trim() ?? '';
  if (message === '' || message === name) return name;
  const short = message.length > MAX_DETAIL_LENGTH ? `${message.slice(0, MAX_DETAIL_LENGTH)}...` : message;
  return `${name} (${short})`;
}

interface Classified {
  kind: CredentialsErrorKind;
  retryable: boolean;
  hint?: string;
}

function isChained(context: StsCallContext): boolean {
  return context.baseIdentity.includes(':assumed-role/');
}

function accessDeniedHint(context: StsCallContext): string {
  const { roleArn, baseIdentity } = context;
  if (context.action === 'AssumeRoleWithWebIdentity') {
    return (
      `Check the trust policy of ${roleArn}: it must name the token issuer's IAM OIDC provider as Federated principal ` +
      `allowing sts:AssumeRoleWithWebIdentity, and its "aud" and "sub" conditions must match the token (${baseIdentity}).`
    );
  }
  const permissions = ['sts:AssumeRole'];
  if (context.sentSourceIdentity === true) permissions.push('sts:SetSourceIdentity');
  if (context.sentTags === true) permissions.push('sts:TagSession');
  const externalId = context.sentExternalId === true ? ' with a matching sts:ExternalId condition' : '';
  return (
    `Check that the trust policy of ${roleArn} allows ${baseIdentity} ${permissions.join(', ')}${externalId}, ` +
    `and that ${baseIdentity}'s own policies allow sts:AssumeRole on the role.`
  );
}

function validationHint(context: StsCallContext): string {
  const duration = context.durationSeconds;
  if (duration !== undefined && duration > CHAINED_ROLE_MAX_DURATION_SECONDS) {
    if (isChained(context)) {
      return (
        `${context.baseIdentity} is itself an assumed role, and AWS caps chained role sessions at one hour: ` +
        `set duration: ${CHAINED_ROLE_MAX_DURATION_SECONDS} for this mapping.`
      );
    }
    return (
      `duration is ${duration}s: it must not exceed the role's MaxSessionDuration, and when the base credentials are ` +
      `themselves an assumed role (role chaining) AWS caps it at ${CHAINED_ROLE_MAX_DURATION_SECONDS}: set duration: ${CHAINED_ROLE_MAX_DURATION_SECONDS}.`
    );
  }
  return 'Check the role ARN, session name, source identity and tags in the mapping file.';
}

function classifyService(name: string, context: StsCallContext): Classified | undefined {
  const web = context.action === 'AssumeRoleWithWebIdentity';
  if (THROTTLED.has(name)) return { kind: 'throttled', retryable: true, hint: 'STS is throttling requests; try again shortly.' };
  if (ACCESS_DENIED.has(name)) return { kind: 'access-denied', retryable: false, hint: accessDeniedHint(context) };
  if (OIDC_REJECTED.has(name)) {
    return {
      kind: 'access-denied',
      retryable: false,
      hint:
        `STS rejected the OIDC token: the account of ${context.roleArn} needs an IAM OIDC identity provider for the token's issuer ` +
        `with its audience as a client ID, and the role's trust policy must accept the token's claims (${context.baseIdentity}).`,
    };
  }
  if (EXPIRED.has(name)) {
    return {
      kind: 'expired-token',
      retryable: false,
      hint: web
        ? 'The OIDC token has expired; rerun the job, or refresh the file or variable it is read from.'
        : `The base credentials (${context.baseIdentity}) have expired: refresh them (aws sso login, aws configure, or rolemap login for sso).`,
    };
  }
  if (BAD_BASE_CREDENTIALS.has(name)) {
    return {
      kind: 'access-denied',
      retryable: false,
      hint: `The base credentials (${context.baseIdentity}) are not valid: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile's keys.`,
    };
  }
  if (VALIDATION.has(name)) return { kind: 'validation', retryable: false, hint: validationHint(context) };
  if (RETRYABLE_SERVICE.has(name)) return { kind: 'server', retryable: true };
  return undefined;
}

const NOT_STS_HINT = 'STS did not send this answer: check AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and any proxy between you and AWS.';

/**
 * By the error's shape. Only an answer that AWS gave (a named error) may be `validation` or
 * `access-denied`, the kinds remembered for everyone; an answer from something else (a proxy's
 * page, a wrong endpoint's 404) is `malformed-response`, said as its status and content type.
 */
function classify(error: unknown, failure: SdkFailure, context: StsCallContext): Classified {
  if (failure.type === 'service') {
    const byName = classifyService(failure.code, context);
    if (byName !== undefined) return byName;
    if (field(field(error, '$retryable'), 'throttling') === true || failure.status === 429) return { kind: 'throttled', retryable: true };
    if (failure.fault === 'server' || (failure.status ?? 0) >= 500) return { kind: 'server', retryable: true };
    return { kind: 'validation', retryable: false, hint: validationHint(context) };
  }
  switch (failure.type) {
    case 'network':
      return { kind: 'network', retryable: true, hint: 'Could not reach STS; check the network, HTTPS_PROXY and NO_PROXY, and AWS_ENDPOINT_URL_STS.' };
    case 'untrusted-certificate':
    case 'proxy-refused': {
      const { retryable, hint } = transportRefusal(failure);
      return { kind: 'network', retryable, hint };
    }
    case 'timeout':
      return { kind: 'timeout', retryable: true, hint: 'STS did not answer in time; check the network, HTTPS_PROXY and AWS_ENDPOINT_URL_STS.' };
    case 'too-large':
      return { kind: 'malformed-response', retryable: false, hint: NOT_STS_HINT };
    case 'not-aws':
      if (failure.status === 429) return { kind: 'throttled', retryable: true };
      if (failure.status >= 500) return { kind: 'server', retryable: true, hint: NOT_STS_HINT };
      return { kind: 'malformed-response', retryable: false, hint: NOT_STS_HINT };
    case 'other':
      return { kind: 'network', retryable: false };
  }
}

/** What happened, in words: the AWS error code and its message, or what the answer was. */
function whatHappened(error: unknown, failure: SdkFailure): string {
  switch (failure.type) {
    case 'service':
      return detailOf(error, failure.code);
    case 'network':
      return `${failure.words} (${failure.code})`;
    case 'untrusted-certificate':
    case 'proxy-refused':
      return transportRefusal(failure).words;
    case 'timeout':
      return 'no answer in time';
    case 'too-large':
      return `the answer${failure.status === undefined ? '' : ` (HTTP ${failure.status})`} is larger than rolemap reads`;
    case 'not-aws':
      return `an answer that is not from STS: ${failure.words}`;
    case 'other':
      return detailOf(error, failure.name);
  }
}

/**
 * Maps an AWS SDK error from an STS call to a CredentialsError, judging by the error's name,
 * `$metadata.httpStatusCode`, `$fault`, `$retryable` and errno code (never its message text).
 * The message names the role and the base identity, e.g.
 * "Could not assume arn:aws:iam::333333333333:role/terragrunt-apply as arn:aws:iam::999999999999:user/developer: AccessDenied (...)".
 * A CredentialsError is returned unchanged.
 */
export function toCredentialsError(error: unknown, context: StsCallContext): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const failure = classifySdkError(error);
  const classified = classify(error, failure, context);
  const how = context.action === 'AssumeRoleWithWebIdentity' ? 'with web identity' : 'as';
  const message = `Could not assume ${context.roleArn} ${how} ${context.baseIdentity}: ${whatHappened(error, failure)}`;
  return new CredentialsError(message, {
    kind: classified.kind,
    retryable: classified.retryable,
    roleArn: context.roleArn,
    baseIdentity: context.baseIdentity,
    cause: error,
    ...(classified.hint === undefined ? {} : { hint: classified.hint }),
  });
}
