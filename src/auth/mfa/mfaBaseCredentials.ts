import type { FileStore } from '../../cache/createFileStore';
import { readMfaSession } from '../../cache/readMfaSession';
import { CredentialsError } from '../../errors';
import type { Logger } from '../../log/logger';
import { createStsClient } from '../createStsClient';
import { toAwsCredentials } from '../toAwsCredentials';
import { toCredentialsError } from '../toCredentialsError';
import { withRetries } from '../withRetries';
import { mfaLoginCommand } from './mfaLoginCommand';
import type { MfaProfile } from './resolveMfaProfile';

export interface MfaBaseCredentialsInit {
  mfa: MfaProfile;
  /** Undefined when the cache is off: the session lives there, so there is none. */
  store: FileStore | undefined;
  /** Epoch milliseconds. */
  now: number;
  sts: typeof import('../sdk/clientSts');
  region: string;
  logger: Logger;
  /** The profile's descriptor in the cache key and in errors, e.g. `profile:dev`. */
  baseIdentity: string;
  /** RoleSessionName of a role profile's session when the profile sets none. */
  defaultSessionName: string;
}

/** The credentials an AWS SDK client signs with. */
export interface BaseCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * The base credentials of a profile that needs MFA, during a call that must never prompt: the
 * MFA session `rolemap login --mfa` cached for this profile and device, or (for a role profile)
 * the profile's role assumed with it. Without a fresh session it throws `mfa-login-required`,
 * whose message is the exact command to run.
 */
export async function mfaBaseCredentials(init: MfaBaseCredentialsInit): Promise<BaseCredentials> {
  const { mfa, logger } = init;
  const state = init.store === undefined ? undefined : readMfaSession(init.store, mfa, init.now);
  if (state?.status !== 'fresh') {
    const why =
      state === undefined
        ? 'and the credential cache, where rolemap keeps MFA sessions, is off for this call'
        : state.status === 'expired'
          ? `and its MFA session expired at ${state.expiration}`
          : 'and rolemap has no MFA session for it';
    throw new CredentialsError(
      `Profile ${mfa.profile} needs an MFA code (mfa_serial ${mfa.mfaSerial}), which rolemap never asks for during a Terragrunt call, ${why}. Run \`${mfaLoginCommand(mfa.profile)}\` in a terminal.`,
      {
        kind: 'mfa-login-required',
        baseIdentity: init.baseIdentity,
        hint: `\`${mfaLoginCommand(mfa.profile)}\` asks for the code once; every call then uses that session as its base until it expires.`,
      },
    );
  }
  const { session } = state;
  logger.debug('using the MFA session as the base', { profile: mfa.profile, expires: session.expiration });
  const sessionCredentials: BaseCredentials = { ...session, expiration: new Date(session.expiration) };
  const role = mfa.role;
  if (role === undefined) return sessionCredentials;

  const client = createStsClient({ sts: init.sts, region: init.region, logger, profile: mfa.profile, credentials: sessionCredentials });
  const input = {
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName ?? init.defaultSessionName,
    ...(role.durationSeconds === undefined ? {} : { DurationSeconds: role.durationSeconds }),
    ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
  };
  const context = { action: 'AssumeRole' as const, roleArn: role.roleArn, baseIdentity: `${init.baseIdentity} (MFA session)` };
  try {
    const response = await withRetries(async ({ signal }) => {
      logger.debug('sts:AssumeRole for the base profile with its MFA session', { profile: mfa.profile, roleArn: role.roleArn });
      try {
        return await client.send(new init.sts.AssumeRoleCommand(input), { abortSignal: signal });
      } catch (error) {
        throw toCredentialsError(error, context);
      }
    });
    const assumed = toAwsCredentials(response, context);
    return { ...assumed, expiration: new Date(assumed.expiration) };
  } finally {
    client.destroy();
  }
}
