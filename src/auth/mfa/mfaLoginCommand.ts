import { shellQuote } from '../../shellQuote';

/** The command that gets an MFA session for `profile`, exactly as a user types it. */
export function mfaLoginCommand(profile: string): string {
  return `rolemap login --mfa --profile ${shellQuote(profile)}`;
}
