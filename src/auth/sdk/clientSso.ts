// One AWS SDK package as its own lib (dist/lib/clientSso.cjs), so that a call loads only the
// packages it uses; of it, only what rolemap sends (see src/auth/loadSdk.ts).
export { GetRoleCredentialsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
// The lib's own copy of the SDK's shared-config reader, which loadSdk hands the files checkSharedAwsFiles read.
export { externalDataInterceptor } from '@smithy/core/config';
