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

/** An errno code, on the error or, from fetch, on its cause. */
function errnoCode(error: unknown): string | undefined {
  return text(error, 'code') ?? text(field(error, 'cause'), 'code');
}

function contentTypeOf(error: unknown): string | undefined {
  const headers = field(field(error, '$response'), 'headers');
  const type = text(headers, 'content-type') ?? text(headers, 'Content-Type');
  return type?.split(';')[0]?.trim();
}

/** Classifies an error thrown by an AWS SDK client's send(), or by fetch. */
export function classifySdkError(error: unknown): SdkFailure {
  const name = text(error, 'name') ?? '';
  const code = errnoCode(error);
  const statusValue = field(field(error, '$metadata'), 'httpStatusCode');
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  const faultValue = field(error, '$fault');
  const fault = faultValue === 'client' || faultValue === 'server' ? faultValue : undefined;

  if (name === 'ResponseTooLargeError') return { type: 'too-large', status };
  // Before the name: the SDK calls a reset connection a TimeoutError ("socket hang up").
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

