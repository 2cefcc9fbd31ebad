import { join } from 'node:path';

import { MAX_AWS_SHARED_FILE_BYTES } from '../constants';
import { readRegularFile } from '../readRegularFile';
import type { Environment } from '../resolve/types';
import { parseAwsIni, readAwsConfig } from './sso/readAwsConfig';

/**
 * The profile names the AWS config file (`[profile NAME]`, `[default]`) and the credentials file
 * (`[NAME]`; AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) define. A missing or
 * unreadable file defines none.
 */
export async function readAwsProfileNames(env: Environment, homeDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const section of readAwsConfig(env, homeDir).keys()) {
    if (section === 'default') names.add(section);
    const profile = /^profile (.+)$/.exec(section)?.[1];
    if (profile !== undefined) names.add(profile);
  }
  const configured = env['AWS_SHARED_CREDENTIALS_FILE'];
  const file =
    configured === undefined || configured === ''
      ? join(homeDir, '.aws', 'credentials')
      : configured.startsWith('~/')
        ? join(homeDir, configured.slice(2))
        : configured;
  let text = '';
  try {
    text = readRegularFile(file, { maxBytes: MAX_AWS_SHARED_FILE_BYTES });
  } catch {
    return names;
  }
  for (const section of parseAwsIni(text).keys()) names.add(section);
  return names;
}
