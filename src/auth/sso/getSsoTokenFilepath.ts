import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where the AWS CLI and SDK keep the SSO token for `id`: `<home>/.aws/sso/cache/<sha1 hex>.json`,
 * where `id` is the sso-session name when the profile uses one, else the start URL as written.
 */
export function getSsoTokenFilepath(id: string, homeDir: string): string {
  const name = createHash('sha1').update(id).digest('hex');
  return join(homeDir, '.aws', 'sso', 'cache', `${name}.json`);
}
