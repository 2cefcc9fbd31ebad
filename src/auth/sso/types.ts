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

/** Where a start URL's token lives: the file found (if any) and the file a new login writes. */
export interface SsoTokenLocation {
  /** The file `token` came from; when there is no token, `writePath`. */
  path: string;
  token: SsoToken | undefined;
  /** Where a new login writes: under the sso-session name when there is one, else the start URL. */
  writePath: string;
  /** Every file that may hold a token for this start URL, in lookup order. */
  candidates: readonly string[];
}
