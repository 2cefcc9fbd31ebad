import type { CommandContext } from '../CommandContext';
import { requireCredentials } from '../requireCredentials';
import { runChild } from '../runChild';
import { unitVariablesFor } from '../unitVariables';
import { unitCredentialsFor, type CredentialsOptions } from './credentials';

export interface ExecOptions extends CredentialsOptions {
  command: readonly [string, ...string[]];
}

/**
 * `rolemap exec [DIR] -- CMD...`: runs CMD with the unit's credentials and envs in place of any
 * it inherited, and returns its exit code. Prints nothing of its own on stdout, and no secret
 * anywhere.
 */
export async function runExec(options: ExecOptions, context: CommandContext): Promise<number> {
  const { deps } = context;
  const variables = unitVariablesFor(requireCredentials(await unitCredentialsFor(options, context), 'rolemap exec'));
  const env: Record<string, string | undefined> = { ...deps.env };
  for (const name of variables.unset) delete env[name];
  for (const [name, value] of variables.set) env[name] = value;
  // The log is flushed before the command takes over the terminal.
  await deps.logger.flush();
  return runChild({ command: options.command, env, notify: deps.notify });
}
