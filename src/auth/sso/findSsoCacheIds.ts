import { join } from 'node:path';

import { MAX_AWS_SHARED_FILE_BYTES } from '../../constants';
import { readRegularFile } from '../../readRegularFile';

import type { Environment } from '../../resolve/types';
import { normaliseStartUrl } from './normaliseStartUrl';

const SECTION = /^\[\s*([^\]]+?)\s*\]\s*$/;
const ENTRY = /^([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/;

/** The AWS config file: AWS_CONFIG_FILE (with a leading `~/` expanded), else `<home>/.aws/config`. */
function configFilePath(env: Environment, homeDir: string): string {
  const configured = env['AWS_CONFIG_FILE'];
  if (configured === undefined || configured === '') return join(homeDir, '.aws', 'config');
  return configured.startsWith('~/') ? join(homeDir, configured.slice(2)) : configured;
}

/**
 * The ids under which the AWS CLI may have cached a token for `startUrl`, best first: the names
 * of `[sso-session NAME]` sections of the AWS config file whose sso_start_url is this portal,
 * then `startUrl` itself, then other spellings of it that profiles use (the CLI hashes the start
 * URL exactly as written). A missing or unreadable config file gives just `startUrl`.
 */
export async function findSsoCacheIds(init: { startUrl: string; env: Environment; homeDir: string }): Promise<string[]> {
  let text = '';
  try {
    text = readRegularFile(configFilePath(init.env, init.homeDir), { maxBytes: MAX_AWS_SHARED_FILE_BYTES });
  } catch {
    // No config file is the common case for rolemap users; the start URL key still applies.
  }
  const wanted = normaliseStartUrl(init.startUrl);
  const sessions: string[] = [];
  const spellings: string[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = SECTION.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      continue;
    }
    const entry = ENTRY.exec(line);
    if (entry === null || entry[1] !== 'sso_start_url' || normaliseStartUrl(entry[2] ?? '') !== wanted) continue;
    const session = /^sso-session\s+(.+)$/.exec(section);
    if (session?.[1] !== undefined) sessions.push(session[1].trim());
    else spellings.push((entry[2] ?? '').trim());
  }
  return [...new Set([...sessions, init.startUrl, ...spellings])];
}
