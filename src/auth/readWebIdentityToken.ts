import { MAX_RESPONSE_BYTES, MAX_TOKEN_FILE_BYTES, WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS } from '../constants';
import type { WebIdentityTokenSource } from '../config/types';
import { CredentialsError, type CredentialsErrorKind } from '../errors';
import type { Environment } from '../resolve/types';
import { FileProblem, readRegularFile } from '../readRegularFile';
import { classifySdkError, isTransportFailure, transportRefusal } from './classifySdkError';
import { AUTO_TOKEN_FILE_VARIABLE, AUTO_TOKEN_VARIABLES, formatTokenSource, pickWebIdentityTokenSource } from '../resolve/pickWebIdentityTokenSource';

export interface ReadWebIdentityTokenInit {
  env: Environment;
  /** `aud` asked of GitHub's token endpoint. */
  audience: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
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

function noToken(message: string, hint: string): CredentialsError {
  return new CredentialsError(message, { kind: 'no-web-identity-token', hint });
}

function githubFailure(message: string, kind: CredentialsErrorKind, retryable: boolean, cause?: unknown): CredentialsError {
  return new CredentialsError(`Could not get a web identity token from GitHub Actions: ${message}`, {
    kind,
    retryable,
    hint: GITHUB_HINT,
    ...(cause === undefined ? {} : { cause }),
  });
}

function errorCode(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  for (const candidate of [error, cause]) {
    if (typeof candidate === 'object' && candidate !== null) {
      const code = (candidate as { code?: unknown }).code;
      if (typeof code === 'string') return code;
    }
  }
  return undefined;
}

/** The body as text, refused past MAX_RESPONSE_BYTES: a token answer is a few KiB. */
async function boundedText(response: Response): Promise<string> {
  const tooLarge = (): CredentialsError =>
    githubFailure(`HTTP ${response.status}, an answer larger than ${MAX_RESPONSE_BYTES / 1024} KiB`, 'malformed-response', false);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
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
  url.searchParams.set('audience', init.audience);

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), init.timeoutMs ?? WEB_IDENTITY_TOKEN_REQUEST_TIMEOUT_MS);
  const onOuterAbort = (): void => timeout.abort();
  init.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const response = await (init.fetch ?? fetch)(url, {
      headers: { Authorization: `bearer ${bearer}`, Accept: 'application/json' },
      signal: timeout.signal,
    });
    const text = await boundedText(response);
    if (response.status === 429) throw githubFailure(`HTTP ${response.status}`, 'throttled', true);
    if (response.status >= 500) throw githubFailure(`HTTP ${response.status}`, 'server', true);
    if (!response.ok) throw githubFailure(`HTTP ${response.status}`, 'access-denied', false);
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch (error) {
      throw githubFailure('the response is not JSON', 'malformed-response', false, error);
    }
    if (typeof value !== 'string' || value === '') throw githubFailure('the response has no "value"', 'malformed-response', false);
    return value;
  } catch (error) {
    if (error instanceof CredentialsError) throw error;
    if (timeout.signal.aborted) throw githubFailure('the request timed out', 'timeout', true, error);
    const failure = classifySdkError(error);
    if (failure.type === 'network') throw githubFailure(`${failure.words} (${failure.code})`, 'network', true, error);
    if (isTransportFailure(failure)) {
      const refusal = transportRefusal(failure);
      throw githubFailure(refusal.words, 'network', refusal.retryable, error);
    }
    if (failure.type === 'timeout') throw githubFailure('the request timed out', 'timeout', true, error);
    throw githubFailure(errorCode(error) ?? 'the request failed', 'network', false, error);
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
