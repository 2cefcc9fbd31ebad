import type { AssumeBaseSource } from '../../resolve/assumeBaseSource';
import { mfaLoginCommand } from '../../auth/mfa/mfaLoginCommand';
import { resolveMfaProfile } from '../../auth/mfa/resolveMfaProfile';
import { readAwsConfig } from '../../auth/sso/readAwsConfig';
import { resolveHomeDir } from '../../auth/sso/resolveHomeDir';
import type { FileStore } from '../../cache/createFileStore';
import { readMfaSession } from '../../cache/readMfaSession';
import type { Environment } from '../../resolve/types';
import type { ReportMfaSession } from '../render/explainReport';

/**
 * The MFA line of `explain`: the same reading of the AWS config and of the cached session that a
 * credentials call makes (mfaBaseCredentials), so the two agree. Undefined when the base is not a
 * profile that needs MFA.
 */
export async function explainMfaSession(
  source: AssumeBaseSource,
  env: Environment,
  store: FileStore | undefined,
  /** Epoch milliseconds. */
  now: number,
): Promise<ReportMfaSession | undefined> {
  if (source.kind !== 'profile' && source.kind !== 'chain') return undefined;
  const mfa = resolveMfaProfile(readAwsConfig(env, resolveHomeDir(env)), source.kind === 'profile' ? source.profile : 'default');
  if (mfa === undefined) return undefined;
  const state = store === undefined ? { status: 'missing' as const } : readMfaSession(store, mfa, now);
  return {
    profile: mfa.profile,
    mfaSerial: mfa.mfaSerial,
    session: state.status === 'fresh' ? 'in-use' : state.status === 'expired' ? 'expired' : 'none',
    expiration: state.status === 'fresh' ? state.session.expiration : state.status === 'expired' ? state.expiration : null,
    login: mfaLoginCommand(mfa.profile),
  };
}
