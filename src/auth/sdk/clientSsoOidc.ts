// One AWS SDK package as its own lib (dist/lib/clientSsoOidc.cjs), so that a call loads only the packages it uses.
export * from '@aws-sdk/client-sso-oidc';
