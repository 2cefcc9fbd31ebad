import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUnits } from '../../src/locate/findUnits';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { EXAMPLES_LIVE, makeSandbox, parseTerragruntJson, runRolemap, type Sandbox } from './runRolemap';
import { developerEnv } from './fixtures/developerEnv';
import { SANDBOX_USER } from './sandbox';

const UNITS = findUnits(EXAMPLES_LIVE);
const ACCOUNT_OF: Readonly<Record<string, string>> = {
  dev: '111111111111',
  stage: '222222222222',
  prod: '333333333333',
  shared: '444444444444',
};

describe('dist/rolemap in every unit of examples/live (docs/architecture.md, "The contract with Terragrunt")', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    sandbox = makeSandbox();
    env = developerEnv(sandbox, emulator);
  });
  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });

  it('finds the example units', () => {
    expect(UNITS).toStrictEqual([
      'dev/us-east-1/app',
      'dev/us-east-1/vpc',
      'prod/us-east-1/app',
      'prod/us-east-1/vpc',
      'shared/dns',
      'stage/us-east-1/app',
      'stage/us-east-1/vpc',
    ]);
  });

  it.each(UNITS)('%s: one JSON object with credentials for the mapped account, nothing on stderr', async (unit) => {
    const run = await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, unit), env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const json = parseTerragruntJson(run.stdout);
    expect(Object.keys(json).sort()).toStrictEqual(['awsCredentials', 'envs']);
    const envs = json['envs'] as Record<string, string>;
    expect(envs['AWS_REGION']).toBe('us-east-1');
    expect(envs['AWS_DEFAULT_REGION']).toBe('us-east-1');
    expect(envs['ROLEMAP_ISSUED_ACCESS_KEY_ID']).toBe((json['awsCredentials'] as Record<string, string>)['ACCESS_KEY_ID']);
    const account = ACCOUNT_OF[unit.split('/')[0] ?? ''];
    const assumed = emulator.callLog().filter((c) => c.action === 'AssumeRole' && c.roleArn?.includes(`::${account}:`));
    expect(assumed.length).toBeGreaterThanOrEqual(1);
  });

  it('answers the same from inside .terragrunt-cache as from the unit', async () => {
    const inside = path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc/.terragrunt-cache/abc/def');
    fs.mkdirSync(inside, { recursive: true });
    try {
      const fromCache = await runRolemap(['explain', '--json'], { cwd: inside, env });
      const fromUnit = await runRolemap(['explain', '--json'], { cwd: path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc'), env });
      const unitPath = (out: string): unknown => (JSON.parse(out) as Record<string, unknown>)['unitPath'];
      expect([unitPath(fromCache.stdout), (JSON.parse(fromCache.stdout) as Record<string, unknown>)['roleArn']]).toStrictEqual([
        unitPath(fromUnit.stdout),
        'arn:aws:iam::111111111111:role/terragrunt',
      ]);
    } finally {
      fs.rmSync(path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc/.terragrunt-cache'), { recursive: true, force: true });
    }
  });

  it('with auth: delegate prints awsRole only, with roleSessionName and an integer duration', async () => {
    // A copy of the live tree whose mapping file says auth: delegate.
    const live = path.join(sandbox.home, 'delegate-live');
    fs.cpSync(EXAMPLES_LIVE, live, { recursive: true });
    const text = fs.readFileSync(path.join(live, 'rolemap.yaml'), 'utf8');
    fs.writeFileSync(path.join(live, 'rolemap.yaml'), text.replace('auth: auto', 'auth: delegate'));
    emulator.resetCalls();
    for (const unit of UNITS) {
      const run = await runRolemap([], { cwd: path.join(live, unit), env });
      expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
      const json = parseTerragruntJson(run.stdout);
      expect(Object.keys(json).sort()).toStrictEqual(['awsRole', 'envs']);
      const role = json['awsRole'] as Record<string, unknown>;
      expect(role['roleARN']).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT_OF[unit.split('/')[0] ?? '']}:role/terragrunt`));
      expect(role['duration']).toBe(3600);
      expect(role['roleSessionName']).toBe(`rolemap-${SANDBOX_USER}-plan`);
    }
    expect(emulator.callCounts()).toStrictEqual({});
  });

  /** What Terragrunt gives a dependency fetch: its env plus what rolemap returned for the dependent unit. */
  async function inheritedFrom(unit: string, base: Record<string, string>): Promise<Record<string, string>> {
    const dependent = await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, unit), env: base });
    const issued = parseTerragruntJson(dependent.stdout);
    const creds = issued['awsCredentials'] as Record<string, string>;
    return {
      ...base,
      ...(issued['envs'] as Record<string, string>),
      AWS_ACCESS_KEY_ID: creds['ACCESS_KEY_ID'] ?? '',
      AWS_SECRET_ACCESS_KEY: creds['SECRET_ACCESS_KEY'] ?? '',
      AWS_SESSION_TOKEN: creds['SESSION_TOKEN'] ?? '',
    };
  }

  it('a dependency fetch with env-key base credentials is answered from the cache, never by chaining', async () => {
    const inherited = await inheritedFrom('prod/us-east-1/app', env);
    await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, 'shared/dns'), env }); // discovery filled the cache
    emulator.resetCalls();
    const fetch = await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, 'shared/dns'), env: inherited });
    expect({ code: fetch.code, stderr: fetch.stderr, assumeCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 0, stderr: '', assumeCalls: 0 });
    const json = parseTerragruntJson(fetch.stdout);
    expect((json['envs'] as Record<string, string>)['ROLEMAP_BASE_IDENTITY']).toBe(`env:${SEED_DEVELOPER.accessKeyId}`);
  });

  it('a dependency fetch on a cache miss refuses to chain and says how to keep a base identity', async () => {
    const inherited = { ...(await inheritedFrom('prod/us-east-1/app', env)), ROLEMAP_NO_CACHE: '1' };
    emulator.resetCalls();
    const fetch = await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, 'shared/dns'), env: inherited });
    expect({ code: fetch.code, stdout: fetch.stdout, assumeCalls: emulator.calls('AssumeRole') }).toStrictEqual({ code: 1, stdout: '', assumeCalls: 0 });
    expect(fetch.stderr).toContain('rolemap never uses those as a base');
    expect(fetch.stderr).toContain('AWS_PROFILE');
  });

  it('a dependency fetch with a profile as base assumes the role as the developer, not as the dependent role', async () => {
    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(sandbox.home, '.aws/credentials'),
      `[base]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
    );
    const profileEnv: Record<string, string> = { ...sandbox.env, ...emulator.env(), AWS_PROFILE: 'base', ROLEMAP_NO_CACHE: '1' };
    const inherited = await inheritedFrom('prod/us-east-1/app', profileEnv);
    emulator.resetCalls();
    const fetch = await runRolemap([], { cwd: path.join(EXAMPLES_LIVE, 'shared/dns'), env: inherited });
    expect(fetch.code).toBe(0);
    const calls = emulator.callLog().filter((c) => c.action === 'AssumeRole');
    expect(calls.map((c) => ({ role: c.roleArn, caller: c.callerArn }))).toStrictEqual([
      { role: 'arn:aws:iam::444444444444:role/terragrunt-plan', caller: SEED_DEVELOPER.arn },
    ]);
  });
});
