import { assumeBaseSource } from '../../resolve/assumeBaseSource';
import { formatBaseSource } from '../../auth/formatBaseSource';
import { getMfaSession } from '../../auth/mfa/getMfaSession';
import { mfaLoginCommand } from '../../auth/mfa/mfaLoginCommand';
import { resolveMfaProfile } from '../../auth/mfa/resolveMfaProfile';
import { readAwsConfig } from '../../auth/sso/readAwsConfig';
import { resolveHomeDir } from '../../auth/sso/resolveHomeDir';
import { stsRegionFor } from '../../auth/stsRegionFor';
import { writeMfaSession } from '../../cache/writeMfaSession';
import type { Partition } from '../../config/types';
import { UsageError } from '../../errors';
import { loadUserConfig } from '../../locate/resolveUnit';
import type { CommandContext } from '../CommandContext';
import { promptLine } from '../promptLine';

/** What an MFA device shows: six digits. */
const MFA_CODE = /^\d{6}$/;
const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/**
 * `rolemap login --mfa`: asks STS for an MFA session (sts:GetSessionToken) for the base profile
 * (`--profile`, else the one rolemap's base chain uses), with the code from `--code` or asked on
 * the terminal, and caches it as that profile's base until it expires.
 */
export async function runLoginMfa(options: { profile: string | undefined; code: string | undefined }, context: CommandContext): Promise<void> {
  const { deps } = context;
  const profile = options.profile ?? (await baseProfile(context));
  const mfa = resolveMfaProfile(readAwsConfig(deps.env, resolveHomeDir(deps.env)), profile);
  if (mfa === undefined) {
    throw new UsageError(`Profile ${profile} has no mfa_serial in your AWS config (on the profile, or on its source_profile when it is a role profile).`, {
      hint: `Add mfa_serial = arn:aws:iam::ACCOUNT:mfa/DEVICE to [profile ${profile}] in ~/.aws/config, or name another profile with --profile.`,
    });
  }
  const store = context.cache?.store;
  if (store === undefined) {
    throw new UsageError(`rolemap keeps MFA sessions in its credential cache, which is off: ${context.cacheDisabledWhy ?? 'unknown reason'}.`, {
      hint: 'Unset ROLEMAP_NO_CACHE, or fix the cache directory as the warning says.',
    });
  }
  const code = options.code ?? (await promptLine(`MFA code for ${mfa.mfaSerial} (profile ${profile}): `));
  if (code === undefined) {
    throw new UsageError('No --code was given, and stdin is not a terminal to ask for the MFA code on.', {
      hint: `Run \`${mfaLoginCommand(profile)}\` in a terminal, or pass the code: \`${mfaLoginCommand(profile)} --code 123456\`.`,
    });
  }
  if (!MFA_CODE.test(code)) {
    throw new UsageError('The MFA code must be the 6 digits your device shows.', { hint: `Run \`${mfaLoginCommand(profile)}\` again.` });
  }
  const partition = PARTITIONS.find((p) => mfa.mfaSerial.startsWith(`arn:${p}:`)) ?? 'aws';
  const session = await getMfaSession({ mfa, code, region: stsRegionFor({ settings: { region: undefined }, partition }, deps.env), logger: deps.logger });
  writeMfaSession(store, mfa, session, deps.now());
  deps.notify(
    `MFA session for profile ${profile} (${mfa.mfaSerial}) is valid until ${session.expiration}; ` +
      `rolemap uses it as that profile's base until then. Run \`${mfaLoginCommand(profile)}\` again after that.`,
  );
}

/** The profile rolemap's base chain uses: source_profile in the user config, AWS_DEFAULT_PROFILE, AWS_PROFILE, else "default". */
async function baseProfile(context: CommandContext): Promise<string> {
  const { deps } = context;
  const userConfig = await loadUserConfig({ fromEnv: deps.rolemapEnv, env: deps.env, homedir: deps.homedir, compiledStore: context.cache?.compiledStore, logger: deps.logger });
  const source = assumeBaseSource(userConfig?.sourceProfile, deps.env);
  if (source.kind === 'profile') return source.profile;
  if (source.kind === 'chain') return 'default';
  throw new UsageError(`rolemap's base credentials here are ${formatBaseSource(source)}, not a profile with mfa_serial.`, {
    hint: 'Name the profile: `rolemap login --mfa --profile P`.',
  });
}
