import { CREDENTIAL_PROCESS_MIN_TTL_SECONDS } from '../../constants';
import type { CommandContext } from '../CommandContext';
import { requireCredentials } from '../requireCredentials';
import { unitCredentialsFor, type CredentialsOptions } from './credentials';

/**
 * `rolemap credential-process`: the JSON the AWS CLI and SDKs read from a profile's
 * `credential_process`. They run it again when Expiration nears, which is how plain Terraform
 * or OpenTofu get fresh credentials during a long apply.
 */
export async function runCredentialProcess(options: CredentialsOptions, context: CommandContext): Promise<void> {
  const unit = requireCredentials(
    await unitCredentialsFor(options, context, { minTtlFloorSeconds: CREDENTIAL_PROCESS_MIN_TTL_SECONDS }),
    'rolemap credential-process',
  );
  context.deps.output.json({
    Version: 1,
    AccessKeyId: unit.credentials.accessKeyId,
    SecretAccessKey: unit.credentials.secretAccessKey,
    SessionToken: unit.credentials.sessionToken,
    Expiration: unit.credentials.expiration,
  });
}
