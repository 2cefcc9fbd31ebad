import { resolveMfaProfile, type MfaProfile } from '../../src/auth/mfa/resolveMfaProfile';
import type { AwsConfigSections } from '../../src/auth/sso/readAwsConfig';

const SERIAL = 'arn:aws:iam::999999999999:mfa/alice';
const ROLE = 'arn:aws:iam::999999999999:role/hub';

function sections(entries: Record<string, Record<string, string>>): AwsConfigSections {
  return new Map(Object.entries(entries));
}

describe('resolveMfaProfile', () => {
  it.each<[string, Record<string, Record<string, string>>, string, MfaProfile | undefined]>([
    ['a profile with keys and mfa_serial', { 'profile dev': { mfa_serial: SERIAL } }, 'dev', { profile: 'dev', mfaSerial: SERIAL, keysProfile: 'dev', role: undefined }],
    ['[default] with mfa_serial', { default: { mfa_serial: SERIAL } }, 'default', { profile: 'default', mfaSerial: SERIAL, keysProfile: 'default', role: undefined }],
    ['a profile without mfa_serial', { 'profile dev': { region: 'us-east-1' } }, 'dev', undefined],
    ['a profile the config does not have', { 'profile dev': { mfa_serial: SERIAL } }, 'other', undefined],
    ['an empty mfa_serial', { 'profile dev': { mfa_serial: '' } }, 'dev', undefined],
    [
      'a role profile with mfa_serial, and every setting of its role',
      { 'profile hub': { role_arn: ROLE, source_profile: 'keys', mfa_serial: SERIAL, external_id: 'x-1', role_session_name: 'alice', duration_seconds: '1800' } },
      'hub',
      { profile: 'hub', mfaSerial: SERIAL, keysProfile: 'keys', role: { roleArn: ROLE, externalId: 'x-1', sessionName: 'alice', durationSeconds: 1800 } },
    ],
    [
      'a role profile whose source profile has the device',
      { 'profile hub': { role_arn: ROLE, source_profile: 'keys' }, 'profile keys': { mfa_serial: SERIAL } },
      'hub',
      { profile: 'hub', mfaSerial: SERIAL, keysProfile: 'keys', role: { roleArn: ROLE, externalId: undefined, sessionName: undefined, durationSeconds: undefined } },
    ],
    [
      'a role profile that is its own source',
      { 'profile hub': { role_arn: ROLE, source_profile: 'hub', mfa_serial: SERIAL } },
      'hub',
      { profile: 'hub', mfaSerial: SERIAL, keysProfile: 'hub', role: { roleArn: ROLE, externalId: undefined, sessionName: undefined, durationSeconds: undefined } },
    ],
    ['a role profile without any mfa_serial', { 'profile hub': { role_arn: ROLE, source_profile: 'keys' }, 'profile keys': {} }, 'hub', undefined],
    ['a role profile with credential_source (left to the SDK)', { 'profile hub': { role_arn: ROLE, credential_source: 'Ec2InstanceMetadata', mfa_serial: SERIAL } }, 'hub', undefined],
    [
      'a longer chain (left to the SDK)',
      { 'profile top': { role_arn: ROLE, source_profile: 'hub', mfa_serial: SERIAL }, 'profile hub': { role_arn: ROLE, source_profile: 'keys' } },
      'top',
      undefined,
    ],
  ])('%s', (_, entries, name, expected) => {
    expect(resolveMfaProfile(sections(entries), name)).toStrictEqual(expected);
  });
});
