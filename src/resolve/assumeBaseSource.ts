import type { Environment } from './types';

/** Where `assume` takes its base credentials from, and what named it. */
export type AssumeBaseSource =
  /** A named profile: rolemap's source_profile (explicit, like `aws --profile`), or AWS_DEFAULT_PROFILE / AWS_PROFILE. */
  | { kind: 'profile'; profile: string; from: 'source_profile' | 'AWS_DEFAULT_PROFILE' | 'AWS_PROFILE' }
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  | { kind: 'environment'; accessKeyId: string }
  /** AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, as EKS (IRSA) sets them: the pod's role. */
  | { kind: 'web-identity'; roleArn: string; tokenFile: string }
  /** AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI: ECS task role or EKS Pod Identity. */
  | { kind: 'container'; uri: string }
  /** Nothing in the environment: the default profile, then instance metadata. */
  | { kind: 'chain' };

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The profile the environment names, as botocore reads it: AWS_DEFAULT_PROFILE, else AWS_PROFILE. */
function namedSessionProfile(env: Environment): { profile: string; from: 'AWS_DEFAULT_PROFILE' | 'AWS_PROFILE' } | undefined {
  for (const from of ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE'] as const) {
    const profile = env[from];
    if (present(profile)) return { profile, from };
  }
  return undefined;
}

/**
 * The profile whose settings apply when no profile is named for the call, as for `aws` without
 * `--profile`: AWS_DEFAULT_PROFILE, else AWS_PROFILE, else `default`.
 */
export function sessionProfile(env: Environment): string {
  return namedSessionProfile(env)?.profile ?? 'default';
}

/** ECS puts a path relative to this host in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI. */
const ECS_CREDENTIALS_HOST = 'http://169.254.170.2';

/**
 * Which base credentials `assume` uses, in the AWS CLI's (botocore's) order, so that
 * `aws sts get-caller-identity` and rolemap name the same identity:
 * 1. an explicit profile (rolemap's source_profile, as `aws --profile`), which beats everything;
 * 2. environment keys, which beat AWS_PROFILE (unlike the AWS SDK for JavaScript);
 * 3. AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (EKS IRSA), which botocore tries before the
 *    profile's own keys;
 * 4. AWS_DEFAULT_PROFILE, else AWS_PROFILE;
 * 5. container credentials (ECS, EKS Pod Identity), after the default profile's files;
 * 6. the rest of the chain (default profile, instance metadata).
 * Decided once, from the environment alone (it runs on the cache-hit path), so the cache key names
 * the identity that is actually used. Botocore's one exception, a profile with its own role_arn
 * beating IRSA, is not followed: it would mean reading ~/.aws/config on every call.
 */
export function assumeBaseSource(sourceProfile: string | undefined, env: Environment): AssumeBaseSource {
  if (present(sourceProfile)) return { kind: 'profile', profile: sourceProfile, from: 'source_profile' };
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  if (present(accessKeyId) && present(env['AWS_SECRET_ACCESS_KEY'])) return { kind: 'environment', accessKeyId };
  const roleArn = env['AWS_ROLE_ARN'];
  const tokenFile = env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  if (present(roleArn) && present(tokenFile)) return { kind: 'web-identity', roleArn, tokenFile };
  const named = namedSessionProfile(env);
  if (named !== undefined) return { kind: 'profile', ...named };
  const fullUri = env['AWS_CONTAINER_CREDENTIALS_FULL_URI'];
  const relativeUri = env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];
  if (present(relativeUri)) return { kind: 'container', uri: `${ECS_CREDENTIALS_HOST}${relativeUri}` };
  if (present(fullUri)) return { kind: 'container', uri: fullUri };
  return { kind: 'chain' };
}
