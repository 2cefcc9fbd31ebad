import { ISSUED_BASE_IDENTITY_ENV, ISSUED_MARKER_ENV } from '../constants';
import type { ObtainedUnitCredentials } from './requireCredentials';
import { credentialsJson } from './render/toTerragruntJson';

/**
 * Variables through which a program would find other credentials than the unit's: a profile
 * (the AWS SDKs for JavaScript and Go, so Terraform's provider, prefer AWS_PROFILE over keys in
 * the environment), older keys, the boto2-era AWS_SECURITY_TOKEN, and the expiry and markers of
 * credentials rolemap issued before. `exec` and `env` remove them before setting the unit's own.
 */
export const REPLACED_VARIABLES: readonly string[] = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  ISSUED_MARKER_ENV,
  ISSUED_BASE_IDENTITY_ENV,
];

/** What a command changes in an environment: variables to remove, then variables to set. */
export interface UnitVariables {
  unset: readonly string[];
  set: ReadonlyArray<readonly [string, string]>;
}

/**
 * The environment a program needs to act as the unit: the credentials and the unit's `envs`
 * (the region, the expiry, the marker that keeps a nested rolemap from chaining from them), as
 * Terragrunt would set them.
 */
export function unitVariablesFor(unit: ObtainedUnitCredentials): UnitVariables {
  const json = credentialsJson(unit.request, unit.credentials, unit.baseIdentity);
  const set: Array<readonly [string, string]> = [
    ['AWS_ACCESS_KEY_ID', json.awsCredentials.ACCESS_KEY_ID],
    ['AWS_SECRET_ACCESS_KEY', json.awsCredentials.SECRET_ACCESS_KEY],
    ['AWS_SESSION_TOKEN', json.awsCredentials.SESSION_TOKEN],
    ...Object.entries(json.envs),
  ];
  const setNames = new Set(set.map(([name]) => name));
  return { unset: REPLACED_VARIABLES.filter((name) => !setNames.has(name)), set };
}
