import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Issuer of GitHub Actions tokens; the emulator trusts it by default. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/**
 * Issuer of an EKS cluster's service account tokens (IRSA: AWS_WEB_IDENTITY_TOKEN_FILE in a pod);
 * the emulator trusts it by default. Its tokens' `sub` is system:serviceaccount:NAMESPACE:NAME.
 */
export const EKS_ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EMULATEDCLUSTER0000000000000000';
/** Issuer of GitLab CI `id_tokens`; the emulator trusts it by default. */
export const GITLAB_ISSUER = 'https://gitlab.com';

export interface IssueTokenInit {
  sub: string;
  /** `aud` claim; default "sts.amazonaws.com". */
  aud?: string | string[];
  /** Seconds from the emulated now until `exp`; negative gives an already expired token. Default 3600. */
  expiresIn?: number;
  /** `iss` claim; default GitHub's issuer. */
  iss?: string;
  /** Further claims (repository, ref, ...). */
  claims?: Record<string, unknown>;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  [claim: string]: unknown;
}

export type TokenVerdict =
  | { status: 'valid'; claims: TokenClaims }
  | { status: 'malformed' }
  | { status: 'bad-signature' };

/**
 * Signs and verifies the emulator's OIDC ID tokens (JWT, HS256 with a key made at start).
 * Only tokens this issuer signed verify, so a token edited by hand is refused like a forged one.
 */
export class OidcIssuer {
  private readonly key = randomBytes(32);
  private readonly kid = randomUUID();

  constructor(private readonly now: () => number) {}

  /** Signs a token with the given claims; times are relative to the emulated clock. */
  issue(init: IssueTokenInit): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      jti: randomUUID(),
      ...init.claims,
      iss: init.iss ?? GITHUB_ISSUER,
      sub: init.sub,
      aud: init.aud ?? 'sts.amazonaws.com',
      iat,
      nbf: iat,
      exp: iat + (init.expiresIn ?? 3600),
    };
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`;
  }

  /** Checks the token's form and signature. Expiry, issuer and audience are the caller's to judge. */
  verify(token: string): TokenVerdict {
    const parts = token.split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
      return { status: 'malformed' };
    }
    const headerJson = parseJson(header);
    const claims = parseJson(payload);
    if (!isRecord(headerJson) || !isClaims(claims)) return { status: 'malformed' };
    if (headerJson['alg'] !== 'HS256') return { status: 'bad-signature' };
    const expected = Buffer.from(this.signature(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 'bad-signature' };
    return { status: 'valid', claims };
  }

  private signature(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isClaims(value: unknown): value is TokenClaims {
  if (!isRecord(value)) return false;
  const aud = value['aud'];
  return (
    typeof value['iss'] === 'string' &&
    typeof value['sub'] === 'string' &&
    typeof value['exp'] === 'number' &&
    typeof value['iat'] === 'number' &&
    (typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string')))
  );
}
