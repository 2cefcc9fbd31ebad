/**
 * What went wrong in a call to AWS (or GitHub's token endpoint), judged from the error's shape
 * (name, errno code, `$fault`, `$metadata.httpStatusCode`, the response's content type), never
 * from its message text. The one place that knows the network error codes; the per-service
 * mappings (toCredentialsError, toSsoCredentialsError, readWebIdentityToken) decide the rest.
 */
export type SdkFailure =
  /** AWS answered with a proper error naming a code (AccessDenied, Throttling, ...). */
  | { type: 'service'; code: string; status: number | undefined; fault: 'client' | 'server' | undefined }
  /**
   * The connection failed; `words` says how, e.g. "the connection was reset". `sent` is false
   * only when the failure came before any of the request could reach the server (no address,
   * no route, connection refused, TLS handshake failed): then the service certainly did nothing.
   */
  | { type: 'network'; code: string; words: string; sent: boolean }
  /**
   * The TLS handshake failed because the server's certificate is not trusted (`code` is Node's:
   * SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...). Nothing was
   * sent, and trying again changes nothing: typically a proxy that inspects TLS, whose CA this
   * process does not trust.
   */
  | { type: 'untrusted-certificate'; code: string }
  /**
   * The proxy of HTTPS_PROXY answered CONNECT with `status` instead of opening a tunnel (407: it
   * wants credentials; 403: its policy blocks the host). Nothing reached AWS.
   */
  | { type: 'proxy-refused'; status: number }
  | { type: 'timeout' }
  /** The answer was larger than rolemap reads. */
  | { type: 'too-large'; status: number | undefined }
  /** An HTTP answer that is no AWS error (a proxy's HTML page, a 404 from the wrong endpoint). */
  | { type: 'not-aws'; status: number; contentType: string | undefined; words: string }
  | { type: 'other'; name: string };

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ECONNABORTED: 'the connection was closed',
  EPIPE: 'the connection was closed',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ENETDOWN: 'the network is down',
  EPROTO: 'the TLS connection failed',
};
/**
 * Failures Node reports while connecting, before a byte of the request is written: the name was
 * not resolved, no route or nobody listening, or the TLS handshake failed (EPROTO). A reset, an
 * abort or a broken pipe may come after the request was sent.
 */
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPROTO']);
/**
 * Node's codes for a server certificate it does not accept: OpenSSL's verification results, and
 * its own for a certificate that names another host.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Where a refused call was going: AWS, or GitHub Actions' token endpoint (readWebIdentityToken). */
export type TransportDestination = 'AWS' | 'GitHub';
const UNTRUSTED_CERTIFICATE_HINTS: Readonly<Record<TransportDestination, string>> = {
  AWS:
    'If a proxy inspects TLS on your network, set AWS_CA_BUNDLE to the absolute path of a PEM file that holds its CA certificate, ' +
    "as for the AWS CLI (rolemap then trusts only that file's certificates for AWS calls). Otherwise check the endpoint " +
    '(AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC) and the system clock.',
  // AWS_CA_BUNDLE is for AWS's endpoints, as in the AWS CLI; the runner's Node actions take the
  // proxy's CA from NODE_EXTRA_CA_CERTS, and so does this request.
  GitHub:
    "If a proxy inspects TLS on the runner's network, set NODE_EXTRA_CA_CERTS to a PEM file that holds its CA certificate, " +
    "as the runner's own Node actions need (AWS_CA_BUNDLE applies to AWS's endpoints only). Otherwise check " +
    'ACTIONS_ID_TOKEN_REQUEST_URL and the system clock.',
};
/** The error code of HTTPS_PROXY's refusal to open a tunnel (httpsProxy); the error's `proxyStatus` is its HTTP status. */
export const PROXY_REFUSED_CODE = 'ERR_ROLEMAP_PROXY_REFUSED';
function proxyRefusedHint(to: TransportDestination): string {
  return (
    'HTTP 407: the proxy wants credentials; put them in the URL (http://user:password@proxy.example.com:3128). ' +
    `HTTP 403: its policy blocks the ${to} host; ask for it to be allowed. To reach a host without the proxy, list it in NO_PROXY.`
  );
}
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ABORT_ERR', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);
/** Names the SDK gives an error it could not read a code from. */
const UNNAMED = new Set(['Error', 'Unknown', 'UnknownError', '']);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

