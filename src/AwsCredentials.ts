/** Temporary AWS credentials: what auth/ obtains, cache/ stores and cli/ prints. */

/** Temporary AWS credentials, as rolemap caches and prints them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 expiry. */
  expiration: string;
  /** The ARN the credentials act as (AssumedRoleUser.Arn, or the SSO role), never a secret. */
  principalArn: string;
}

/** A factory's product: obtains one credential, or throws a CredentialsError. */
export type CredentialProvider = () => Promise<AwsCredentials>;
