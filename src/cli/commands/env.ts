import { ENV_COMMAND_NAMES_ENV } from '../../constants';
import { ENV_NAME_PATTERN } from '../../config/configPatterns';
import { ConfigError } from '../../errors';
import type { CommandContext } from '../CommandContext';
import type { Shell } from '../parseArgs';
import { SHELL_SYNTAX, type ShellSyntax } from '../render/shellSyntax';
import { delegateJson } from '../render/toTerragruntJson';
import { unitVariablesFor, type UnitVariables } from '../unitVariables';
import { unitCredentialsFor, type CredentialsOptions } from './credentials';

export interface EnvOptions extends CredentialsOptions {
  shell: Shell;
  unset: boolean;
}

/**
 * `rolemap env`: lines that give a human shell the unit's credentials and envs, and remember what
 * they replace; `rolemap env --unset`: lines that put it back. Without that, a shell whose base
 * credentials were environment keys would be stranded: the next rolemap call refuses the keys
 * rolemap issued as a base, and the user's own keys are gone.
 */
export async function runEnv(options: EnvOptions, context: CommandContext): Promise<void> {
  const { deps } = context;
  const syntax = SHELL_SYNTAX[options.shell];
  const previous = (deps.rolemapEnv.envCommandNames ?? '').split(' ').filter((name) => ENV_NAME_PATTERN.test(name));
  if (options.unset) {
    if (previous.length === 0) deps.notify('rolemap: nothing to undo: no `rolemap env` is active in this shell.');
    else deps.output.text([...previous.map((name) => syntax.restore(name)), syntax.unset(ENV_COMMAND_NAMES_ENV), ''].join('\n'));
    return;
  }
  const unit = await unitCredentialsFor(options, context);
  let variables: UnitVariables;
  if (unit.status === 'delegate') {
    // Only the envs: there are no credentials to give, and the user's own stay in place.
    deps.logger.warn('auth: delegate gives a role for Terragrunt to assume, not credentials; only envs are exported', {
      roleArn: unit.request.roleArn,
    });
    variables = { unset: [], set: Object.entries(delegateJson(unit.request, undefined).envs) };
  } else if (unit.status === 'empty') {
    variables = { unset: [], set: [] };
  } else {
    variables = unitVariablesFor(unit);
  }
  const lines = envLines(syntax, previous, variables);
  deps.output.text(lines.join('\n'));
  if (unit.status === 'credentials') {
    const replaced = variables.unset.filter((name) => deps.env[name] !== undefined);
    deps.notify(
      `rolemap: these lines give this shell ${unit.request.roleArn} until ${unit.credentials.expiration}` +
        (replaced.length > 0 ? ` and unset ${replaced.join(', ')}` : '') +
        `. A later rolemap (Terragrunt) in this shell will not use them as a base. Undo with: ${syntax.apply(' --unset')}`,
    );
  }
}

/**
 * Restores what an earlier `rolemap env` of this shell changed and this one does not, saves
 * what this one changes for the first time, then unsets and sets.
 */
function envLines(syntax: ShellSyntax, previous: readonly string[], variables: UnitVariables): string[] {
  const changed = [...variables.unset, ...variables.set.map(([name]) => name)];
  for (const name of changed) {
    if (!ENV_NAME_PATTERN.test(name)) throw new ConfigError(`"${name}" is not a variable name a shell accepts.`, { hint: 'Rename it in the mapping\'s envs.' });
  }
  const lines = [
    ...previous.filter((name) => !changed.includes(name)).map((name) => syntax.restore(name)),
    ...changed.filter((name) => !previous.includes(name)).map((name) => syntax.save(name)),
    ...variables.unset.map((name) => syntax.unset(name)),
    ...variables.set.map(([name, value]) => syntax.set(name, value)),
  ];
  if (changed.length > 0) lines.push(syntax.set(ENV_COMMAND_NAMES_ENV, changed.join(' ')));
  else if (previous.length > 0) lines.push(syntax.unset(ENV_COMMAND_NAMES_ENV));
  return [...lines, ''];
}
