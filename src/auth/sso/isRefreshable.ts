import type { SsoToken } from './types';

/** Whether `token` carries what a refresh_token grant needs, with a registration still valid at `nowMs`. */
export function isRefreshable(
  token: SsoToken,
  nowMs: number,
): token is SsoToken & { refreshToken: string; clientId: string; clientSecret: string } {
  return (
    token.refreshToken !== undefined &&
    token.clientId !== undefined &&
    token.clientSecret !== undefined &&
    (token.registrationExpiresAtMs === undefined || token.registrationExpiresAtMs > nowMs)
  );
}
