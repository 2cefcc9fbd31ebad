import { CHAINED_ROLE_MAX_DURATION_SECONDS } from '../constants';
import { CredentialsError, type CredentialsErrorKind } from '../errors';

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
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);

const MAX_DETAIL_LENGTH = 300;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

/** Connection errors keep their errno code on the error or, from fetch, on its cause. */
function errorCode(error: unknown): string | undefined {
  return stringField(error, 'code') ?? stringField(field(error, 'cause'), 'code');
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

function classify(error: unknown, context: StsCallContext): Classified {
  const name = stringField(error, 'name') ?? '';
  const byName = classifyService(name, context);
  if (byName !== undefined) return byName;

  const retryable = field(error, '$retryable');
  if (field(retryable, 'throttling') === true) return { kind: 'throttled', retryable: true };

  const code = errorCode(error);
  if (TIMEOUT_NAMES.has(name) && (code === undefined || code === 'ETIMEDOUT' || code === 'ABORT_ERR')) {
    return { kind: 'timeout', retryable: true, hint: 'STS did not answer in time; check the network and AWS_ENDPOINT_URL_STS.' };
  }
  if (code === 'ETIMEDOUT') return { kind: 'timeout', retryable: true };
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return { kind: 'network', retryable: true, hint: 'Could not reach STS; check the network, proxy settings and AWS_ENDPOINT_URL_STS.' };
  }

  const status = field(field(error, '$metadata'), 'httpStatusCode');
  const fault = field(error, '$fault');
  if (status === 429) return { kind: 'throttled', retryable: true };
  if (fault === 'server' || (typeof status === 'number' && status >= 500)) return { kind: 'server', retryable: true };
  if (typeof status === 'number' && fault === undefined) {
    // An HTTP answer without a service error shape: the SDK could not parse the body.
    return { kind: 'malformed-response', retryable: false, hint: 'STS sent a response that could not be read; check AWS_ENDPOINT_URL_STS and any proxy.' };
  }
  if (fault === 'client') return { kind: 'validation', retryable: false, hint: validationHint(context) };
  return { kind: 'network', retryable: false };
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
  const name = stringField(error, 'name') ?? 'Error';
  const classified = classify(error, context);
  const code = errorCode(error);
  const shown = name === 'Error' && code !== undefined ? code : name;
  const how = context.action === 'AssumeRoleWithWebIdentity' ? 'with web identity' : 'as';
  const message = `Could not assume ${context.roleArn} ${how} ${context.baseIdentity}: ${detailOf(error, shown)}`;
  return new CredentialsError(message, {
    kind: classified.kind,
    retryable: classified.retryable,
    roleArn: context.roleArn,
    baseIdentity: context.baseIdentity,
    cause: error,
    ...(classified.hint === undefined ? {} : { hint: classified.hint }),
  });
}
