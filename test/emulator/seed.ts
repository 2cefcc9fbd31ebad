import type { EmulatedRole, EmulatedUser } from './sts';

/** The IAM state an emulator starts with. */
export interface EmulatorSeed {
  users: EmulatedUser[];
  roles: EmulatedRole[];
}

/** Accounts of the examples: three workload accounts and the "base" account the developer lives in. */
export const SEED_ACCOUNTS = {
  dev: '111111111111',
  stage: '222222222222',
  prod: '333333333333',
  /** The shared-services account of examples/live/shared (DNS), for the cross-account dependency. */
  shared: '444444444444',
  base: '999999999999',
} as const;

/** The developer's virtual MFA device (an `mfa_serial` in ~/.aws/config) and the one code the emulator accepts for it. */
export const SEED_MFA_DEVICE = {
  serial: `arn:aws:iam::${SEED_ACCOUNTS.base}:mfa/developer`,
  code: '123456',
} as const;

/** The seeded IAM user a developer's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY stand for. */
export const SEED_DEVELOPER: Readonly<EmulatedUser> = {
  arn: `arn:aws:iam::${SEED_ACCOUNTS.base}:user/developer`,
  accessKeyId: 'AKIAEMULATORDEVELOPER',
  secretAccessKey: 'emulator-developer-secret-key',
  mfa: { ...SEED_MFA_DEVICE },
};

/** Roles present in each of the dev, stage and prod accounts. */
export const SEED_ROLE_NAMES = ['terragrunt', 'terragrunt-plan', 'terragrunt-apply'] as const;

/** `sub` pattern the seeded roles accept from OIDC tokens. */
export const SEED_OIDC_SUBJECT_PATTERN = 'repo:acme/infra:*';

/** `sub` of the emulated GitHub endpoint's tokens by default: a push to main of acme/infra. */
export const SEED_GITHUB_SUBJECT = 'repo:acme/infra:ref:refs/heads/main';

/** Region to configure SDK clients with in tests and the demo. */
export const SEED_REGION = 'us-east-1';

/** The seeded roles' MaxSessionDuration. */
export const SEED_MAX_SESSION_DURATION = 43200;

/** arn:aws:iam::ACCOUNT:role/NAME */
export function seedRoleArn(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}

/** Loaded by `startEmulator()` when no seed is given. */
export const DEFAULT_SEED: EmulatorSeed = {
  users: [{ ...SEED_DEVELOPER }],
  roles: [SEED_ACCOUNTS.dev, SEED_ACCOUNTS.stage, SEED_ACCOUNTS.prod, SEED_ACCOUNTS.shared].flatMap((account) =>
    SEED_ROLE_NAMES.map((name) => ({
      arn: seedRoleArn(account, name),
      trust: {
        principals: [SEED_DEVELOPER.arn, `arn:aws:iam::${SEED_ACCOUNTS.base}:root`],
        oidcSubjects: [SEED_OIDC_SUBJECT_PATTERN],
        allowSourceIdentity: true,
        allowTagSession: true,
        maxSessionDuration: SEED_MAX_SESSION_DURATION,
      },
    })),
  ),
};
