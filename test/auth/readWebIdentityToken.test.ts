import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWebIdentityToken } from '../../src/auth/readWebIdentityToken';
import { pickWebIdentityTokenSource } from '../../src/resolve/pickWebIdentityTokenSource';
import { webIdentityAvailable } from '../../src/resolve/webIdentityAvailable';
import type { WebIdentityTokenSource } from '../../src/config/types';
import { CredentialsError, type CredentialsErrorKind } from '../../src/errors';
import type { Environment } from '../../src/resolve/types';

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
  async function failure(source: WebIdentityTokenSource, env: Environment, fetchImpl?: typeof fetch): Promise<CredentialsError> {
    const error = await readWebIdentityToken(source, { env, audience: 'sts.amazonaws.com', ...(fetchImpl ? { fetch: fetchImpl } : {}) }).catch((e: unknown) => e);
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

  it('asks GitHub with the bearer token and the audience', async () => {
    const seen: Array<[string, string | null]> = [];
    const fake: typeof fetch = async (input, init) => {
      seen.push([String(input), new Headers(init?.headers).get('authorization')]);
      return new Response(JSON.stringify({ value: 'gh.jwt.token' }), { status: 200 });
    };
    const result = await readWebIdentityToken({ kind: 'github' }, { env: GITHUB, audience: 'sts.amazonaws.com', fetch: fake });
    expect(result).toStrictEqual({ token: 'gh.jwt.token', source: 'github' });
    expect(seen).toStrictEqual([['https://gh.example/idtoken?api-version=2.0&audience=sts.amazonaws.com', 'bearer bearer-secret']]);
  });

  it.each<[string, () => Promise<Response>, CredentialsErrorKind, boolean]>([
    ['HTTP 500', async () => new Response('oops', { status: 500 }), 'server', true],
    ['HTTP 429', async () => new Response('slow', { status: 429 }), 'throttled', true],
    ['HTTP 403', async () => new Response('no', { status: 403 }), 'access-denied', false],
    ['a body that is not JSON', async () => new Response('<html>', { status: 200 }), 'malformed-response', false],
    ['JSON without value', async () => new Response('{"count":0}', { status: 200 }), 'malformed-response', false],
    ['a refused connection', async () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })), 'network', true],
    // Read whole before, however large: a 400 MB body aborted the process, an endless one hung.
    [
      'an endless body',
      async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
            },
          }),
          { status: 200 },
        ),
      'malformed-response',
      false,
    ],
  ])('maps %s from GitHub', async (_, answer, kind, retryable) => {
    const error = await failure({ kind: 'github' }, GITHUB, answer);
    expect([error.kind, error.retryable]).toStrictEqual([kind, retryable]);
    expect(error.message).not.toContain('bearer-secret');
  });

  it('stops reading an answer past 1 MiB and says so', async () => {
    const endless = async (): Promise<Response> =>
      new Response(new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024).fill(0x20)) }), { status: 200 });
    const error = await failure({ kind: 'github' }, GITHUB, endless);
    expect(error.message).toBe('Could not get a web identity token from GitHub Actions: HTTP 200, an answer larger than 1024 KiB');
  });
});
