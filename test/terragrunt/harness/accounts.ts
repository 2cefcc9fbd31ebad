import { SEED_DEVELOPER, SEED_OIDC_SUBJECT_PATTERN, seedRoleArn, type EmulatorSeed } from '../../emulator';

/** The six workload accounts of the end-to-end trees, by the names their mapping files use. */
export const E2E_ACCOUNTS = {
  dev: '111111111111',
  stage: '222222222222',
  prod: '333333333333',
  shared: '444444444444',
  data: '555555555555',
  security: '666666666666',
} as const;

export type AccountName = keyof typeof E2E_ACCOUNTS;

export const ACCOUNT_NAMES = Object.keys(E2E_ACCOUNTS) as AccountName[];

/** The base account the developer's IAM user lives in. */
export const BASE_ACCOUNT = '999999999999';

/** The `sub` GitHub gives a job of a push to main; only such jobs may assume an apply role. */
export const DEPLOY_SUBJECT = 'repo:acme/infra:ref:refs/heads/main';

/**
 * The IAM state of the end-to-end emulator: in every account a read-only `terragrunt-plan` role
 * that the developer and any workflow of acme/infra may assume, and a `terragrunt-apply` role
 * that the developer and only pushes to main may assume (as examples/iam says).
 */
export const E2E_SEED: EmulatorSeed = {
  users: [{ ...SEED_DEVELOPER }],
  roles: Object.values(E2E_ACCOUNTS).flatMap((account) =>
    (['terragrunt-plan', 'terragrunt-apply'] as const).map((name) => ({
      arn: seedRoleArn(account, name),
      trust: {
        principals: [SEED_DEVELOPER.arn],
        oidcSubjects: [name === 'terragrunt-plan' ? SEED_OIDC_SUBJECT_PATTERN : DEPLOY_SUBJECT],
        allowSourceIdentity: true,
        allowTagSession: true,
        maxSessionDuration: 43200,
      },
    })),
  ),
};
