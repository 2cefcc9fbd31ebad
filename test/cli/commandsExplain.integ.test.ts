import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { findUnits } from '../../src/locate/findUnits';
import { startEmulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { EXAMPLES_LIVE, makeSandbox, parseTerragruntJson, runRolemap, type Sandbox } from './runRolemap';

const UNITS = findUnits(EXAMPLES_LIVE);
const MAPPING_FILE = path.join(EXAMPLES_LIVE, 'rolemap.yaml');
const OS_USER = os.userInfo().username;

/** What examples/live/rolemap.yaml gives each top-level folder: account, mapping line, roles. */
const EXPECTED: Readonly<Record<string, { account: string; name: string; mapping: number; plan: string; apply: string }>> = {
  dev: { account: '111111111111', name: 'dev', mapping: 1, plan: 'terragrunt', apply: 'terragrunt' },
  stage: { account: '222222222222', name: 'stage', mapping: 2, plan: 'terragrunt-plan', apply: 'terragrunt-apply' },
  prod: { account: '333333333333', name: 'prod', mapping: 3, plan: 'terragrunt-plan', apply: 'terragrunt-apply' },
  shared: { account: '444444444444', name: 'shared', mapping: 4, plan: 'terragrunt-plan', apply: 'terragrunt-apply' },
};

function expectedFor(unit: string): (typeof EXPECTED)[string] {
  const expected = EXPECTED[unit.split('/')[0] ?? ''];
  if (expected === undefined) throw new Error(`no expectation for ${unit}`);
  return expected;
}

/** The 1-based line of the mapping for `name/**` in the example mapping file. */
function mappingLine(name: string): number {
  const lines = fs.readFileSync(MAPPING_FILE, 'utf8').split('\n');
  const mappings = lines.indexOf('mappings:');
  return lines.findIndex((line, i) => i > mappings && line.includes(`- paths: ["${name}/**"]`)) + 1;
}

/** A port on 127.0.0.1 that nothing listens on: any AWS call would fail to connect. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Access key ids (long-term AKIA, temporary ASIA) and the base secret must never be shown. */
function expectNoSecret(text: string): void {
  expect({ keyIds: text.match(/\b(AKIA|ASIA)[A-Z0-9]{4,}/g), secret: text.includes('base-secret-never-shown') }).toStrictEqual({
    keyIds: null,
    secret: false,
  });
}

describe('rolemap explain through dist/rolemap, with no AWS reachable', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = makeSandbox();
    env = {
      ...sandbox.env,
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${await closedPort()}`,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEBASEKEY01',
      AWS_SECRET_ACCESS_KEY: 'base-secret-never-shown',
    };
  });
  afterAll(() => sandbox.cleanup());

  it.each(UNITS)('%s: a readable report with the account, role ARN and mode; nothing on stderr', async (unit) => {
    const expected = expectedFor(unit);
    const run = await runRolemap(['explain'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')).toStrictEqual([
      `mapping file    ${MAPPING_FILE}  (found walking up from the unit)`,
      `unit            ${unit}  (dir ${path.join(EXAMPLES_LIVE, unit)})`,
      `candidates      #${expected.mapping} ${expected.name}/**  specificity 1  at ${MAPPING_FILE}:${mappingLine(expected.name)}  <- winner: the only mapping whose glob ${expected.name}/** matches`,
      'mode            plan  (modes.local is plan)',
      `account         ${expected.account} (${expected.name})`,
      `role            arn:aws:iam::${expected.account}:role/${expected.plan}`,
      `session name    rolemap-${OS_USER}-plan   duration 3600s   region us-east-1`,
      'auth            assume  (auth: auto, base credentials from environment keys)',
      'base            environment keys (AWS_ACCESS_KEY_ID, which win over AWS_PROFILE as in the AWS CLI)',
      '                identity env:****************EY01',
      'your config     none read',
      'overrides       none',
      'cache           miss: the next call obtains a credential',
      '',
    ]);
    expectNoSecret(run.stdout);
  });

  it.each(UNITS)('%s: --json holds the candidates with specificity and the winner', async (unit) => {
    const expected = expectedFor(unit);
    const run = await runRolemap(['explain', '--json'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    const at = `${MAPPING_FILE}:${mappingLine(expected.name)}`;
    expect({
      status: report['status'],
      unitPath: report['unitPath'],
      candidates: report['candidates'],
      winner: report['winner'],
      account: report['account'],
      roleArn: report['roleArn'],
      mode: report['mode'],
    }).toStrictEqual({
      status: 'matched',
      unitPath: unit,
      candidates: [{ mapping: expected.mapping, at, glob: `${expected.name}/**`, specificity: 1, winner: true }],
      winner: { mapping: expected.mapping, at, why: `the only mapping whose glob ${expected.name}/** matches` },
      account: { id: expected.account, name: expected.name },
      roleArn: `arn:aws:iam::${expected.account}:role/${expected.plan}`,
      mode: { mode: 'plan', source: 'mapping-file', why: 'modes.local is plan' },
    });
    expectNoSecret(run.stdout);
  });

  it.each(UNITS)('%s: --mode apply picks the apply role and says the flag decided', async (unit) => {
    const expected = expectedFor(unit);
    const run = await runRolemap(['explain', '--json', '--mode', 'apply'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, roleArn: report['roleArn'], mode: report['mode'], sessionName: report['sessionName'] }).toStrictEqual({
      code: 0,
      roleArn: `arn:aws:iam::${expected.account}:role/${expected.apply}`,
      mode: { mode: 'apply', source: 'flag', why: '--mode apply' },
      sessionName: `rolemap-${OS_USER}-apply`,
    });
  });

  it.each<[string, Record<string, string>, { mode: string; source: string; why: string }, string]>([
    [
      'a push to the deploy branch applies',
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
      { mode: 'apply', source: 'github-actions', why: 'GitHub Actions push on the deploy branch main: apply' },
      'terragrunt-apply',
    ],
    [
      'a pull request plans',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
      { mode: 'plan', source: 'github-actions', why: 'GitHub Actions pull_request event: plan' },
      'terragrunt-plan',
    ],
    [
      'a push to another branch plans',
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' },
      { mode: 'plan', source: 'github-actions', why: 'GitHub Actions push event on refs/heads/feature, not a push to main: plan' },
      'terragrunt-plan',
    ],
  ])('in GitHub Actions, %s', async (_title, github, mode, role) => {
    const ciEnv = { ...env, GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', ...github };
    const run = await runRolemap(['explain', '--json'], { cwd: path.join(EXAMPLES_LIVE, 'prod/us-east-1/app'), env: ciEnv });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, stderr: run.stderr, mode: report['mode'], roleArn: report['roleArn'], sessionName: report['sessionName'] }).toStrictEqual({
      code: 0,
      stderr: '',
      mode,
      roleArn: `arn:aws:iam::333333333333:role/${role}`,
      sessionName: `rolemap-octocat-${mode.mode}`,
    });
    const text = await runRolemap(['explain'], { cwd: path.join(EXAMPLES_LIVE, 'prod/us-east-1/app'), env: ciEnv });
    expect(text.stdout.split('\n').filter((line) => line.startsWith('mode '))).toStrictEqual([`mode            ${mode.mode}  (${mode.why})`]);
  });

  it('says the cache is off when ROLEMAP_NO_CACHE is set', async () => {
    const run = await runRolemap(['explain'], { cwd: path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc'), env: { ...env, ROLEMAP_NO_CACHE: '1' } });
    expect({ code: run.code, cache: run.stdout.split('\n').filter((line) => line.startsWith('cache '))[0] }).toStrictEqual({
      code: 0,
      cache: 'cache           off (ROLEMAP_NO_CACHE is set)',
    });
  });

  it('explains a unit given as an argument, from anywhere', async () => {
    const run = await runRolemap(['explain', path.join(EXAMPLES_LIVE, 'stage/us-east-1/vpc'), '--json'], { cwd: sandbox.home, env });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, unitPath: report['unitPath'], roleArn: report['roleArn'] }).toStrictEqual({
      code: 0,
      unitPath: 'stage/us-east-1/vpc',
      roleArn: 'arn:aws:iam::222222222222:role/terragrunt-plan',
    });
  });
});

