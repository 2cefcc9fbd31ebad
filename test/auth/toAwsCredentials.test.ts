import { toAwsCredentials } from '../../src/auth/toAwsCredentials';
import { CredentialsError } from '../../src/errors';

const ROLE = 'arn:aws:iam::333333333333:role/terragrunt-apply';
const CONTEXT = { roleArn: ROLE, baseIdentity: 'env:AKIAEXAMPLE' };
const EXPIRATION = new Date('2030-01-02T03:04:05.000Z');

function answer(overrides: { Arn?: string; Expiration?: Date; SessionToken?: string | undefined } = {}) {
  const sessionToken = 'SessionToken' in overrides ? overrides.SessionToken : 'token';
  return {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret',
      ...(sessionToken === undefined ? {} : { SessionToken: sessionToken }),
      Expiration: overrides.Expiration ?? EXPIRATION,
    },
    AssumedRoleUser: { Arn: overrides.Arn ?? 'arn:aws:sts::333333333333:assumed-role/terragrunt-apply/alice', AssumedRoleId: 'AROA:alice' },
  } as Parameters<typeof toAwsCredentials>[0];
}

describe('toAwsCredentials', () => {
  it('returns the credentials with their expiry as ISO 8601 and the session ARN as principal', () => {
    expect(toAwsCredentials(answer(), CONTEXT)).toStrictEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: '2030-01-02T03:04:05.000Z',
      principalArn: 'arn:aws:sts::333333333333:assumed-role/terragrunt-apply/alice',
    });
  });

  it.each([
    ['no session token', answer({ SessionToken: undefined }), 'malformed-response'],
    ['an invalid expiry', answer({ Expiration: new Date('nope') }), 'malformed-response'],
    ['no credentials at all', {}, 'malformed-response'],
  ])('refuses %s', (_, response, kind) => {
    let thrown: unknown;
    try {
      toAwsCredentials(response, CONTEXT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CredentialsError);
    expect([(thrown as CredentialsError).kind, (thrown as CredentialsError).roleArn]).toStrictEqual([kind, ROLE]);
    expect((thrown as CredentialsError).message).not.toContain('secret');
  });
});
