import { readFileSync } from 'node:fs';
import { ISSUED_BASE_IDENTITY_ENV } from '../constants';
import { normaliseStartUrl } from './sso/normaliseStartUrl';
import type { CredentialRequest, Environment } from '../resolve/types';
import { formatTokenSource, pickWebIdentityTokenSource } from './pickWebIdentityTokenSource';

/** Enough of a token's digest to tell tokens apart in a cache key, without revealing it. */
const TOKEN_DIGEST_HEX_LENGTH = 16;

function digest(token: string): string {
  // Web identity tokens are secrets, so they get a real hash. node:crypto is loaded here only: it
  // costs more to load than the rest of a cache hit, which the other auth kinds need not pay.
  const { digestToken } = require('./digestToken') as typeof import('./digestToken');
  return digestToken(token).slice(0, TOKEN_DIGEST_HEX_LENGTH);
}

function readTokenQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function describeWebIdentity(request: CredentialRequest, env: Environment): string {
  const source = pickWebIdentityTokenSource(request.webIdentity.token, env);
  if (source === undefined) return 'web-identity:none';
  const prefix = `web-identity:${formatTokenSource(source)}`;
  switch (source.kind) {
    case 'github': {
      // The token itself is not fetched on the hot path; one job run is one identity.
      const run = ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT', 'GITHUB_JOB'].map((name) => env[name] ?? '');
      return `${prefix}:${run.join(':')}:${request.webIdentity.audience}`;
    }
    case 'env': {
      const token = env[source.name]?.trim() ?? '';
      return token === '' ? `${prefix}:none` : `${prefix}:${digest(token)}`;
    }
    case 'file': {
      const token = readTokenQuietly(source.path);
      return token === undefined || token === '' ? `${prefix}:none` : `${prefix}:${digest(token)}`;
    }
  }
}

/**
 * A stable, non-secret name for the identity that will ask STS for `request`'s role: part of
 * the cache key, and what error messages call the caller before an ARN is known.
 * It follows the AWS SDK's precedence for `assume`: a profile (source_profile, AWS_PROFILE)
 * wins over environment keys. Access key ids are not secret; secret keys and tokens never appear
 * (env and file tokens are represented by a truncated sha256).
 *
 * Loads nothing heavy: it runs on the cache-hit path.
 */
export function describeBaseIdentity(request: CredentialRequest, env: Environment): string {
  switch (request.auth) {
    case 'web-identity':
      return describeWebIdentity(request, env);
    case 'sso':
      return request.sso === undefined ? 'sso:none' : ssoBaseIdentity(request.sso.startUrl);
    case 'delegate':
      return 'delegate';
    case 'assume': {
      const source = assumeBaseSource(request, env);
      switch (source.kind) {
        case 'profile':
          return `profile:${source.profile}`;
        case 'environment':
          return `env:${source.accessKeyId}`;
        case 'chain': {
          // A dependency fetch whose env keys were rolemap's: the identity they were obtained with.
          const inherited = env[ISSUED_BASE_IDENTITY_ENV];
          return inherited !== undefined && inherited !== '' ? inherited : 'profile:default';
        }
      }
    }
  }
}

/** Where `assume` takes its base credentials from. */
export type AssumeBaseSource =
  | { kind: 'profile'; profile: string }
  | { kind: 'environment'; accessKeyId: string }
  | { kind: 'chain' };

/**
 * The AWS SDK default chain's own precedence: a profile (source_profile, AWS_PROFILE) wins; else
 * environment keys; else the rest of the chain (container, instance metadata, the default profile).
 * Decided once here, so the cache key names the identity that is actually used.
 */
export function assumeBaseSource(request: CredentialRequest, env: Environment): AssumeBaseSource {
  const profile = request.sourceProfile ?? env['AWS_PROFILE'];
  if (profile !== undefined && profile !== '') return { kind: 'profile', profile };
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  if (accessKeyId !== undefined && accessKeyId !== '' && (env['AWS_SECRET_ACCESS_KEY'] ?? '') !== '') {
    return { kind: 'environment', accessKeyId };
  }
  return { kind: 'chain' };
}

/** The base identity of credentials obtained through an SSO session: its portal, normalised. */
export function ssoBaseIdentity(startUrl: string): string {
  return `sso:${normaliseStartUrl(startUrl)}`;
}