/** An errno code, on the error or on its cause (where a wrapper such as the SDK's keeps Node's error). */
export function errnoCodeOf(error: unknown): string | undefined {
  return text(error, 'code') ?? text(field(error, 'cause'), 'code');
}

function contentTypeOf(error: unknown): string | undefined {
  const headers = field(field(error, '$response'), 'headers');
  const type = text(headers, 'content-type') ?? text(headers, 'Content-Type');
  return type?.split(';')[0]?.trim();
}

/** Classifies an error thrown by an AWS SDK client's send(), or by Node's http client (readWebIdentityToken). */
export function classifySdkError(error: unknown): SdkFailure {
  const name = text(error, 'name') ?? '';
  const code = errnoCodeOf(error);
  const statusValue = field(field(error, '$metadata'), 'httpStatusCode');
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  const faultValue = field(error, '$fault');
  const fault = faultValue === 'client' || faultValue === 'server' ? faultValue : undefined;

  if (name === 'ResponseTooLargeError') return { type: 'too-large', status };
  // Before the name: the SDK calls a reset connection a TimeoutError ("socket hang up").
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) return { type: 'untrusted-certificate', code };
  if (code === PROXY_REFUSED_CODE) {
    const proxyStatus = field(error, 'proxyStatus');
    return { type: 'proxy-refused', status: typeof proxyStatus === 'number' ? proxyStatus : 0 };
  }
  if (code !== undefined && NETWORK_WORDS[code] !== undefined) {
    return { type: 'network', code, words: NETWORK_WORDS[code], sent: !BEFORE_SENDING.has(code) };
  }
  if (code !== undefined && code.startsWith('UND_ERR') && !TIMEOUT_CODES.has(code)) {
    return { type: 'network', code, words: 'the connection failed', sent: true };
  }
  if (TIMEOUT_NAMES.has(name) || (code !== undefined && TIMEOUT_CODES.has(code))) return { type: 'timeout' };
  if (!UNNAMED.has(name) && (fault !== undefined || status !== undefined)) return { type: 'service', code: name, status, fault };
  if (status !== undefined) {
    const contentType = contentTypeOf(error);
    const words = `HTTP ${status}${contentType === undefined || contentType === '' ? '' : ` (${contentType})`}`;
    return { type: 'not-aws', status, contentType, words };
  }
  return { type: 'other', name: name === '' ? 'Error' : name };
}

/** How a failure of the way to AWS is told: the same words, hint and retry for every service. */
export interface TransportRefusal {
  words: string;
  hint: string;
  retryable: boolean;
}

/** A failure that the settings for the way out (AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, HTTPS_PROXY) can cause. */
export type TransportFailure = Extract<SdkFailure, { type: 'untrusted-certificate' | 'proxy-refused' }>;

export function isTransportFailure(failure: SdkFailure): failure is TransportFailure {
  return failure.type === 'untrusted-certificate' || failure.type === 'proxy-refused';
}

/**
 * The words, hint and retry of a TransportFailure on the way `to` AWS or GitHub: an untrusted
 * certificate never passes, a proxy's refusal only when it is the proxy's 5xx.
 */
export function transportRefusal(failure: TransportFailure, to: TransportDestination = 'AWS'): TransportRefusal {
  switch (failure.type) {
    case 'untrusted-certificate':
      return { words: `the server's TLS certificate is not trusted (${failure.code})`, hint: UNTRUSTED_CERTIFICATE_HINTS[to], retryable: false };
    case 'proxy-refused':
      return {
        words: `the proxy in HTTPS_PROXY refused to open a tunnel to ${to} (HTTP ${failure.status})`,
        hint: proxyRefusedHint(to),
        retryable: failure.status >= 500,
      };
  }
}
