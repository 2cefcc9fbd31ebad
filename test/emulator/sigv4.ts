import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatorRequest } from './types';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION_PATTERN = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** AWS refuses a signature dated more than 15 minutes away from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export type SigV4Verdict =
  | { status: 'verified'; accessKeyId: string; region: string }
  | { status: 'rejected'; httpStatus: number; code: string; message: string };

export interface VerifySigV4Init {
  /** Signing name the credential scope must carry, e.g. "sts". */
  service: string;
  /** Secret for an access key id, or undefined when the key (or its session token) is not valid. */
  secretFor(accessKeyId: string): string | undefined;
  /** Real wall-clock time in ms: the SDK signs with the machine's clock, not the emulated one. */
  wallClock(): number;
}

/**
 * Verifies an `Authorization: AWS4-HMAC-SHA256 ...` header the way AWS does: rebuilds the canonical
 * request from what arrived on the wire (method, path, query, signed headers, body hash), derives
 * the signing key from the stored secret and compares signatures.
 */
export function verifySigV4(req: EmulatorRequest, init: VerifySigV4Init): SigV4Verdict {
  const authorization = headerValue(req, 'authorization');
  if (authorization === undefined) {
    if (req.query.has('X-Amz-Signature')) {
      return reject(400, 'IncompleteSignature', 'The emulator does not accept presigned (query string) requests.');
    }
    return reject(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  const match = AUTHORIZATION_PATTERN.exec(authorization.trim());
  const [, credential, signedHeadersText, signature] = match ?? [];
  if (credential === undefined || signedHeadersText === undefined || signature === undefined) {
    return reject(
      400,
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters with algorithm ${ALGORITHM}.`,
    );
  }
  const scopeParts = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = scopeParts;
  if (
    scopeParts.length !== 5 ||
    accessKeyId === undefined ||
    scopeDate === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== 'aws4_request'
  ) {
    return reject(400, 'IncompleteSignature', `Credential scope is malformed: ${credential}`);
  }
  const amzDate = headerValue(req, 'x-amz-date');
  if (amzDate === undefined) {
    return reject(400, 'IncompleteSignature', "Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) return reject(400, 'IncompleteSignature', `X-Amz-Date is malformed: ${amzDate}`);

  const secret = init.secretFor(accessKeyId);
  if (secret === undefined) {
    return reject(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  if (service !== init.service) {
    return reject(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${init.service}'.`);
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    return reject(403, 'SignatureDoesNotMatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`);
  }
  const skew = signedAt - init.wallClock();
  if (skew < -MAX_SKEW_MS) {
    return reject(403, 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(init.wallClock() - MAX_SKEW_MS)} (${formatAmzDate(init.wallClock())} - 15 min.)`);
  }
  if (skew > MAX_SKEW_MS) {
    return reject(403, 'SignatureDoesNotMatch', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(init.wallClock() + MAX_SKEW_MS)} (${formatAmzDate(init.wallClock())} + 15 min.)`);
  }
  const signedHeaders = signedHeadersText.split(';');
  if (!signedHeaders.includes('host')) {
    return reject(403, 'SignatureDoesNotMatch', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(req.path),
    canonicalQuery(req.query),
    signedHeaders.map((name) => `${name}:${canonicalHeaderValue(req, name)}\n`).join(''),
    signedHeadersText,
    createHash('sha256').update(req.body).digest('hex'),
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = [scopeDate, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => createHmac('sha256', key).update(part).digest(),
    Buffer.from(`AWS4${secret}`, 'utf8'),
  );
  const expected = Buffer.from(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return reject(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
  }
  return { status: 'verified', accessKeyId, region };
}

function reject(httpStatus: number, code: string, message: string): SigV4Verdict {
  return { status: 'rejected', httpStatus, code, message };
}

function headerValue(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function canonicalHeaderValue(req: EmulatorRequest, name: string): string {
  return (headerValue(req, name) ?? '').trim().replace(/\s+/g, ' ');
}

/** RFC 3986 encoding: everything but unreserved characters is percent-encoded. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services sign the path as it went on the wire, encoded once more segment by segment. */
function canonicalUri(path: string): string {
  return path.split('/').map(encodeRfc3986).join('/') || '/';
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE_PATTERN.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined || s === undefined) {
    return undefined;
  }
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
