/**
 * The `sub` claim of a JWT, read without verifying it, to name the caller in error messages
 * ("repo:acme/infra:ref:refs/heads/main"). The subject is not a secret; the token is.
 * Returns undefined when the token is not a readable JWT.
 */
export function tokenSubject(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const sub = typeof claims === 'object' && claims !== null ? (claims as { sub?: unknown }).sub : undefined;
    return typeof sub === 'string' && sub !== '' ? sub : undefined;
  } catch {
    return undefined;
  }
}
