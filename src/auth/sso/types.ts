/** Shapes shared by the SSO (IAM Identity Center) modules. */

/**
 * An SSO token file as the AWS CLI keeps it in `~/.aws/sso/cache/<sha1>.json`, with times parsed
 * to epoch milliseconds. Only `accessToken` and `expiresAt` are always there; a token from a
 * legacy `aws sso login` (no sso-session) has no registration and no refresh token.
 */
export interface SsoToken {
  startUrl: string | undefined;
  /** The sso-oidc region the token was obtained in (and is refreshed in). */
  region: string | undefined;
  accessToken: string;
  expiresAtMs: number;
  clientId: string | undefined;
  clientSecret: string | undefined;
  registrationExpiresAtMs: number | undefined;
  refreshToken: string | undefined;
}

/** Where a start URL's token lives: the file found (if any) and every file that may hold it. */
export interface SsoTokenLocation {
  /** The file `token` came from; when there is no token, the first candidate. */
  path: string;
  token: SsoToken | undefined;
  /**
   * Every file that may hold a token for this start URL, in lookup order: one per name the AWS
   * config uses for the portal. A login writes all of them; a logout removes all of them.
   */
  candidates: readonly string[];
}
