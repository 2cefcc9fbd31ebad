import { ISSUED_BASE_IDENTITY_ENV, MAX_TOKEN_FILE_BYTES } from '../constants';
import { readRegularFile } from '../readRegularFile';
import { normaliseStartUrl } from './sso/normaliseStartUrl';
import type { CredentialRequest, Environment, WebIdentityRequest } from '../resolve/types';
import { assumeBaseSource, type AssumeBaseSource } from '../resolve/assumeBaseSource';
import { formatTokenSource, pickWebIdentityTokenSource } from '../resolve/pickWebIdentityTokenSource';

/**
 * Enough of a digest to tell tokens apart in a cache key: 128 bits, so that two jobs never share
 * one by chance, whatever number of jobs a cache directory sees.
 */
const TOKEN_DIGEST_HEX_LENGTH = 32;

/**
 * A one-way name for a secret token: a salted sha256, cut short. Tokens are random and long, so
 * the name reveals nothing of them; the salt keeps it from matching any other use of the same hash.
 */
function tokenDigest(purpose: string, token: string): string {
  // node:crypto is reached only through a lib: it costs more to load than the rest of a cache
  // hit, which the other auth kinds need not pay.
  const { digestToken } = require('./digestToken') as typeof import('./digestToken');
  return digestToken(`rolemap/${purpose}/1\0${token}`).slice(0, TOKEN_DIGEST_HEX_LENGTH);
}

function readTokenQuietly(path: string): string | undefined {
  try {
    return readRegularFile(path, { maxBytes: MAX_TOKEN_FILE_BYTES }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Who a web identity call asks as: the token's own identity, never where it was read. Each
 * GitHub Actions job has its own ACTIONS_ID_TOKEN_REQUEST_TOKEN (matrix legs and reusable
 * workflows share the run, attempt and job name, and may be trusted for different subjects), so a
 * digest of it names the job; an env or file token is named by a digest of the token itself.
 */
function describeWebIdentity(request: WebIdentityRequest, env: Environment): string {
  const source = pickWebIdentityTokenSource(request.webIdentity.token, env);
  if (source === undefined) return 'web-identity:none';
  switch (source.kind) {
    case 'github': {
      // The token itself is not fetched on the hot path; the job's request token stands for it.
      const bearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
      return bearer === '' ? 'web-identity:github:none' : `web-identity:github-job:${tokenDigest('github-request-token', bearer)}:${request.webIdentity.audience}`;
    }
    case 'env':
    case 'file': {
      const token = source.kind === 'env' ? env[source.name]?.trim() ?? '' : readTokenQuietly(source.path) ?? '';
      return token === '' ? `web-identity:${formatTokenSource(source)}:none` : `web-identity:token:${tokenDigest('web-identity-token', token)}`;
    }
  }
}

/**
 * A stable, non-secret name for the identity that will ask STS for `request`'s role: part of
 * the cache key, and what error messages call the caller before an ARN is known.
 * For `assume` it names the base that assumeBaseSource picks (the AWS CLI's order). Access key
 * ids are not secret; secret keys and tokens never appear
 * (web identity tokens and GitHub's request token are represented by a salted sha256).
 *
 * Loads nothing heavy: it runs on the cache-hit path.
 */
export function describeBaseIdentity(request: CredentialRequest, env: Environment): string {
  switch (request.auth) {
    case 'web-identity':
      return describeWebIdentity(request, env);
    case 'sso':
      return ssoBaseIdentity(request.sso.startUrl);
    case 'delegate':
      return 'delegate';
    case 'assume':
      return describeAssumeBase(assumeBaseSource(request.sourceProfile, env), env);
  }
}

function describeAssumeBase(source: AssumeBaseSource, env: Environment): string {
  switch (source.kind) {
    case 'profile':
      return `profile:${source.profile}`;
    case 'environment':
      return `env:${source.accessKeyId}`;
    case 'web-identity': {
      // The pod's role, and which token: a rotated or another pod's token is another fetch.
      const token = readTokenQuietly(source.tokenFile) ?? '';
      return `web-identity-base:${source.roleArn}:${token === '' ? 'none' : tokenDigest('web-identity-token', token)}`;
    }
    case 'container': {
      // Every EKS Pod Identity pod asks the same address; its authorization token says which pod it is.
      const fromFile = env['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];
      const token = (fromFile !== undefined && fromFile !== '' ? readTokenQuietly(fromFile) : env['AWS_CONTAINER_AUTHORIZATION_TOKEN']) ?? '';
      return `container:${source.uri}${token === '' ? '' : `:${tokenDigest('container-authorization-token', token)}`}`;
    }
    case 'chain': {
      // A dependency fetch whose env keys were rolemap's: the identity they were obtained with.
      const inherited = env[ISSUED_BASE_IDENTITY_ENV];
      return inherited !== undefined && inherited !== '' ? inherited : 'profile:default';
    }
  }
}

/** The base identity of credentials obtained through an SSO session: its portal, normalised. */
export function ssoBaseIdentity(startUrl: string): string {
  return `sso:${normaliseStartUrl(startUrl)}`;
}
