/**
 * The one place the AWS SDK is loaded. Nothing on the cache-hit path imports it; the credential
 * kinds that need it call these when they run.
 *
 * Each package is re-exported by its own module in sdk/, which the build makes its own lib
 * (dist/lib/<name>.cjs, with its code cache): an AssumeRole miss on environment keys loads the
 * STS client (with the environment-keys provider in its lib), not the SSO clients and the whole
 * provider chain beside them. Those modules name the clients and commands rolemap sends rather
 * than `export *`: esbuild then leaves out every other operation of the service (its command,
 * schemas and error classes), which each call that loads the lib would otherwise build.
 */
import { checkSharedAwsFiles } from './checkSharedAwsFiles';

/**
 * @aws-sdk/core prints a NodeVersionSupportWarning (node < 22) through process.emitWarning when a
 * client is first built. Terragrunt shows rolemap's stderr to the user on every call, so it is
 * switched off with the variable the SDK itself honours, before any client exists.
 */
const SDK_NODE_WARNING_VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** What every lib of src/auth/sdk/ exports beside its package: its copy of the SDK's shared-config reader. */
interface SdkLib {
  externalDataInterceptor: { interceptFile(path: string, contents: string): void };
}

/**
 * Loads a lib of src/auth/sdk/ and hands its shared-config reader the AWS config and credentials
 * files as checkSharedAwsFiles has just read them (empty for a missing one), so that the SDK
 * parses the very text that was checked and reads no file itself: a cache miss then never loads
 * node:fs/promises (src/onDemandFsPromises.ts), most of a millisecond.
 */
async function loadWithCheckedFiles<T extends SdkLib>(load: () => Promise<T>): Promise<T> {
  process.env[SDK_NODE_WARNING_VARIABLE] = 'true';
  // The SDK would read these files itself, from process.env's paths; a pipe there would hang it.
  const files = checkSharedAwsFiles(process.env);
  const sdk = await load();
  for (const { path, text } of files) sdk.externalDataInterceptor.interceptFile(path, text);
  return sdk;
}

/**
 * Loads @aws-sdk/client-sts, with @aws-sdk/credential-provider-env's fromEnv (environment keys
 * alone, without the rest of the chain) in the same lib: environment keys only ever call STS.
 */
export async function loadSts(): Promise<typeof import('./sdk/clientSts')> {
  return loadWithCheckedFiles(() => import('./sdk/clientSts'));
}

/** Loads @aws-sdk/credential-providers (the default chain for base credentials). */
export async function loadCredentialProviders(): Promise<typeof import('./sdk/credentialProviders')> {
  return loadWithCheckedFiles(() => import('./sdk/credentialProviders'));
}

/** Loads @aws-sdk/client-sso (the IAM Identity Center portal). */
export async function loadSso(): Promise<typeof import('./sdk/clientSso')> {
  return loadWithCheckedFiles(() => import('./sdk/clientSso'));
}

/** Loads @aws-sdk/client-sso-oidc (device authorization and token refresh). */
export async function loadSsoOidc(): Promise<typeof import('./sdk/clientSsoOidc')> {
  return loadWithCheckedFiles(() => import('./sdk/clientSsoOidc'));
}
