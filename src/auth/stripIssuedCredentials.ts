import { ISSUED_BASE_IDENTITY_ENV, ISSUED_MARKER_ENV } from '../constants';

/** The variables Terragrunt sets from `awsCredentials`, plus what rolemap adds beside them. */
const ISSUED_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  ISSUED_MARKER_ENV,
] as const;

/**
 * Removes, in place, credentials that rolemap itself issued to an earlier call. A dependency
 * fetch inherits the dependent unit's variables; using them as the base identity would chain
 * roles silently (and cap sessions at one hour). They are recognised by the marker rolemap
 * emits beside them, holding the same access key id. Returns whether anything was removed.
 * ROLEMAP_BASE_IDENTITY is kept only when the credentials it describes were removed, so that a
 * leftover in a shell cannot speak for credentials the user set up themselves.
 */
export function stripIssuedCredentials(env: Record<string, string | undefined>): boolean {
  const marker = env[ISSUED_MARKER_ENV];
  if (marker === undefined || marker === '' || env['AWS_ACCESS_KEY_ID'] !== marker) {
    // No marker, or the credentials were replaced after rolemap issued them: they are the user's own.
    delete env[ISSUED_MARKER_ENV];
    delete env[ISSUED_BASE_IDENTITY_ENV];
    return false;
  }
  for (const name of ISSUED_VARIABLES) delete env[name];
  return true;
}
