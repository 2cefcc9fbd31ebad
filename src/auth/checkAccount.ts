import { CredentialsError } from '../errors';
import type { CredentialRequest } from '../resolve/types';
import type { AwsCredentials } from '../AwsCredentials';

const PRINCIPAL_ACCOUNT = /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/;

/**
 * The guard after every assumption: the credentials must act in the mapping's account. Anything
 * else (a misrouted endpoint, a role ARN typo that a trust policy happened to allow) would put
 * credentials for the wrong account into a unit, so it is an error and nothing is printed.
 */
export function checkAccount(request: CredentialRequest, credentials: AwsCredentials, baseIdentity: string): AwsCredentials {
  const account = PRINCIPAL_ACCOUNT.exec(credentials.principalArn)?.[1];
  if (account === request.accountId) return credentials;
  throw new CredentialsError(
    `Refusing credentials for ${request.roleArn}: AWS answered as ${credentials.principalArn}, which is ${account === undefined ? 'not an account ARN' : `in account ${account}`}, not in the mapped account ${request.accountId}.`,
    {
      kind: 'account-mismatch',
      roleArn: request.roleArn,
      baseIdentity,
      hint: 'Check the role ARN and account in rolemap.yaml and any AWS_ENDPOINT_URL_* settings; no credentials were printed.',
    },
  );
}
