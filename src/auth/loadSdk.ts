/**
 * The one place the AWS SDK is loaded. Nothing on the cache-hit path imports it; the credential
 * kinds that need it call these when they run.
 *
 * Each package is re-exported by its own module in sdk/, which the build makes its own lib
 * (dist/lib/<name>.cjs, with its code cache): an AssumeRole miss on environment keys loads the
 * STS client (with the environment-keys provider in its lib), not the SSO clients and the whole
 * provider chain beside them.
 */
import { checkSharedAwsFiles } from './checkSharedAwsFiles';

/**
 * @aws-sdk/core prints a NodeVersionSupportWarning (node < 22) through process.emitWarning when a
 * client is first built. Terragrunt shows rolemap's stderr to the user on every call, so it is
 * switched off with the variable the SDK itself honours, before any client exists.
 */
const SDK_NODE_WARNING_VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

function prepareForSdk(): void {
  process.env[SDK_NODE_WARNING_VARIABLE] = 'true';
  // The SDK reads these files itself, from process.env's paths; a pipe there would hang it.
  checkSharedAwsFiles(process.env);
}

/** Loads @aws-sdk/client-sts. */
export async function loadSts(): Promise<typeof import('./sdk/clientSts')> {
  prepareForSdk();
  return import('./sdk/clientSts');
}

/**
 * Loads @aws-sdk/credential-provider-env (environment keys alone, without the rest of the chain),
 * which travels in the STS client's lib: environment keys are only ever used to call STS.
 */
export async function loadEnvironmentProvider(): Promise<Pick<typeof import('./sdk/clientSts'), 'fromEnv'>> {
  return loadSts();
}

/** Loads @aws-sdk/credential-providers (the default chain for base credentials). */
export async function loadCredentialProviders(): Promise<typeof import('./sdk/credentialProviders')> {
  prepareForSdk();
  return import('./sdk/credentialProviders');
}

/** Loads @aws-sdk/client-sso (the IAM Identity Center portal). */
export async function loadSso(): Promise<typeof import('./sdk/clientSso')> {
  prepareForSdk();
  return import('./sdk/clientSso');
}

/** Loads @aws-sdk/client-sso-oidc (device authorization and token refresh). */
export async function loadSsoOidc(): Promise<typeof import('./sdk/clientSsoOidc')> {
  prepareForSdk();
  return import('./sdk/clientSsoOidc');
}