describe('rolemap explain with a cached credential', () => {
  it('shows a cache hit and its time left, never the cached keys, and makes no AWS call', async () => {
    const emulator = await startEmulator();
    const sandbox = makeSandbox();
    try {
      const env = {
        ...sandbox.env,
        ...emulator.env(),
        AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
      };
      const cwd = path.join(EXAMPLES_LIVE, 'prod/us-east-1/app');
      const filled = await runRolemap([], { cwd, env });
      expect({ code: filled.code, stderr: filled.stderr }).toStrictEqual({ code: 0, stderr: '' });
      const creds = parseTerragruntJson(filled.stdout)['awsCredentials'] as Record<string, string>;
      emulator.resetCalls();

      const json = await runRolemap(['explain', '--json'], { cwd, env });
      const text = await runRolemap(['explain'], { cwd, env });
      const cache = (JSON.parse(json.stdout) as Record<string, unknown>)['cache'] as { status: string; expiresInSeconds: number };
      expect({ codes: [json.code, text.code], stderr: json.stderr + text.stderr, status: cache.status, calls: emulator.callCounts() }).toStrictEqual({
        codes: [0, 0],
        stderr: '',
        status: 'hit',
        calls: {},
      });
      // The emulator issues one-hour credentials; min_ttl is 900.
      expect(cache.expiresInSeconds).toBeGreaterThan(900);
      expect(cache.expiresInSeconds).toBeLessThanOrEqual(3600);
      // The text run came a moment later, so its seconds may differ from the JSON run's.
      expect(text.stdout.split('\n').filter((line) => line.startsWith('cache '))).toStrictEqual([
        expect.stringMatching(/^cache {11}hit, \d+s left$/),
      ]);
      for (const output of [json.stdout, text.stdout]) {
        expectNoSecret(output);
        expect([creds['ACCESS_KEY_ID'], creds['SECRET_ACCESS_KEY'], creds['SESSION_TOKEN']].filter((s) => s !== undefined && output.includes(s))).toStrictEqual([]);
      }
    } finally {
      sandbox.cleanup();
      await emulator.close();
    }
  });
});
