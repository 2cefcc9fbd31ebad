import { CredentialsError, type CredentialsErrorKind } from '../../src/errors';
import { toCredentialsError, type StsCallContext } from '../../src/auth/toCredentialsError';

const ROLE = 'arn:aws:iam::333333333333:role/terragrunt-apply';
const USER = 'arn:aws:iam::999999999999:user/developer';

const assume: StsCallContext = { action: 'AssumeRole', roleArn: ROLE, baseIdentity: USER, durationSeconds: 3600 };
const web: StsCallContext = {
  action: 'AssumeRoleWithWebIdentity',
  roleArn: ROLE,
  baseIdentity: 'sub repo:acme/infra:pull_request',
  durationSeconds: 3600,
};

/** An error shaped like the SDK's: a service exception, a deserialisation failure or a socket error. */
function sdkError(fields: { name?: string; message?: string; status?: number; fault?: 'client' | 'server'; code?: string; retryable?: object }): Error {
  const error = new Error(fields.message ?? 'details');
  if (fields.name !== undefined) error.name = fields.name;
  return Object.assign(error, {
    ...(fields.status === undefined ? { $metadata: { attempts: 1 } } : { $metadata: { httpStatusCode: fields.status, attempts: 1 } }),
    ...(fields.fault === undefined ? {} : { $fault: fields.fault }),
    ...(fields.code === undefined ? {} : { code: fields.code }),
    ...(fields.retryable === undefined ? {} : { $retryable: fields.retryable }),
  });
}

