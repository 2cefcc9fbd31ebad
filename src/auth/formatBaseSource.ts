import type { AssumeBaseSource } from '../resolve/assumeBaseSource';

/**
 * Where `assume` takes its base credentials from, as `explain` and `auth: auto` say it, e.g.
 * "environment keys (AWS_ACCESS_KEY_ID, which win over AWS_PROFILE as in the AWS CLI)". Names no
 * key: the identity itself is describeBaseIdentity's to name. `setting` is the user config setting
 * that named an explicit profile (`source_profile`, `base_profiles.aws-cn`).
 */
export function formatBaseSource(source: AssumeBaseSource, setting = 'source_profile'): string {
  switch (source.kind) {
    case 'profile':
      return source.from === 'source_profile'
        ? `profile ${source.profile} (${setting} in your rolemap config, which wins like aws --profile)`
        : `profile ${source.profile} (${source.from})`;
    case 'environment':
      return 'environment keys (AWS_ACCESS_KEY_ID, which win over AWS_PROFILE as in the AWS CLI)';
    case 'web-identity':
      return `web identity of ${source.roleArn} with the token in AWS_WEB_IDENTITY_TOKEN_FILE (EKS IRSA)`;
    case 'container':
      return `container credentials from ${source.uri} (ECS or EKS Pod Identity)`;
    case 'chain':
      return 'the default profile, else instance metadata (nothing in the environment names a base)';
  }
}
