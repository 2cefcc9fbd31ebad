import { join } from 'node:path';

import { MAX_AWS_SHARED_FILE_BYTES } from '../../constants';
import { readRegularFile } from '../../readRegularFile';
import type { Environment } from '../../resolve/types';

const SECTION = /^\[\s*([^\]]+?)\s*\]\s*$/;
const ENTRY = /^([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/;

/** The sections of the AWS config file by their header ("profile dev", "default", "sso-session acme"), in file order. */
export type AwsConfigSections = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** The AWS config file: AWS_CONFIG_FILE (with a leading `~/` expanded), else `<home>/.aws/config`. */
export function awsConfigFilePath(env: Environment, homeDir: string): string {
  const configured = env['AWS_CONFIG_FILE'];
  if (configured === undefined || configured === '') return join(homeDir, '.aws', 'config');
  return configured.startsWith('~/') ? join(homeDir, configured.slice(2)) : configured;
}

/**
 * Reads the AWS config file as the AWS CLI does for the settings rolemap needs (profiles and
 * sso-session sections, `key = value` lines, `#` and `;` comments). A missing or unreadable file
 * is an empty map: no config file is the common case for rolemap users.
 */
export function readAwsConfig(env: Environment, homeDir: string): AwsConfigSections {
  let text = '';
  try {
    // Bounded and non-blocking: a FIFO or device here must not hang a Terragrunt call.
    text = readRegularFile(awsConfigFilePath(env, homeDir), { maxBytes: MAX_AWS_SHARED_FILE_BYTES });
  } catch {
    return new Map();
  }
  return parseAwsIni(text);
}

/**
 * The sections of an AWS shared file's text (config or credentials) by their header, in file
 * order: `key = value` lines, `#` and `;` comments, as the AWS CLI reads them.
 */
export function parseAwsIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = SECTION.exec(line);
    if (header !== null) {
      const name = (header[1] ?? '').replace(/\s+/g, ' ');
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const entry = ENTRY.exec(line);
    if (entry === null || current === undefined || entry[1] === undefined) continue;
    current[entry[1]] = entry[2] ?? '';
  }
  return sections;
}
