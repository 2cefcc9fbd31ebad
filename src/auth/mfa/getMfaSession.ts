import type { MfaSessionCredentials } from '../../cache/writeMfaSession';
import { CredentialsError } from '../../errors';
import type { Logger } from '../../log/logger';
import { classifySdkError, isTransportFailure, transportRefusal } from '../classifySdkError';
import { createStsClient } from '../createStsClient';
import { loadCredentialProviders, loadSts } from '../loadSdk';
import { toSdkLogger } from '../toSdkLogger';
import type { MfaProfile } from './resolveMfaProfile';

export interface GetMfaSessionInit {
  mfa: MfaProfile;
  /** The device's current code, 6 digits. Never logged. */
  code: string;
  region: string;
  logger: Logger;
}

/** Codes an STS answer has when the keys that signed it are not good. */
const BAD_KEYS = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidAccessKeyId']);

/**
 * sts:GetSessionToken with the profile's MFA device and code, signed with the long-term keys of
 * `mfa.keysProfile` (read by the AWS SDK's ini provider). One attempt: a code works once, so a
 * retry after a lost answer would only be refused.
 */
export async function getMfaSession(init: GetMfaSessionInit): Promise<MfaSessionCredentials> {
  const { mfa, logger } = init;
  const [sts, providers] = await Promise.all([loadSts(), loadCredentialProviders()]);
  const client = createStsClient({
    sts,
    region: init.region,
    logger,
    profile: mfa.profile,
    credentials: providers.fromIni({ profile: mfa.keysProfile, logger: toSdkLogger(logger) }),
  });
  try {
    logger.debug('sts:GetSessionToken', { profile: mfa.profile, keysProfile: mfa.keysProfile, mfaSerial: mfa.mfaSerial });
    const response = await client.send(new sts.GetSessionTokenCommand({ SerialNumber: mfa.mfaSerial, TokenCode: init.code }));
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = response.Credentials ?? {};
    if (AccessKeyId === undefined || SecretAccessKey === undefined || SessionToken === undefined || !(Expiration instanceof Date)) {
      throw new CredentialsError('STS answered GetSessionToken without complete credentials', {
        kind: 'malformed-response',
        baseIdentity: `profile:${mfa.keysProfile}`,
        hint: 'Check AWS_ENDPOINT_URL_STS and any proxy between rolemap and STS.',
      });
    }
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration.toISOString() };
  } catch (error) {
    throw error instanceof CredentialsError ? error : toMfaSessionError(error, mfa);
  } finally {
    client.destroy();
  }
}

function toMfaSessionError(error: unknown, mfa: MfaProfile): CredentialsError {
  const baseIdentity = `profile:${mfa.keysProfile}`;
  const said = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  const failure = classifySdkError(error);
  if (failure.type === 'service' && failure.code === 'AccessDenied') {
    return new CredentialsError(`STS refused the MFA code for ${mfa.mfaSerial} (profile ${mfa.profile}): ${said}`, {
      kind: 'access-denied',
      baseIdentity,
      hint: `Enter the current code of that device (each code works once) and check that mfa_serial names your device, the one of profile ${mfa.keysProfile}'s IAM user.`,
      cause: error,
    });
  }
  if (failure.type === 'service' && BAD_KEYS.has(failure.code)) {
    return new CredentialsError(`STS refused the keys of profile ${mfa.keysProfile} (${failure.code}): ${said}`, {
      kind: 'no-base-credentials',
      baseIdentity,
      hint: `Check aws_access_key_id and aws_secret_access_key of profile ${mfa.keysProfile}: GetSessionToken needs an IAM user's long-term keys.`,
      cause: error,
    });
  }
  if (failure.type === 'other') {
    return new CredentialsError(`No keys to ask for an MFA session with (profile ${mfa.keysProfile}): ${said}`, {
      kind: 'no-base-credentials',
      baseIdentity,
      hint: `Give profile ${mfa.keysProfile} an IAM user's aws_access_key_id and aws_secret_access_key (in ~/.aws/credentials).`,
      cause: error,
    });
  }
  if (isTransportFailure(failure)) {
    const refusal = transportRefusal(failure);
    return new CredentialsError(`sts:GetSessionToken failed for profile ${mfa.profile}: ${refusal.words}`, {
      kind: 'network',
      baseIdentity,
      retryable: refusal.retryable,
      hint: refusal.hint,
      cause: error,
    });
  }
  const kind = failure.type === 'network' || failure.type === 'timeout' ? failure.type : failure.type === 'service' && failure.fault === 'client' ? 'validation' : 'server';
  const retryable = kind !== 'validation';
  return new CredentialsError(`sts:GetSessionToken failed for profile ${mfa.profile}: ${said}`, {
    kind,
    baseIdentity,
    retryable,
    ...(retryable ? { hint: 'Run the command again in a moment, with a new code.' } : {}),
    cause: error,
  });
}
