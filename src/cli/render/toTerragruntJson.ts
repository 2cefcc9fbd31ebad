import { ISSUED_BASE_IDENTITY_ENV, ISSUED_MARKER_ENV } from '../../constants';
import type { AwsCredentials } from '../../AwsCredentials';
import type { CredentialRequest } from '../../resolve/types';

/**
 * What Terragrunt reads on stdout (docs/architecture.md, "The contract with Terragrunt"). Exactly
 * one of the two credential forms.
 */
export type TerragruntJson =
  | {
      awsCredentials: { ACCESS_KEY_ID: string; SECRET_ACCESS_KEY: string; SESSION_TOKEN: string };
      envs: Record<string, string>;
    }
  | {
      awsRole: { roleARN: string; roleSessionName: string; duration: number; webIdentityToken?: string };
      envs: Record<string, string>;
    };

/** The region variables first, so that a mapping's own `envs` can still set them on purpose. */
function baseEnvs(request: CredentialRequest): Record<string, string> {
  const envs: Record<string, string> = {};
  if (request.settings.region !== undefined) {
    envs['AWS_REGION'] = request.settings.region;
    envs['AWS_DEFAULT_REGION'] = request.settings.region;
  }
  return { ...envs, ...request.settings.envs };
}

/**
 * Credentials rolemap obtained. The marker lets a later call (a dependency fetch inherits these
 * variables) recognise them as rolemap's own and never use them as a base identity.
 */
export function credentialsJson(
  request: CredentialRequest,
  credentials: AwsCredentials,
  baseIdentity: string,
): Extract<TerragruntJson, { awsCredentials: unknown }> {
  return {
    awsCredentials: {
      ACCESS_KEY_ID: credentials.accessKeyId,
      SECRET_ACCESS_KEY: credentials.secretAccessKey,
      SESSION_TOKEN: credentials.sessionToken,
    },
    envs: {
      ...baseEnvs(request),
      AWS_CREDENTIAL_EXPIRATION: credentials.expiration,
      [ISSUED_MARKER_ENV]: credentials.accessKeyId,
      [ISSUED_BASE_IDENTITY_ENV]: baseIdentity,
    },
  };
}

/** `auth: delegate`: hand the role to Terragrunt, which assumes it itself. */
export function delegateJson(request: CredentialRequest, webIdentityToken: string | undefined): TerragruntJson {
  return {
    awsRole: {
      roleARN: request.roleArn,
      roleSessionName: request.sessionName,
      duration: Math.trunc(request.settings.durationSeconds),
      ...(webIdentityToken === undefined ? {} : { webIdentityToken }),
    },
    envs: baseEnvs(request),
  };
}
