/**
 * Stands in for @aws-sdk/credential-provider-node inside the libs of @aws-sdk/client-sts and
 * @aws-sdk/client-sso-oidc (scripts/build.mjs puts it there). Those clients import the SDK's
 * default credential chain for a client built without credentials. rolemap never builds one:
 * every STS client gets its credentials (createStsClient), and SSO-OIDC calls are unsigned. The
 * chain itself (with its own nested STS, SSO and sign-in clients) is a third of the STS lib, which
 * every cache miss loads. The base chain rolemap does run comes from src/auth/sdk/credentialProviders.
 */
export function defaultProvider(): () => Promise<never> {
  return () => Promise.reject(new Error('no AWS SDK default credential chain in this lib: rolemap gives every AWS client its credentials'));
}