describe('toCredentialsError', () => {
  it.each<[string, Error, StsCallContext, CredentialsErrorKind, boolean]>([
    ['AccessDenied', sdkError({ name: 'AccessDenied', status: 403, fault: 'client' }), assume, 'access-denied', false],
    ['AccessDenied (web identity)', sdkError({ name: 'AccessDenied', status: 403, fault: 'client' }), web, 'access-denied', false],
    ['InvalidIdentityToken', sdkError({ name: 'InvalidIdentityToken', status: 400, fault: 'client' }), web, 'access-denied', false],
    ['IDPRejectedClaim', sdkError({ name: 'IDPRejectedClaim', status: 403, fault: 'client' }), web, 'access-denied', false],
    ['InvalidClientTokenId', sdkError({ name: 'InvalidClientTokenId', status: 403, fault: 'client' }), assume, 'access-denied', false],
    ['ExpiredToken', sdkError({ name: 'ExpiredToken', status: 400, fault: 'client' }), assume, 'expired-token', false],
    ['ExpiredTokenException', sdkError({ name: 'ExpiredTokenException', status: 400, fault: 'client' }), web, 'expired-token', false],
    ['ValidationError', sdkError({ name: 'ValidationError', status: 400, fault: 'client' }), assume, 'validation', false],
    ['RegionDisabledException', sdkError({ name: 'RegionDisabledException', status: 403, fault: 'client' }), assume, 'validation', false],
    ['an unknown 4xx service error', sdkError({ name: 'SomethingNew', status: 400, fault: 'client' }), assume, 'validation', false],
    ['Throttling', sdkError({ name: 'Throttling', status: 400, fault: 'client' }), assume, 'throttled', true],
    ['ThrottlingException', sdkError({ name: 'ThrottlingException', status: 400, fault: 'client' }), assume, 'throttled', true],
    ['RequestLimitExceeded', sdkError({ name: 'RequestLimitExceeded', status: 503, fault: 'server' }), assume, 'throttled', true],
    ['$retryable.throttling', sdkError({ name: 'Odd', status: 400, fault: 'client', retryable: { throttling: true } }), assume, 'throttled', true],
    ['HTTP 429', sdkError({ name: 'Error', status: 429 }), assume, 'throttled', true],
    ['IDPCommunicationError', sdkError({ name: 'IDPCommunicationError', status: 400, fault: 'client' }), web, 'server', true],
    ['ServiceUnavailable', sdkError({ name: 'ServiceUnavailable', status: 503, fault: 'server' }), assume, 'server', true],
    ['InternalFailure', sdkError({ name: 'InternalFailure', status: 500, fault: 'server' }), assume, 'server', true],
    ['an unparseable 502', sdkError({ name: 'Error', status: 502 }), assume, 'server', true],
    ['an unparseable 200', sdkError({ name: 'Error', status: 200 }), assume, 'malformed-response', false],
    ['an HTML 403 from a proxy (no AWS error code)', sdkError({ name: 'Unknown', status: 403, fault: 'client' }), assume, 'malformed-response', false],
    ['a plain-text 404 from a wrong endpoint', sdkError({ name: 'Error', status: 404 }), assume, 'malformed-response', false],
    ['an answer larger than rolemap reads', sdkError({ name: 'ResponseTooLargeError', status: 200 }), assume, 'malformed-response', false],
    ['ECONNREFUSED', sdkError({ name: 'Error', code: 'ECONNREFUSED' }), assume, 'network', true],
    ['ECONNRESET (named TimeoutError by the SDK)', sdkError({ name: 'TimeoutError', code: 'ECONNRESET' }), assume, 'network', true],
    ['ENOTFOUND', sdkError({ name: 'Error', code: 'ENOTFOUND' }), web, 'network', true],
    ["a proxy's certificate (SELF_SIGNED_CERT_IN_CHAIN)", sdkError({ name: 'Error', code: 'SELF_SIGNED_CERT_IN_CHAIN' }), assume, 'network', false],
    ['an expired certificate', sdkError({ name: 'Error', code: 'CERT_HAS_EXPIRED' }), web, 'network', false],
    ["a certificate for another host", sdkError({ name: 'Error', code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), assume, 'network', false],
    ['a request timeout', sdkError({ name: 'TimeoutError', code: 'ETIMEDOUT' }), assume, 'timeout', true],
    ['a connection timeout', sdkError({ name: 'TimeoutError' }), assume, 'timeout', true],
    ['an abort at the deadline', sdkError({ name: 'AbortError' }), assume, 'timeout', true],
    ['ETIMEDOUT', sdkError({ name: 'Error', code: 'ETIMEDOUT' }), assume, 'timeout', true],
    ['a plain bug', new TypeError('x is not a function'), assume, 'network', false],
  ])('maps %s', (_, error, context, kind, retryable) => {
    const mapped = toCredentialsError(error, context);
    expect([mapped.kind, mapped.retryable, mapped.roleArn, mapped.baseIdentity, mapped.cause]).toStrictEqual([
      kind,
      retryable,
      ROLE,
      context.baseIdentity,
      error,
    ]);
  });

  it('never decides by message text', () => {
    const error = sdkError({ name: 'AccessDenied', status: 403, fault: 'client', message: 'Rate exceeded, throttling, timeout' });
    expect(toCredentialsError(error, assume).kind).toBe('access-denied');
  });

  it('names the role, the caller and STS answer in an AccessDenied message, and the trust policy in the hint', () => {
    const error = sdkError({ name: 'AccessDenied', status: 403, fault: 'client', message: 'User: x is not authorized to perform: sts:AssumeRole' });
    const mapped = toCredentialsError(error, { ...assume, sentExternalId: true, sentSourceIdentity: true, sentTags: true });
    expect(mapped).toBeInstanceOf(CredentialsError);
    expect(mapped.message).toBe(
      `Could not assume ${ROLE} as ${USER}: AccessDenied (User: x is not authorized to perform: sts:AssumeRole)`,
    );
    expect(mapped.hint).toBe(
      `Check that the trust policy of ${ROLE} allows ${USER} sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession ` +
        `with a matching sts:ExternalId condition, and that ${USER}'s own policies allow sts:AssumeRole on the role.`,
    );
  });

  it('points a web identity AccessDenied at the OIDC sub condition', () => {
    const mapped = toCredentialsError(sdkError({ name: 'AccessDenied', status: 403, fault: 'client', message: 'Not authorized' }), web);
    expect(mapped.message).toBe(`Could not assume ${ROLE} with web identity ${web.baseIdentity}: AccessDenied (Not authorized)`);
    expect(mapped.hint).toContain('"sub" conditions must match the token (sub repo:acme/infra:pull_request).');
  });

  it.each<[string, StsCallContext, string]>([
    [
      'a chained role asking for more than an hour',
      { ...assume, baseIdentity: 'arn:aws:sts::999999999999:assumed-role/admin/me', durationSeconds: 43200 },
      'arn:aws:sts::999999999999:assumed-role/admin/me is itself an assumed role, and AWS caps chained role sessions at one hour: set duration: 3600 for this mapping.',
    ],
    [
      'an unknown caller asking for more than an hour',
      { ...assume, baseIdentity: 'profile:dev', durationSeconds: 7200 },
      "duration is 7200s: it must not exceed the role's MaxSessionDuration, and when the base credentials are themselves an assumed role (role chaining) AWS caps it at 3600: set duration: 3600.",
    ],
    ['an hour or less', assume, 'Check the role ARN, session name, source identity and tags in the mapping file.'],
  ])('explains a ValidationError for %s', (_, context, hint) => {
    expect(toCredentialsError(sdkError({ name: 'ValidationError', status: 400, fault: 'client' }), context).hint).toBe(hint);
  });

  it('shows the errno code when the SDK error has no better name', () => {
    const mapped = toCredentialsError(sdkError({ name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }), assume);
    expect(mapped.message).toBe(`Could not assume ${ROLE} as ${USER}: the connection was refused (ECONNREFUSED)`);
  });

  it("says an untrusted certificate in words, with AWS_CA_BUNDLE in the hint, and does not retry it", () => {
    const mapped = toCredentialsError(sdkError({ name: 'Error', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', message: 'unable to get local issuer certificate' }), assume);
    expect(mapped.message).toBe(`Could not assume ${ROLE} as ${USER}: the server's TLS certificate is not trusted (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`);
    expect(mapped.hint).toMatch(/^If a proxy inspects TLS on your network, set AWS_CA_BUNDLE to the absolute path of a PEM file/);
    expect(mapped.retryable).toBe(false);
  });

  it('says a reset connection in words, not as the SDK\'s "TimeoutError (socket hang up)"', () => {
    const mapped = toCredentialsError(sdkError({ name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' }), assume);
    expect(mapped.message).toBe(`Could not assume ${ROLE} as ${USER}: the connection was reset (ECONNRESET)`);
  });

  it('says what an answer that is not from AWS was (status, content type), without the SDK\'s parse message or a role hint', () => {
    const error = Object.defineProperty(
      sdkError({ name: 'Error', status: 403, message: '@aws-sdk XML parse error: unexpected content. Deserialization error: inspect $response' }),
      '$response',
      { value: { statusCode: 403, headers: { 'content-type': 'text/html; charset=utf-8' } }, enumerable: false },
    );
    const mapped = toCredentialsError(error, assume);
    expect([mapped.message, mapped.kind, mapped.retryable, mapped.hint]).toStrictEqual([
      `Could not assume ${ROLE} as ${USER}: an answer that is not from STS: HTTP 403 (text/html)`,
      'malformed-response',
      false,
      'STS did not send this answer: check AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and any proxy between you and AWS.',
    ]);
  });

  it('returns a CredentialsError unchanged', () => {
    const original = new CredentialsError('already explained', { kind: 'malformed-response' });
    expect(toCredentialsError(original, assume)).toBe(original);
  });
});
