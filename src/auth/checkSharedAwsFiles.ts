import { join } from 'node:path';

import { MAX_AWS_SHARED_FILE_BYTES } from '../constants';
import { CredentialsError } from '../errors';
import { FileProblem, readRegularFile } from '../readRegularFile';
import type { Environment } from '../resolve/types';
import { resolveHomeDir } from './sso/resolveHomeDir';

/** A shared config file as checkSharedAwsFiles read it: empty when it does not exist. */
export interface SharedAwsFile {
  path: string;
  text: string;
}

/** The files the AWS SDK reads for every client it builds, as it finds them. */
function sharedFiles(env: Environment): Array<{ path: string; variable: string }> {
  const home = resolveHomeDir(env);
  const expand = (path: string): string => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  const files = [
    { path: expand(env['AWS_CONFIG_FILE'] || join(home, '.aws', 'config')), variable: 'AWS_CONFIG_FILE' },
    { path: expand(env['AWS_SHARED_CREDENTIALS_FILE'] || join(home, '.aws', 'credentials')), variable: 'AWS_SHARED_CREDENTIALS_FILE' },
  ];
  // The SDK's default chain reads this one synchronously when AWS_ROLE_ARN is set beside it.
  const tokenFile = env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  if (tokenFile && env['AWS_ROLE_ARN']) files.push({ path: tokenFile, variable: 'AWS_WEB_IDENTITY_TOKEN_FILE' });
  return files;
}

/**
 * Checks ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)
 * before the AWS SDK is handed control. The SDK reads both with a plain blocking read whenever
 * it builds a client, even with environment keys (for endpoint, FIPS and defaults settings), so a
 * named pipe or a device there would hang the call forever. A missing file is fine, as for the SDK.
 * Returns the config and credentials files' text as read (empty for a missing one), which
 * loadSdk hands the SDK so that it parses the text checked here and reads no file itself.
 * @throws CredentialsError naming the file and what is wrong with it.
 */
export function checkSharedAwsFiles(env: Environment): SharedAwsFile[] {
  const read: SharedAwsFile[] = [];
  for (const { path, variable } of sharedFiles(env)) {
    let text = '';
    try {
      text = readRegularFile(path, { maxBytes: MAX_AWS_SHARED_FILE_BYTES });
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      if (error.reason !== 'missing') throw new CredentialsError(`Cannot use ${variable === 'AWS_WEB_IDENTITY_TOKEN_FILE' ? 'AWS_WEB_IDENTITY_TOKEN_FILE' : 'the AWS shared config'}: ${error.message}`, {
        kind: 'no-base-credentials',
        hint: `The AWS SDK reads this file on every call: make it a regular file you may read, remove it, or point ${variable} at one.`,
        cause: error,
      });
    }
    // The token file is the SDK's web identity provider's to read; it never goes through the shared-config reader.
    if (variable !== 'AWS_WEB_IDENTITY_TOKEN_FILE') read.push({ path, text });
  }
  return read;
}
