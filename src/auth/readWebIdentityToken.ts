import * as http from 'node:http';
import * as https from 'node:https';

import { MAX_RESPONSE_BYTES, MAX_TOKEN_FILE_BYTES, MAX_TOKEN_REQUEST_REDIRECTS, WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS } from '../constants';
import type { WebIdentityTokenSource } from '../config/types';
import { CredentialsError, type CredentialsErrorKind } from '../errors';
import type { Environment } from '../resolve/types';
import { FileProblem, readRegularFile } from '../readRegularFile';
import { classifySdkError, errnoCodeOf, transportRefusal } from './classifySdkError';
import { readHttpsProxy, type HttpsProxy } from './httpsProxy';
import { ProxyTunnelAgent } from './proxyTunnelAgent';
import { readBoundedBody } from './limitResponseSize';
import { AUTO_TOKEN_FILE_VARIABLE, AUTO_TOKEN_VARIABLES, formatTokenSource, pickWebIdentityTokenSource } from '../resolve/pickWebIdentityTokenSource';

export interface ReadWebIdentityTokenInit {
  env: Environment;
  /** `aud` asked of GitHub's token endpoint. */
  audience: string;
  /** Aborts the GitHub request (the overall deadline). */
  signal?: AbortSignal;
  /** Per-request limit for GitHub; default WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface WebIdentityToken {
  /** The JWT. A secret: never log it or put it in a message. */
  token: string;
  /** Where it came from, as written in the mapping file: `github`, `env:NAME`, `file:PATH`. */
  source: string;
}

const GITHUB_HINT = 'The GitHub Actions job needs `permissions: id-token: write`.';
const GITHUB_NETWORK_HINT =
  "Check the runner's way to the host of ACTIONS_ID_TOKEN_REQUEST_URL: behind an egress proxy, set HTTPS_PROXY (and NO_PROXY for hosts reached directly).";

function noToken(message: string, hint: string): CredentialsError {
  return new CredentialsError(message, { kind: 'no-web-identity-token', hint });
}

