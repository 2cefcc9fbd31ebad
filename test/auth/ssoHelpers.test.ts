import { formatSsoTimestamp } from '../../src/auth/sso/formatSsoTimestamp';
import { getSsoTokenFilepath } from '../../src/auth/sso/getSsoTokenFilepath';
import { resolveHomeDir } from '../../src/auth/sso/resolveHomeDir';
import { resolveSsoEndpoint } from '../../src/auth/sso/resolveSsoEndpoint';
import { shouldOpenBrowser, type BrowserContext } from '../../src/auth/sso/shouldOpenBrowser';
import { toSsoCredentialsError } from '../../src/auth/sso/toSsoCredentialsError';
import { CredentialsError } from '../../src/errors';
import type { Environment } from '../../src/resolve/types';

describe('getSsoTokenFilepath', () => {
  it.each([
    ['abc', '/home/alice/.aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json'],
    ['', '/home/alice/.aws/sso/cache/da39a3ee5e6b4b0d3255bfef95601890afd80709.json'],
  ])('puts %j under ~/.aws/sso/cache by its sha1', (id, expected) => {
    expect(getSsoTokenFilepath(id, '/home/alice')).toBe(expected);
  });
});

describe('formatSsoTimestamp', () => {
  it.each([
    [Date.UTC(2026, 10, 21, 14, 0, 0), '2026-11-21T14:00:00Z'],
    [Date.UTC(2026, 10, 21, 14, 0, 0, 999), '2026-11-21T14:00:00Z'],
    [Date.UTC(2027, 0, 1, 0, 0, 1, 1), '2027-01-01T00:00:01Z'],
  ])('writes %d as the AWS CLI does: %s', (ms, expected) => {
    expect(formatSsoTimestamp(ms)).toBe(expected);
  });
});

describe('resolveHomeDir', () => {
  it.each<[Environment, string]>([
    [{ HOME: '/home/alice', USERPROFILE: 'C:\\Users\\bob' }, '/home/alice'],
    [{ USERPROFILE: 'C:\\Users\\bob' }, 'C:\\Users\\bob'],
    [{ HOMEDRIVE: 'D:', HOMEPATH: '\\Users\\carol' }, 'D:\\Users\\carol'],
  ])('reads %j as the AWS SDK does', (env, expected) => {
    expect(resolveHomeDir(env)).toBe(expected);
  });
});

describe('resolveSsoEndpoint', () => {
  it.each<[Environment, 'SSO_OIDC' | 'SSO', string | undefined]>([
    [{ AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, 'SSO_OIDC', 'http://127.0.0.1:1'],
    [{ AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:1' }, 'SSO', undefined],
    [{ AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:3' }, 'SSO', 'http://127.0.0.1:3'],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, 'SSO', 'http://127.0.0.1:2'],
    [{ AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:3', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'SSO', undefined],
    [{}, 'SSO_OIDC', undefined],
  ])('with %j gives the %s endpoint %s', (env, service, expected) => {
    expect(resolveSsoEndpoint(env, service)).toBe(expected);
  });
});

describe('shouldOpenBrowser', () => {
  const base: BrowserContext = { noBrowser: false, isTTY: true, env: {}, platform: 'linux' };
  it.each<[string, Partial<BrowserContext>, boolean]>([
    ['Linux with X11', { env: { DISPLAY: ':0' } }, true],
    ['Linux with Wayland', { env: { WAYLAND_DISPLAY: 'wayland-0' } }, true],
    ['Linux without a display (ssh)', {}, false],
    ['macOS', { platform: 'darwin' }, true],
    ['macOS with --no-browser', { platform: 'darwin', noBrowser: true }, false],
    ['macOS without a terminal (Terragrunt pipes)', { platform: 'darwin', isTTY: false }, false],
    ['Linux with a display but no terminal', { env: { DISPLAY: ':0' }, isTTY: false }, false],
  ])('%s: %s', (_what, context, expected) => {
    expect(shouldOpenBrowser({ ...base, ...context })).toBe(expected);
  });
});

describe('toSsoCredentialsError', () => {
  const context = { action: 'do a thing', loginHint: 'run `rolemap login`', forbiddenHint: 'ask for access' };
  const sdkError = (name: string, status: number, fault: 'client' | 'server' = 'client') =>
    Object.assign(new Error('server text'), { name, $fault: fault, $metadata: { httpStatusCode: status } });
  it.each([
    [sdkError('UnauthorizedException', 401), 'sso-login-required', false, 'run `rolemap login`'],
    [sdkError('InvalidGrantException', 400), 'sso-login-required', false, 'run `rolemap login`'],
    [sdkError('ForbiddenException', 403), 'access-denied', false, 'ask for access'],
    [sdkError('TooManyRequestsException', 429), 'throttled', true, 'try again; the failure may be temporary'],
    [sdkError('InternalServerException', 500, 'server'), 'server', true, 'try again; the failure may be temporary'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'network', true, 'try again; the failure may be temporary'],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'timeout', true, 'try again; the failure may be temporary'],
    // A proxy's HTML page is no AWS answer: not "access denied", not remembered.
    [sdkError('Unknown', 403), 'malformed-response', false, undefined],
  ])('maps %p to %s', (error, kind, retryable, hint) => {
    const mapped = toSsoCredentialsError(error, context);
    expect(mapped).toBeInstanceOf(CredentialsError);
    expect({ kind: mapped.kind, retryable: mapped.retryable, hint: mapped.hint }).toEqual({ kind, retryable, hint });
    expect(mapped.message).not.toContain('server text');
  });
});
