import { shellQuote } from '../../shellQuote';
import type { CommandContext } from '../CommandContext';
import { terragruntJsonFor, type CredentialsOptions } from './credentials';

/** `rolemap env`: `export` lines for a human shell, from the same JSON Terragrunt would get. */
export async function runEnv(options: CredentialsOptions, context: CommandContext): Promise<void> {
  const json = await terragruntJsonFor(options, context);
  const variables: Array<[string, string]> = [];
  if (json !== undefined && 'awsCredentials' in json) {
    variables.push(
      ['AWS_ACCESS_KEY_ID', json.awsCredentials.ACCESS_KEY_ID],
      ['AWS_SECRET_ACCESS_KEY', json.awsCredentials.SECRET_ACCESS_KEY],
      ['AWS_SESSION_TOKEN', json.awsCredentials.SESSION_TOKEN],
    );
  }
  if (json !== undefined && 'awsRole' in json) {
    context.deps.logger.warn('auth: delegate gives a role for Terragrunt to assume, not credentials; only envs are exported', {
      roleArn: json.awsRole.roleARN,
    });
  }
  variables.push(...Object.entries(json?.envs ?? {}));
  context.deps.output.text(variables.map(([name, value]) => `export ${name}=${shellQuote(value)}`).join('\n'));
}