function githubFailure(message: string, kind: CredentialsErrorKind, retryable: boolean, cause?: unknown, hint = GITHUB_HINT): CredentialsError {
  return new CredentialsError(`Could not get a web identity token from GitHub Actions: ${message}`, {
    kind,
    retryable,
    hint,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** An answer of GitHub's token endpoint: its status and its body, read whole up to MAX_RESPONSE_BYTES. */
interface TokenAnswer {
  status: number;
  text: string;
  /** The Location header of a redirect. */
  location: string | undefined;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url` with Node's own HTTP client, through HTTPS_PROXY's tunnel for an https URL (unless
 * NO_PROXY exempts its host), as @actions/core's getIDToken reaches the endpoint. Node's `fetch`
 * reads no proxy variable: on a self-hosted runner behind an egress proxy it never got through.
 * The server's certificate is checked against Node's roots and NODE_EXTRA_CA_CERTS's, as for the
 * runner's Node actions; AWS_CA_BUNDLE is for AWS's endpoints, as in the AWS CLI.
 * @throws ResponseTooLargeError past MAX_RESPONSE_BYTES, or Node's error for the connection.
 */
function getTokenAnswer(url: URL, headers: Record<string, string>, proxy: HttpsProxy | undefined, signal: AbortSignal): Promise<TokenAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const agent = secure && proxy !== undefined ? new ProxyTunnelAgent(proxy, {}) : undefined;
    const request = (secure ? https : http).get(url, { headers, signal, ...(agent === undefined ? {} : { agent }) }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      readBoundedBody(response, MAX_RESPONSE_BYTES, status, response.headers['content-length']).then(
        (body) => resolve({ status, text: Buffer.from(body).toString('utf8'), location }),
        reject,
      );
    });
    request.on('error', reject);
  });
}

/**
 * getTokenAnswer, following redirects as `fetch` and @actions/core do: up to
 * MAX_TOKEN_REQUEST_REDIRECTS, never from https:// to anything else, and without the bearer token
 * to another origin (scheme, host and port).
 */
async function followRedirects(url: URL, headers: Record<string, string>, proxy: HttpsProxy | undefined, signal: AbortSignal): Promise<TokenAnswer> {
  let target = url;
  let sent = headers;
  for (let redirects = 0; ; redirects += 1) {
    const answer = await getTokenAnswer(target, sent, proxy, signal);
    if (!REDIRECT_STATUSES.has(answer.status) || answer.location === undefined) return answer;
    if (redirects === MAX_TOKEN_REQUEST_REDIRECTS) throw githubFailure(`more than ${MAX_TOKEN_REQUEST_REDIRECTS} redirects`, 'malformed-response', false);
    let next: URL;
    try {
      next = new URL(answer.location, target);
    } catch (error) {
      throw githubFailure(`HTTP ${answer.status}, redirected to something that is not a URL`, 'malformed-response', false, error);
    }
    if (next.protocol !== 'https:' && (target.protocol === 'https:' || next.protocol !== 'http:')) {
      throw githubFailure(`HTTP ${answer.status}, redirected from ${target.protocol}// to ${next.protocol}//`, 'malformed-response', false);
    }
    if (next.origin !== target.origin) sent = Object.fromEntries(Object.entries(sent).filter(([name]) => name.toLowerCase() !== 'authorization'));
    target = next;
  }
}

async function fetchGithubToken(init: ReadWebIdentityTokenInit): Promise<string> {
  const requestUrl = init.env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '';
  const bearer = init.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
  if (requestUrl === '' || bearer === '') {
    throw noToken(
      'No web identity token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not both set (web_identity.token: github)',
      GITHUB_HINT,
    );
  }
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch (error) {
    throw githubFailure('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL', 'no-web-identity-token', false, error);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw githubFailure('ACTIONS_ID_TOKEN_REQUEST_URL is not an https:// URL', 'no-web-identity-token', false);
  }
  url.searchParams.set('audience', init.audience);
  // Before the request: a bad HTTPS_PROXY is a usage error (exit 2), not a failure to retry.
  const proxy = readHttpsProxy(init.env);

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), init.timeoutMs ?? WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS);
  const onOuterAbort = (): void => timeout.abort();
  init.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const answer = await followRedirects(url, { Authorization: `bearer ${bearer}`, Accept: 'application/json' }, proxy, timeout.signal);
    if (answer.status === 429) throw githubFailure(`HTTP ${answer.status}`, 'throttled', true);
    if (answer.status >= 500) throw githubFailure(`HTTP ${answer.status}`, 'server', true);
    if (answer.status < 200 || answer.status > 299) throw githubFailure(`HTTP ${answer.status}`, 'access-denied', false);
    let value: unknown;
    try {
      value = (JSON.parse(answer.text) as { value?: unknown }).value;
    } catch (error) {
      throw githubFailure('the response is not JSON', 'malformed-response', false, error);
    }
    if (typeof value !== 'string' || value === '') throw githubFailure('the response has no "value"', 'malformed-response', false);
    return value;
  } catch (error) {
    if (error instanceof CredentialsError) throw error;
    if (timeout.signal.aborted) throw githubFailure('the request timed out', 'timeout', true, error, GITHUB_NETWORK_HINT);
    const failure = classifySdkError(error);
    switch (failure.type) {
      case 'too-large':
        throw githubFailure(`HTTP ${failure.status ?? 0}, an answer larger than ${MAX_RESPONSE_BYTES / 1024} KiB`, 'malformed-response', false);
      case 'network':
        throw githubFailure(`${failure.words} (${failure.code})`, 'network', true, error, GITHUB_NETWORK_HINT);
      case 'untrusted-certificate':
      case 'proxy-refused': {
        const refusal = transportRefusal(failure, 'GitHub');
        throw githubFailure(refusal.words, 'network', refusal.retryable, error, refusal.hint);
      }
      case 'timeout':
        throw githubFailure('the request timed out', 'timeout', true, error, GITHUB_NETWORK_HINT);
      default:
        throw githubFailure(errnoCodeOf(error) ?? 'the request failed', 'network', false, error, GITHUB_NETWORK_HINT);
    }
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readRegularFile(path, { maxBytes: MAX_TOKEN_FILE_BYTES });
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    throw noToken(`No web identity token: ${error.message}`, 'Check web_identity.token (file:PATH) or AWS_WEB_IDENTITY_TOKEN_FILE: it must name a regular file holding the token.');
  }
  const token = text.trim();
  if (token === '') throw noToken(`No web identity token: ${path} is empty`, 'Check whatever writes the token file.');
  return token;
}

/**
 * Obtains the OIDC token named by `source` (README, "How credentials are obtained"): GitHub
 * Actions' token endpoint, an environment variable, or a file. `auto` takes the first of those
 * present. Throws a CredentialsError of kind `no-web-identity-token` naming what was looked for
 * when there is none; GitHub request failures are retryable where trying again may help.
 */
export async function readWebIdentityToken(source: WebIdentityTokenSource, init: ReadWebIdentityTokenInit): Promise<WebIdentityToken> {
  const picked = pickWebIdentityTokenSource(source, init.env);
  if (picked === undefined) {
    const looked = ['ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN', AUTO_TOKEN_FILE_VARIABLE, ...AUTO_TOKEN_VARIABLES];
    throw noToken(
      `No web identity token found (web_identity.token: auto looked for ${looked.join(', ')})`,
      'In GitHub Actions grant `permissions: id-token: write`; in GitLab add an `id_tokens` entry named GITLAB_OIDC_TOKEN; or set web_identity.token.',
    );
  }
  const name = formatTokenSource(picked);
  switch (picked.kind) {
    case 'github':
      return { token: await fetchGithubToken(init), source: name };
    case 'env': {
      const token = init.env[picked.name]?.trim() ?? '';
      if (token === '') throw noToken(`No web identity token: ${picked.name} is not set or empty (web_identity.token: ${name})`, 'Set the variable, e.g. with GitLab `id_tokens`.');
      return { token, source: name };
    }
    case 'file':
      return { token: readTokenFile(picked.path), source: name };
  }
}
