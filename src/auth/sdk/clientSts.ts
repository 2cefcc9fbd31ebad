// @aws-sdk/client-sts as its own lib (dist/lib/clientSts.cjs), so that a call loads only the
// packages it uses; with @aws-sdk/credential-provider-env beside it, because environment keys are
// only ever used to call STS: one lib to read and compile for both instead of two. Only what
// rolemap sends (see src/auth/loadSdk.ts).
export {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
export { fromEnv } from '@aws-sdk/credential-provider-env';
// The lib's own copy of the SDK's shared-config reader, which loadSdk hands the files checkSharedAwsFiles read.
export { externalDataInterceptor } from '@smithy/core/config';
