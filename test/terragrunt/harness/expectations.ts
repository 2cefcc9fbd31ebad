import { SEED_DEVELOPER } from '../../emulator';
import { E2E_ACCOUNTS, type AccountName } from './accounts';
import type { ScenarioRun, TofuCall } from './runScenario';

/** The session ARN STS names for a role of an account: arn:aws:sts::ID:assumed-role/ROLE/SESSION. */
export function sessionArn(account: AccountName, role: string, session: string): string {
  return `arn:aws:sts::${E2E_ACCOUNTS[account]}:assumed-role/${role}/${session}`;
}

/** The tofu calls that act on AWS: all but `version`. */
export function workCalls(run: ScenarioRun): TofuCall[] {
  return run.tofu.filter((call) => call.command !== 'version');
}

/** Each signed AssumeRole of the run with who signed it; never a secret. */
export function assumeRoleSigners(run: ScenarioRun): { roleArn: string | undefined; signer: string | undefined; result: string | undefined }[] {
  return run.sts.filter((c) => c.action === 'AssumeRole').map((c) => ({ roleArn: c.roleArn, signer: c.callerArn, result: c.result }));
}

/** Calls per action, as in the emulator's log. */
export function stsCounts(run: ScenarioRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of run.sts) counts[call.action] = (counts[call.action] ?? 0) + 1;
  return counts;
}

/** The developer's IAM user: the base identity of the laptop scenarios. */
export const DEVELOPER_ARN = SEED_DEVELOPER.arn;

/** The developer's base credentials, as environment keys. */
export const DEVELOPER_KEYS = {
  AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
  AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
};

/** Last lines of Terragrunt's output, for a failure message (it holds no secret: rolemap and the stub print none). */
export function tail(run: ScenarioRun, lines = 40): string {
  return run.output.split('\n').slice(-lines).join('\n');
}
