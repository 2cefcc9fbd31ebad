import { isAbsolute } from 'node:path';

import { MAX_CA_BUNDLE_BYTES } from '../constants';
import { UsageError } from '../errors';
import { FileProblem, readRegularFile } from '../readRegularFile';
import { sessionProfile } from '../resolve/assumeBaseSource';
import type { Environment } from '../resolve/types';
import { awsProfileSection } from './awsProfileSection';
import { awsConfigFilePath, readAwsConfig } from './sso/readAwsConfig';
import { resolveHomeDir } from './sso/resolveHomeDir';

/** The variable the AWS CLI, botocore and the AWS SDK for Go read for the CA certificates of AWS calls. */
const CA_BUNDLE_VARIABLE = 'AWS_CA_BUNDLE';
/** The same setting in a profile of the AWS config file. */
const CA_BUNDLE_SETTING = 'ca_bundle';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** Reads the PEM file at `path`, which `origin` (the variable or the profile's setting) named. */
function readPemFile(path: string, origin: string, fix: string): string {
  let text: string;
  try {
    text = readRegularFile(path, { maxBytes: MAX_CA_BUNDLE_BYTES });
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    throw new UsageError(`${origin}: ${error.message}.`, { hint: fix, cause: error });
  }
  if (!text.includes(PEM_CERTIFICATE)) throw new UsageError(`${origin}: ${path} holds no PEM certificate (no "${PEM_CERTIFICATE}" line).`, { hint: fix });
  return text;
}

/** Where the CA certificates of AWS calls come from: the file, and the setting that named it. */
export interface CaBundleSource {
  path: string;
  /** `AWS_CA_BUNDLE`, or `ca_bundle of profile NAME in FILE`. */
  origin: string;
  /** How to fix an unusable value. */
  fix: string;
}

/**
 * The file whose certificates the AWS SDK clients rolemap builds trust as their only roots, found
 * as botocore finds it: AWS_CA_BUNDLE, else the `ca_bundle` setting of the profile in effect,
 * `profile` (the call's base profile, as `aws --profile`) or else the session's
 * (AWS_DEFAULT_PROFILE, AWS_PROFILE, `default`). Undefined when neither is set: Node's roots, and
 * NODE_EXTRA_CA_CERTS's. The AWS SDK for JavaScript reads neither itself. The file is not read.
 * @throws UsageError when the path is not absolute.
 */
export function findCaBundle(env: Environment, profile?: string): CaBundleSource | undefined {
  const source = namedCaBundle(env, profile);
  // rolemap runs in each unit's directory: a relative path would name a different file in each.
  if (source !== undefined && !isAbsolute(source.path)) {
    throw new UsageError(`${source.origin} is ${JSON.stringify(source.path)}, which is not an absolute path.`, { hint: source.fix });
  }
  return source;
}

function namedCaBundle(env: Environment, profile: string | undefined): CaBundleSource | undefined {
  const fromVariable = env[CA_BUNDLE_VARIABLE];
  if (fromVariable !== undefined && fromVariable !== '') {
    return {
      path: fromVariable,
      origin: CA_BUNDLE_VARIABLE,
      fix: `Set ${CA_BUNDLE_VARIABLE} to the absolute path of a PEM file of CA certificates (the one your AWS CLI uses), or unset it.`,
    };
  }
  const homeDir = resolveHomeDir(env);
  const name = profile ?? sessionProfile(env);
  const fromProfile = awsProfileSection(readAwsConfig(env, homeDir), name)?.[CA_BUNDLE_SETTING];
  if (fromProfile === undefined || fromProfile === '') return undefined;
  return {
    path: fromProfile,
    origin: `${CA_BUNDLE_SETTING} of profile ${name} in ${awsConfigFilePath(env, homeDir)}`,
    fix: `Set ${CA_BUNDLE_SETTING} in that profile, or ${CA_BUNDLE_VARIABLE}, to the absolute path of a PEM file of CA certificates, or remove it.`,
  };
}

/**
 * The PEM text of the file findCaBundle names, undefined when none is. Read only on the way to
 * AWS: NODE_EXTRA_CA_CERTS, the other way to trust a proxy's CA, makes Node 20 parse its whole
 * root store at the start of every process, a cache hit's too (25 ms and more).
 * @throws UsageError when it is no readable PEM file of certificates.
 */
export function readCaBundle(env: Environment, profile?: string): string | undefined {
  const source = findCaBundle(env, profile);
  return source === undefined ? undefined : readPemFile(source.path, source.origin, source.fix);
}
