import type { AssumedRoleUser, Credentials } from '@aws-sdk/client-sts';
import { CredentialsError } from '../errors';
import type { AwsCredentials } from '../AwsCredentials';

export interface StsAnswerContext {
  roleArn: string;
  baseIdentity: string;
}

/**
 * Turns an AssumeRole / AssumeRoleWithWebIdentity response into AwsCredentials. A response
 * missing any part is `malformed-response`. (Whether the session is in the mapping's account is
 * checked once for every auth kind, by checkAccount.)
 */
export function toAwsCredentials(
  response: { Credentials?: Credentials | undefined; AssumedRoleUser?: AssumedRoleUser | undefined },
  context: StsAnswerContext,
): AwsCredentials {
  const { Credentials: credentials, AssumedRoleUser: user } = response;
  const expiration = credentials?.Expiration;
  const principalArn = user?.Arn;
  const common = { roleArn: context.roleArn, baseIdentity: context.baseIdentity };
  if (
    credentials?.AccessKeyId === undefined ||
    credentials.SecretAccessKey === undefined ||
    credentials.SessionToken === undefined ||
    !(expiration instanceof Date) ||
    Number.isNaN(expiration.getTime()) ||
    principalArn === undefined
  ) {
    throw new CredentialsError(`STS answered for ${context.roleArn} without complete credentials`, {
      ...common,
      kind: 'malformed-response',
      hint: 'Check AWS_ENDPOINT_URL_STS and any proxy between rolemap and STS.',
    });
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: expiration.toISOString(),
    principalArn,
  };
}
