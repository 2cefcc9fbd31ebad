/** The local AWS emulator: STS, the GitHub OIDC token endpoint and a control API (SSO plugs in as a service). */
export { startEmulator, type Emulator, type EmulatorEnv, type StartEmulatorOptions } from './server';
export type { EmulatedRole, EmulatedUser, TrustPolicy, TrustPolicyUpdate } from './sts';
export type { CallDetails, CallLogEntry } from './callLog';
export type { Faults } from './faults';
export type { IssueTokenInit, TokenClaims } from './oidcIssuer';
export { EKS_ISSUER, GITHUB_ISSUER, GITLAB_ISSUER } from './oidcIssuer';
export type { GitHubControl } from './github';
export {
  DEFAULT_SEED,
  SEED_ACCOUNTS,
  SEED_DEVELOPER,
  SEED_GITHUB_SUBJECT,
  SEED_MAX_SESSION_DURATION,
  SEED_MFA_DEVICE,
  SEED_OIDC_SUBJECT_PATTERN,
  SEED_REGION,
  SEED_ROLE_NAMES,
  seedRoleArn,
  type EmulatorSeed,
} from './seed';
export type { EmulatorRequest, EmulatorResponse, IssuedCredentials, Service, ServiceContext } from './types';
