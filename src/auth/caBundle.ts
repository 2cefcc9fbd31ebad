import { isAbsolute } from 'node:path';

import { MAX_CA_BUNDLE_BYTES } from '../constants';
import { UsageError } from '../errors';
import { FileProblem, readRegularFile } from '../readRegularFile';
import type { Environment } from '../resolve/types';

/** The variable the AWS CLI, botocore and the AWS SDK for Go read for the CA certificates of AWS calls. */
const CA_BUNDLE_VARIABLE = 'AWS_CA_BUNDLE';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * The PEM text of the certificates AWS_CA_BUNDLE names, which the AWS SDK clients rolemap builds
 * trust as their only roots, as the AWS CLI and botocore use them; undefined when the variable is
 * unset or empty (Node's roots, and NODE_EXTRA_CA_CERTS's). The AWS SDK for JavaScript does not
 * read the variable itself. It is read only on the way to AWS: NODE_EXTRA_CA_CERTS makes Node 20
 * parse its whole root store at the start of every process, a cache hit's too (25 ms and more).
 * @throws UsageError when the variable names no readable PEM file of certificates.
 */
export function readCaBundle(env: Environment): string | undefined {
  const path = env[CA_BUNDLE_VARIABLE];
  if (path === undefined || path === '') return undefined;
  const fix = `Set ${CA_BUNDLE_VARIABLE} to the absolute path of a PEM file of CA certificates (the one your AWS CLI uses), or unset it.`;
  // rolemap runs in each unit's directory: a relative path would name a different file in each.
  if (!isAbsolute(path)) throw new UsageError(`${CA_BUNDLE_VARIABLE} is ${JSON.stringify(path)}, which is not an absolute path.`, { hint: fix });
  let text: string;
  try {
    text = readRegularFile(path, { maxBytes: MAX_CA_BUNDLE_BYTES });
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    throw new UsageError(`${CA_BUNDLE_VARIABLE}: ${error.message}.`, { hint: fix, cause: error });
  }
  if (!text.includes(PEM_CERTIFICATE)) {
    throw new UsageError(`${CA_BUNDLE_VARIABLE}: ${path} holds no PEM certificate (no "${PEM_CERTIFICATE}" line).`, { hint: fix });
  }
  return text;
}
