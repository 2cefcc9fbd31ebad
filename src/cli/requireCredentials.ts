import { ConfigError } from '../errors';
import type { UnitCredentials } from './commands/credentials';
import { capitalised, UNMATCHED } from './render/verdictWords';

export type ObtainedUnitCredentials = Extract<UnitCredentials, { status: 'credentials' }>;

/**
 * The unit's credentials, for a command that cannot do without them (credential-process, exec).
 * @throws ConfigError when the unit gets none: `auth: delegate` or `unmatched: empty`.
 */
export function requireCredentials(unit: UnitCredentials, command: string): ObtainedUnitCredentials {
  switch (unit.status) {
    case 'empty':
      throw new ConfigError(`${capitalised(UNMATCHED)} this unit and the mapping file says \`unmatched: empty\`, so there are no credentials for ${command}.`, {
        hint: 'Point it at a unit that a mapping covers (--dir), or add a mapping for this one.',
      });
    case 'delegate':
      throw new ConfigError(
        `The unit's mapping says \`auth: delegate\`: it hands ${unit.request.roleArn} to Terragrunt to assume and gives no credentials, which ${command} needs.`,
        { hint: 'Use auth: assume, sso or web-identity for this mapping, or an override with one of them in your own config.' },
      );
    case 'credentials':
      return unit;
  }
}
