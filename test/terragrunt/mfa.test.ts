/**
 * A developer whose base profile needs MFA, under a real Terragrunt: without an MFA session the
 * run stops with the exact `rolemap login --mfa` command and STS is never asked; after one login
 * (one code), the whole `run --all` uses that session as its base.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_DEVELOPER, SEED_MFA_DEVICE } from '../emulator/seed';
import { E2E_ACCOUNTS } from './harness/accounts';
import { DEVELOPER_ARN, stsCounts, tail, workCalls } from './harness/expectations';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import { ROLEMAP_BIN, sandboxEnv } from './harness/runScenario';
import { useScenario } from './harness/useScenario';
import { writeTree } from './harness/writeTree';

const UNITS = ['live/dev/us-east-1/vpc', 'live/dev/us-east-1/app', 'live/prod/us-east-1/vpc'];
const accountOf = (unit: string): string => (unit.includes('/prod/') ? E2E_ACCOUNTS.prod : E2E_ACCOUNTS.dev);
const LOGIN = 'rolemap login --mfa --profile dev';

forEachTerragrunt('a base profile that needs MFA', (binary) => {
  const scenario = useScenario(binary);

  function writeScenario(): void {
    const { root, home } = scenario.sandbox();
    writeTree(root, { units: UNITS.map((dir) => ({ dir })), mappings: [{ paths: ['live/dev/**'], account: 'dev' }, { paths: ['live/prod/**'], account: 'prod' }] });
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(home, '.aws/config'), `[profile dev]\nmfa_serial = ${SEED_MFA_DEVICE.serial}\nregion = us-east-1\n`);
    fs.writeFileSync(
      path.join(home, '.aws/credentials'),
      `[dev]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
      { mode: 0o600 },
    );
  }

  /** `rolemap login --mfa` as the developer types it in a terminal, here with --code. */
  function login(): Promise<{ code: number | null; stderr: string }> {
    const env = sandboxEnv(scenario.sandbox(), scenario.emulator());
    const { root } = scenario.sandbox();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [ROLEMAP_BIN, 'login', '--mfa', '--profile', 'dev', '--code', SEED_MFA_DEVICE.code], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('without an MFA session the run stops with the exact login command; after one login every unit runs on that session', async () => {
    writeScenario();
    const env = { AWS_PROFILE: 'dev' };

    const refused = await scenario.runAll('plan', { workingDir: 'live', env });
    reportRow({ scenario: 'MFA profile, no session', version: binary.version, units: UNITS.length, run: refused });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`Run \`${LOGIN}\` in a terminal.`);
    expect(refused.sts).toStrictEqual([]);
    expect(workCalls(refused).filter((c) => c.command === 'plan')).toStrictEqual([]);

    const loggedIn = await login();
    expect(loggedIn).toMatchObject({ code: 0 });
    expect(loggedIn.stderr).toContain('MFA session for profile dev');

    const run = await scenario.runAll('plan', { workingDir: 'live', env });
    reportRow({ scenario: 'MFA profile, after login --mfa', version: binary.version, units: UNITS.length, run });
    if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
    // No code asked again, one AssumeRole per role, each signed by the developer's MFA session.
    expect(stsCounts(run)).toStrictEqual({ AssumeRole: 2 });
    expect(run.sts.map((c) => c.callerArn)).toStrictEqual([DEVELOPER_ARN, DEVELOPER_ARN]);
    const planned = workCalls(run)
      .filter((c) => c.command === 'plan')
      .map((c) => ({ unit: c.unit, identity: c.identity.replace(/\/[^/]+$/, '') }))
      .sort((a, b) => a.unit.localeCompare(b.unit));
    expect(planned).toStrictEqual([...UNITS].sort().map((unit) => ({ unit, identity: `arn:aws:sts::${accountOf(unit)}:assumed-role/terragrunt-plan` })));
  });
});
