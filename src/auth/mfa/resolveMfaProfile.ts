import { awsProfileSection } from '../awsProfileSection';
import type { AwsConfigSections } from '../sso/readAwsConfig';

/** A base profile that needs an MFA code, and how `rolemap login --mfa` gets a session for it. */
export interface MfaProfile {
  /** The base profile rolemap's chain uses (the name `rolemap login --mfa --profile` takes). */
  profile: string;
  /** The MFA device: `mfa_serial` of the profile, else of its source_profile. */
  mfaSerial: string;
  /** The profile whose long-term keys sign sts:GetSessionToken. */
  keysProfile: string;
  /** For a role profile (role_arn + source_profile): the role assumed with the MFA session. */
  role: MfaProfileRole | undefined;
}

export interface MfaProfileRole {
  roleArn: string;
  externalId: string | undefined;
  /** role_session_name, when the profile sets one. */
  sessionName: string | undefined;
  /** duration_seconds, when the profile sets a whole number. */
  durationSeconds: number | undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * Whether the base profile `name` needs an MFA code, read from the AWS config file:
 * - a profile with its own keys and `mfa_serial` (an IAM user whose roles require MFA): the
 *   session stands for the profile itself;
 * - a role profile (`role_arn` with `source_profile`) with `mfa_serial` on it or on its source
 *   profile, whose keys are the source's own: the session signs the profile's AssumeRole.
 * Anything else is undefined and left to the AWS SDK's chain as before: no mfa_serial, a
 * `credential_source`, or a source profile that is itself a role (a longer chain).
 */
export function resolveMfaProfile(sections: AwsConfigSections, name: string): MfaProfile | undefined {
  const base = awsProfileSection(sections, name);
  if (base === undefined) return undefined;
  const roleArn = base['role_arn'];
  if (!present(roleArn)) {
    const serial = base['mfa_serial'];
    return present(serial) ? { profile: name, mfaSerial: serial, keysProfile: name, role: undefined } : undefined;
  }
  const sourceName = base['source_profile'];
  if (!present(sourceName)) return undefined;
  // A profile may name itself as its source: its own keys then assume its role_arn.
  const source = sourceName === name ? {} : awsProfileSection(sections, sourceName) ?? {};
  if (present(source['role_arn']) || present(source['source_profile'])) return undefined;
  const serial = present(base['mfa_serial']) ? base['mfa_serial'] : source['mfa_serial'];
  if (!present(serial)) return undefined;
  const duration = base['duration_seconds'];
  return {
    profile: name,
    mfaSerial: serial,
    keysProfile: sourceName,
    role: {
      roleArn,
      externalId: present(base['external_id']) ? base['external_id'] : undefined,
      sessionName: present(base['role_session_name']) ? base['role_session_name'] : undefined,
      durationSeconds: duration !== undefined && /^\d+$/.test(duration) ? Number(duration) : undefined,
    },
  };
}
