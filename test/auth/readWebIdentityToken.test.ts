import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWebIdentityToken } from '../../src/auth/readWebIdentityToken';
import { pickWebIdentityTokenSource } from '../../src/resolve/pickWebIdentityTokenSource';
import { webIdentityAvailable } from '../../src/resolve/webIdentityAvailable';
import type { WebIdentityTokenSource } from '../../src/config/types';
import { CredentialsError, UsageError, type CredentialsErrorKind } from '../../src/errors';
import type { Environment } from '../../src/resolve/types';
import { startConnectProxy, type ConnectProxy } from '../cli/fixtures/startConnectProxy';
import { PROXY_CA, startTlsFront, type TlsFront } from '../cli/fixtures/startTlsFront';

const GITHUB = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh.example/idtoken?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rolemap-token-'));
  writeFileSync(join(dir, 'token'), '  a.b.c\n');
  writeFileSync(join(dir, 'empty'), '\n');
  writeFileSync(join(dir, 'huge'), 'x'.repeat(300 * 1024));
  mkdirSync(join(dir, 'adir'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pickWebIdentityTokenSource', () => {
  it.each<[string, Environment, WebIdentityTokenSource | undefined]>([
    ['GitHub when both request variables are set', { ...GITHUB, GITLAB_OIDC_TOKEN: 'x' }, { kind: 'github' }],
    ['not GitHub with only the URL', { ACTIONS_ID_TOKEN_REQUEST_URL: 'u' }, undefined],
    ['AWS_WEB_IDENTITY_TOKEN_FILE next', { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', GITLAB_OIDC_TOKEN: 'x' }, { kind: 'file', path: '/t' }],
    ['ROLEMAP_WEB_IDENTITY_TOKEN before GITLAB_OIDC_TOKEN', { ROLEMAP_WEB_IDENTITY_TOKEN: 'x', GITLAB_OIDC_TOKEN: 'y' }, { kind: 'env', name: 'ROLEMAP_WEB_IDENTITY_TOKEN' }],
    ['GITLAB_OIDC_TOKEN last', { GITLAB_OIDC_TOKEN: 'y' }, { kind: 'env', name: 'GITLAB_OIDC_TOKEN' }],
    ['nothing when all are empty', { GITLAB_OIDC_TOKEN: '', AWS_WEB_IDENTITY_TOKEN_FILE: '' }, undefined],
  ])('auto picks %s', (_, env, expected) => {
    expect(pickWebIdentityTokenSource({ kind: 'auto' }, env)).toStrictEqual(expected);
    expect(webIdentityAvailable({ kind: 'auto' }, env)).toBe(expected !== undefined);
  });
});

describe('readWebIdentityToken', () => {
  async function failure(source: WebIdentityTokenSource, env: Environment): Promise<CredentialsError> {
    const error = await readWebIdentityToken(source, { env, audience: 'sts.amazonaws.com' }).catch((e: unknown) => e);
    if (!(error instanceof CredentialsError)) throw new Error(`expected a CredentialsError, got ${String(error)}`);
    return error;
  }

  it('reads and trims a token file', async () => {
    await expect(readWebIdentityToken({ kind: 'file', path: join(dir, 'token') }, { env: {}, audience: 'a' })).resolves.toStrictEqual({
      token: 'a.b.c',
      source: `file:${join(dir, 'token')}`,
    });
  });

  it.each<[string, WebIdentityTokenSource, Environment, string]>([
    ['a missing file', { kind: 'file', path: '/nonexistent/token' }, {}, 'No web identity token: /nonexistent/token does not exist'],
    // A FIFO or device used to hang the call forever (a blocking read of something that never ends).
    ['a named pipe', { kind: 'file', path: '<dir>/fifo' }, {}, 'No web identity token: <dir>/fifo is a named pipe (FIFO), not a regular file'],
    ['a device', { kind: 'file', path: '/dev/zero' }, {}, 'No web identity token: /dev/zero is a character device, not a regular file'],
    ['a directory', { kind: 'file', path: '<dir>/adir' }, {}, 'No web identity token: <dir>/adir is a directory, not a regular file'],
    ['a file too large to be a token', { kind: 'file', path: '<dir>/huge' }, {}, 'No web identity token: <dir>/huge is 300 KiB, larger than the 256 KiB rolemap reads'],
    ['an empty file', { kind: 'file', path: '<dir>/empty' }, {}, 'No web identity token: <dir>/empty is empty'],
    ['an unset variable', { kind: 'env', name: 'MY_TOKEN' }, {}, 'No web identity token: MY_TOKEN is not set or empty (web_identity.token: env:MY_TOKEN)'],
    [
      'github outside GitHub Actions',
      { kind: 'github' },
      {},
      'No web identity token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not both set (web_identity.token: github)',
    ],
  ])('explains %s', async (_, source, env, message) => {
    const resolved = source.kind === 'file' ? { kind: 'file' as const, path: source.path.replace('<dir>', dir) } : source;
    const error = await failure(resolved, env);
    expect([error.kind, error.retryable, error.message]).toStrictEqual(['no-web-identity-token', false, message.replace('<dir>', dir)]);
  });

});

/**
 * GitHub Actions' token endpoint, as a scripted HTTP server on 127.0.0.1 (and, for the proxy's
 * cases, the CONNECT proxy and TLS front of the command-line tests).
 */
describe('readWebIdentityToken from GitHub Actions', () => {
  type Answer = (request: http.IncomingMessage, response: http.ServerResponse) => void;
  const json = (status: number, body: string): Answer => (_request, response) => response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  /** Writes blank chunks for as long as the client reads them. */
  const endless: Answer = (_request, response) => {
    response.writeHead(200);
    const write = (): void => {
      if (!response.destroyed && response.write(Buffer.alloc(64 * 1024, 0x20))) setImmediate(write);
    };
    response.on('drain', write);
    write();
  };
  let server: http.Server;
  let origin: string;
  let answer: Answer;
  let seen: Array<[string, string | undefined]>;
  let pending: http.ServerResponse[];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push([request.url ?? '', request.headers.authorization]);
      pending.push(response);
      answer(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen = [];
    pending = [];
    answer = json(200, JSON.stringify({ count: 1, value: 'gh.jwt.token' }));
  });
  afterEach(() => {
    for (const response of pending) response.destroy();
  });

  function githubEnv(extra: Environment = {}): Environment {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-secret', ...extra };
  }

  async function failure(env: Environment, timeoutMs?: number): Promise<CredentialsError> {
    const error = await readWebIdentityToken({ kind: 'github' }, { env, audience: 'sts.amazonaws.com', ...(timeoutMs === undefined ? {} : { timeoutMs }) }).catch((e: unknown) => e);
    if (!(error instanceof CredentialsError)) throw new Error(`expected a CredentialsError, got ${String(error)}`);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('bearer-secret');
    return error;
  }

  it('asks GitHub with the bearer token and the audience', async () => {
    const result = await readWebIdentityToken({ kind: 'github' }, { env: githubEnv(), audience: 'sts.amazonaws.com' });
    expect(result).toStrictEqual({ token: 'gh.jwt.token', source: 'github' });
    expect(seen).toStrictEqual([['/idtoken?api-version=2.0&audience=sts.amazonaws.com', 'bearer bearer-secret']]);
  });

  it.each<[string, Answer, CredentialsErrorKind, boolean, string]>([
    ['HTTP 500', json(500, 'oops'), 'server', true, 'HTTP 500'],
    ['HTTP 429', json(429, 'slow'), 'throttled', true, 'HTTP 429'],
    ['HTTP 403', json(403, 'no'), 'access-denied', false, 'HTTP 403'],
    ['a body that is not JSON', json(200, '<html>'), 'malformed-response', false, 'the response is not JSON'],
    ['JSON without value', json(200, '{"count":0}'), 'malformed-response', false, 'the response has no "value"'],
    // Read whole before, however large: a 400 MB body aborted the process, an endless one hung.
    ['an endless body', endless, 'malformed-response', false, 'HTTP 200, an answer larger than 1024 KiB'],
    ['a Content-Length past 1 MiB', (_request, response) => response.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).flushHeaders(), 'malformed-response', false, 'HTTP 200, an answer larger than 1024 KiB'],
    ['a connection closed before the end', (_request, response) => response.writeHead(200, { 'content-length': '100' }).end().socket?.destroy(), 'network', true, 'the connection was reset (ECONNRESET)'],
  ])('maps %s from GitHub', async (_, script, kind, retryable, words) => {
    answer = script;
    const error = await failure(githubEnv());
    expect([error.kind, error.retryable, error.message]).toStrictEqual([kind, retryable, `Could not get a web identity token from GitHub Actions: ${words}`]);
  });

  it('follows redirects as fetch did, sending the bearer token to the same origin only', async () => {
    // Another origin: a second server on 127.0.0.1, on its own port.
    const other: Array<string | undefined> = [];
    const elsewhere = http.createServer((request, response) => {
      other.push(request.headers.authorization);
      json(200, JSON.stringify({ value: 'gh.jwt.token' }))(request, response);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/elsewhere`;
      answer = (request, response) => response.writeHead(302, { location: request.url?.startsWith('/idtoken') ? '/moved?audience=a' : elsewhereUrl }).end();
      const result = await readWebIdentityToken({ kind: 'github' }, { env: githubEnv(), audience: 'a' });
      expect({ result, seen, other }).toStrictEqual({
        result: { token: 'gh.jwt.token', source: 'github' },
        seen: [
          ['/idtoken?api-version=2.0&audience=a', 'bearer bearer-secret'],
          ['/moved?audience=a', 'bearer bearer-secret'],
        ],
        other: [undefined],
      });
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it.each<[string, string, string]>([
    ['a redirect loop', '/idtoken', 'more than 5 redirects'],
    ['a redirect away from http(s)', 'ftp://127.0.0.1/token', 'HTTP 302, redirected from http:// to ftp://'],
  ])('refuses %s', async (_, location, words) => {
    answer = (_request, response) => response.writeHead(302, { location }).end();
    const error = await failure(githubEnv());
    expect([error.kind, error.retryable, error.message]).toStrictEqual(['malformed-response', false, `Could not get a web identity token from GitHub Actions: ${words}`]);
    expect(seen).toHaveLength(location === '/idtoken' ? 6 : 1);
  });

  it('says a refused connection, to be tried again', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(githubEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/idtoken` }));
    expect([error.kind, error.retryable, error.message]).toStrictEqual([
      'network',
      true,
      'Could not get a web identity token from GitHub Actions: the connection was refused (ECONNREFUSED)',
    ]);
    expect(error.hint).toMatch(/^Check the runner's way to the host of ACTIONS_ID_TOKEN_REQUEST_URL: behind an egress proxy, set HTTPS_PROXY/);
  });

  it('gives up on an endpoint that never answers, to be tried again', async () => {
    answer = () => undefined;
    const error = await failure(githubEnv(), 200);
    expect([error.kind, error.retryable, error.message]).toStrictEqual(['timeout', true, 'Could not get a web identity token from GitHub Actions: the request timed out']);
  });

  it('refuses a token URL that is not http(s)', async () => {
    const error = await failure(githubEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: 'file:///etc/passwd' }));
    expect([error.kind, error.retryable, error.message, seen]).toStrictEqual([
      'no-web-identity-token',
      false,
      'Could not get a web identity token from GitHub Actions: ACTIONS_ID_TOKEN_REQUEST_URL is not an https:// URL',
      [],
    ]);
  });

  describe('on a network with a proxy', () => {
    let proxy: ConnectProxy;
    let front: TlsFront;
    beforeAll(async () => {
      front = await startTlsFront(origin);
    });
    afterAll(async () => front.close());
    beforeEach(async () => {
      proxy = await startConnectProxy();
    });
    afterEach(async () => proxy.close());

    it("asks through HTTPS_PROXY's tunnel; a refusal is said with the proxy's fix and not tried again", async () => {
      proxy.refuseWith = 407;
      const error = await failure(githubEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: `${front.url}/idtoken`, HTTPS_PROXY: proxy.url }));
      expect({ tunnels: proxy.tunnels(), kind: error.kind, retryable: error.retryable, message: error.message, asked: seen }).toStrictEqual({
        tunnels: [new URL(front.url).host],
        kind: 'network',
        retryable: false,
        message: 'Could not get a web identity token from GitHub Actions: the proxy in HTTPS_PROXY refused to open a tunnel to GitHub (HTTP 407)',
        asked: [],
      });
      expect(error.hint).toContain('the proxy wants credentials');
    });

    it('says a certificate Node does not trust, naming NODE_EXTRA_CA_CERTS, and not AWS_CA_BUNDLE as the fix', async () => {
      const error = await failure(githubEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: `${front.url}/idtoken`, HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: PROXY_CA }));
      expect({ tunnels: proxy.tunnels(), retryable: error.retryable, message: error.message, asked: seen }).toStrictEqual({
        tunnels: [new URL(front.url).host],
        retryable: false,
        message: expect.stringMatching(/^Could not get a web identity token from GitHub Actions: the server's TLS certificate is not trusted \([A-Z_]+\)$/),
        asked: [],
      });
      expect(error.hint).toMatch(/^If a proxy inspects TLS on the runner's network, set NODE_EXTRA_CA_CERTS/);
    });

    it("goes direct to NO_PROXY's hosts and to an http:// token URL", async () => {
      await expect(readWebIdentityToken({ kind: 'github' }, { env: githubEnv({ HTTPS_PROXY: proxy.url }), audience: 'a' })).resolves.toMatchObject({ token: 'gh.jwt.token' });
      const exempt = await failure(githubEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: `${front.url}/idtoken`, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }));
      // Direct to the front, whose certificate Node does not trust: no tunnel was asked for.
      expect({ tunnels: proxy.tunnels(), message: exempt.message }).toStrictEqual({
        tunnels: [],
        message: expect.stringContaining("the server's TLS certificate is not trusted"),
      });
      expect(seen).toHaveLength(1);
    });

    it('refuses an HTTPS_PROXY that is no proxy URL before asking anything', async () => {
      const error = await readWebIdentityToken({ kind: 'github' }, { env: githubEnv({ HTTPS_PROXY: 'socks5://user:pw@127.0.0.1:1080' }), audience: 'a' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(String((error as UsageError).message)).not.toContain('pw');
      expect(seen).toStrictEqual([]);
    });
  });
});
