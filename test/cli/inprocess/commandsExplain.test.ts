import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { findUnits } from '../../../src/locate/findUnits';
import { runInProcess } from '../runInProcess';
import { EXAMPLES_LIVE, makeSandbox, SANDBOX_USER, type Sandbox } from '../sandbox';

const UNITS = findUnits(EXAMPLES_LIVE);
const MAPPING_FILE = path.join(EXAMPLES_LIVE, 'rolemap.yaml');
const OS_USER = SANDBOX_USER;

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

describe('rolemap explain in process, with no AWS reachable', () => {
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
    const run = await runInProcess(['explain'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
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
    const run = await runInProcess(['explain', '--json'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
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
    const run = await runInProcess(['explain', '--json', '--mode', 'apply'], { cwd: path.join(EXAMPLES_LIVE, unit), env });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, roleArn: report['roleArn'], mode: report['mode'], sessionName: report['sessionName'] }).toStrictEqual({
      code: 0,
      roleArn: `arn:aws:iam::${expected.account}:role/${expected.apply}`,
      mode: { mode: 'apply', source: 'flag', why: '--mode apply' },
      sessionName: `rolemap-${OS_USER}-apply`,
    });
  });

  type CiMode = { mode: string; source: string; why: string; ci: { system: string; recognisedBy: string[]; readFrom: string[] } };
  it.each<[string, Record<string, string>, CiMode, string, string]>([
    [
      'GitHub Actions: a push to the deploy branch applies',
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
      {
        mode: 'apply',
        source: 'github-actions',
        why: 'GitHub Actions build of the deploy branch main: apply',
        ci: { system: 'GitHub Actions', recognisedBy: ['GITHUB_ACTIONS=true'], readFrom: ['GITHUB_EVENT_NAME=push', 'GITHUB_REF=refs/heads/main'] },
      },
      'terragrunt-apply',
      'octocat',
    ],
    [
      'GitHub Actions: a pull request plans',
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
      {
        mode: 'plan',
        source: 'github-actions',
        why: 'GitHub Actions pull request #7: plan',
        ci: { system: 'GitHub Actions', recognisedBy: ['GITHUB_ACTIONS=true'], readFrom: ['GITHUB_EVENT_NAME=pull_request'] },
      },
      'terragrunt-plan',
      'octocat',
    ],
    [
      'GitHub Actions: a push to another branch plans',
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' },
      {
        mode: 'plan',
        source: 'github-actions',
        why: 'GitHub Actions build of the branch feature, not a deploy branch (main): plan',
        ci: { system: 'GitHub Actions', recognisedBy: ['GITHUB_ACTIONS=true'], readFrom: ['GITHUB_EVENT_NAME=push', 'GITHUB_REF=refs/heads/feature'] },
      },
      'terragrunt-plan',
      'octocat',
    ],
    [
      'Buildkite: a build of the deploy branch applies',
      { BUILDKITE: 'true', CI: 'true', BUILDKITE_BRANCH: 'main', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BUILD_CREATOR: 'kite' },
      {
        mode: 'apply',
        source: 'buildkite',
        why: 'Buildkite build of the deploy branch main: apply',
        ci: { system: 'Buildkite', recognisedBy: ['BUILDKITE=true'], readFrom: ['BUILDKITE_BRANCH=main'] },
      },
      'terragrunt-apply',
      'kite',
    ],
    [
      'CircleCI: a branch with a pull request plans',
      { CIRCLECI: 'true', CI: 'true', CIRCLE_BRANCH: 'feature', CIRCLE_PULL_REQUEST: 'https://github.com/acme/infra/pull/9', CIRCLE_USERNAME: 'carl' },
      {
        mode: 'plan',
        source: 'circleci',
        why: 'CircleCI pull request #9: plan',
        ci: { system: 'CircleCI', recognisedBy: ['CIRCLECI=true'], readFrom: ['CIRCLE_PULL_REQUEST=https://github.com/acme/infra/pull/9'] },
      },
      'terragrunt-plan',
      'carl',
    ],
    [
      'Azure Pipelines: a CI build of the deploy branch applies',
      { TF_BUILD: 'True', BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/main', BUILD_REQUESTEDFOR: 'Ada Azure' },
      {
        mode: 'apply',
        source: 'azure-pipelines',
        why: 'Azure Pipelines build of the deploy branch main: apply',
        ci: { system: 'Azure Pipelines', recognisedBy: ['TF_BUILD=True'], readFrom: ['BUILD_SOURCEBRANCH=refs/heads/main'] },
      },
      'terragrunt-apply',
      'Ada-Azure',
    ],
    [
      'Bitbucket Pipelines: a tag plans',
      { BITBUCKET_BUILD_NUMBER: '31', CI: 'true', BITBUCKET_TAG: 'v1.0' },
      {
        mode: 'plan',
        source: 'bitbucket-pipelines',
        why: 'Bitbucket Pipelines build of the tag v1.0, and a tag never applies: plan',
        ci: { system: 'Bitbucket Pipelines', recognisedBy: ['BITBUCKET_BUILD_NUMBER=31'], readFrom: ['BITBUCKET_TAG=v1.0'] },
      },
      'terragrunt-plan',
      OS_USER,
    ],
    [
      'Jenkins (no CI=true): a multibranch pull request plans',
      { JENKINS_URL: 'https://jenkins.example.com/', BUILD_ID: '153', BRANCH_NAME: 'PR-4', CHANGE_ID: '4', CHANGE_AUTHOR: 'jen' },
      {
        mode: 'plan',
        source: 'jenkins',
        why: 'Jenkins pull request #4: plan',
        ci: { system: 'Jenkins', recognisedBy: ['JENKINS_URL=https://jenkins.example.com/', 'BUILD_ID=153'], readFrom: ['CHANGE_ID=4'] },
      },
      'terragrunt-plan',
      'jen',
    ],
    [
      'Atlantis: the apply command applies',
      { ATLANTIS_TERRAFORM_VERSION: '1.9.8', COMMAND_NAME: 'apply', PULL_NUM: '4', USER_NAME: 'atlas' },
      {
        mode: 'apply',
        source: 'atlantis',
        why: 'Atlantis apply command: apply',
        ci: { system: 'Atlantis', recognisedBy: ['ATLANTIS_TERRAFORM_VERSION=1.9.8'], readFrom: ['COMMAND_NAME=apply'] },
      },
      'terragrunt-apply',
      'atlas',
    ],
  ])('in CI, %s; explain names the CI and its variables, and the developer config is not read', async (_title, ci, mode, role, user) => {
    // A developer config that would make everything apply and override roles, were it read.
    const userConfigFile = path.join(sandbox.home, 'ci-user-config.yaml');
    fs.writeFileSync(userConfigFile, 'version: 1\nmode: apply\noverrides:\n  - accounts: [stage]\n    role: ReadOnlyAccess\n');
    const ciEnv = { ...env, ROLEMAP_USER_CONFIG: userConfigFile, ...ci };
    const cwd = path.join(EXAMPLES_LIVE, 'prod/us-east-1/app');
    const run = await runInProcess(['explain', '--json'], { cwd, env: ciEnv });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, stderr: run.stderr, mode: report['mode'], roleArn: report['roleArn'], sessionName: report['sessionName'], userConfig: report['userConfig'] }).toStrictEqual({
      code: 0,
      stderr: '',
      mode,
      roleArn: `arn:aws:iam::333333333333:role/${role}`,
      sessionName: `rolemap-${user}-${mode.mode}`,
      userConfig: null,
    });
    const text = await runInProcess(['explain'], { cwd, env: ciEnv });
    const lines = text.stdout.split('\n');
    const modeAt = lines.findIndex((line) => line.startsWith('mode '));
    expect([...lines.slice(modeAt, modeAt + 2), ...lines.filter((line) => line.startsWith('your config '))]).toStrictEqual([
      `mode            ${mode.mode}  (${mode.why})`,
      `                CI ${mode.ci.system}, recognised by ${mode.ci.recognisedBy.join(' ')}; read ${mode.ci.readFrom.join(' ')}`,
      'your config     none read',
    ]);
  });

  it('reads the same developer config outside CI (the control for the CI table)', async () => {
    const userConfigFile = path.join(sandbox.home, 'local-user-config.yaml');
    fs.writeFileSync(userConfigFile, 'version: 1\nmode: apply\n');
    const run = await runInProcess(['explain', '--json'], { cwd: path.join(EXAMPLES_LIVE, 'prod/us-east-1/app'), env: { ...env, ROLEMAP_USER_CONFIG: userConfigFile } });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, mode: report['mode'], userConfig: report['userConfig'] }).toStrictEqual({
      code: 0,
      mode: { mode: 'apply', source: 'user-config', why: 'your config sets mode: apply' },
      userConfig: userConfigFile,
    });
  });

  it('says the cache is off when ROLEMAP_NO_CACHE is set', async () => {
    const run = await runInProcess(['explain'], { cwd: path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc'), env: { ...env, ROLEMAP_NO_CACHE: '1' } });
    expect({ code: run.code, cache: run.stdout.split('\n').filter((line) => line.startsWith('cache '))[0] }).toStrictEqual({
      code: 0,
      cache: 'cache           off (ROLEMAP_NO_CACHE is set)',
    });
  });

  it('says the way to AWS when HTTPS_PROXY or a CA bundle changes it, never the proxy password', async () => {
    const cwd = path.join(EXAMPLES_LIVE, 'dev/us-east-1/vpc');
    const networkLines = (stdout: string): string[] => {
      const lines = stdout.split('\n');
      const at = lines.findIndex((line) => line.startsWith('network '));
      return at === -1 ? [] : lines.slice(at, at + 2);
    };

    const plain = await runInProcess(['explain'], { cwd, env });
    expect({ code: plain.code, network: networkLines(plain.stdout) }).toStrictEqual({ code: 0, network: [] });

    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(sandbox.home, '.aws/config'), '[default]\nca_bundle = /etc/corp/proxy-ca.pem\n');
    const proxied = { ...env, AWS_CONFIG_FILE: path.join(sandbox.home, '.aws/config'), HTTPS_PROXY: 'http://build:s3cret@proxy.corp.example:3128', NO_PROXY: '.internal.example,10.0.0.1' };
    const text = await runInProcess(['explain'], { cwd, env: proxied });
    expect({ code: text.code, network: networkLines(text.stdout), secret: text.stdout.includes('s3cret') }).toStrictEqual({
      code: 0,
      network: [
        "network         through the proxy proxy.corp.example:3128 (HTTPS_PROXY), except NO_PROXY's .internal.example, 10.0.0.1",
        `                trusting only the certificates in /etc/corp/proxy-ca.pem (ca_bundle of profile default in ${path.join(sandbox.home, '.aws/config')})`,
      ],
      secret: false,
    });
    const json = await runInProcess(['explain', '--json'], { cwd, env: { ...proxied, AWS_CA_BUNDLE: '/etc/ssl/corp.pem' } });
    expect((JSON.parse(json.stdout) as Record<string, unknown>)['network']).toStrictEqual({
      proxy: 'proxy.corp.example:3128',
      noProxy: ['.internal.example', '10.0.0.1'],
      caBundle: { path: '/etc/ssl/corp.pem', from: 'AWS_CA_BUNDLE' },
    });

    const broken = await runInProcess(['explain'], { cwd, env: { ...env, HTTPS_PROXY: 'socks5://me:s3cret@127.0.0.1:1080' } });
    expect({ code: broken.code, network: networkLines(broken.stdout)[0], secret: broken.stdout.includes('s3cret') }).toStrictEqual({
      code: 0,
      network: 'network         HTTPS_PROXY names a socks5 proxy; rolemap goes through http:// and https:// proxies. A call that asks AWS fails (exit 2).',
      secret: false,
    });
    const relative = await runInProcess(['explain'], { cwd, env: { ...env, AWS_CA_BUNDLE: 'certs/proxy-ca.pem' } });
    expect(networkLines(relative.stdout)[0]).toBe(
      'network         AWS_CA_BUNDLE is "certs/proxy-ca.pem", which is not an absolute path. A call that asks AWS fails (exit 2).',
    );
  });

  it('explains a unit given as an argument, from anywhere', async () => {
    const run = await runInProcess(['explain', path.join(EXAMPLES_LIVE, 'stage/us-east-1/vpc'), '--json'], { cwd: sandbox.home, env });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ code: run.code, unitPath: report['unitPath'], roleArn: report['roleArn'] }).toStrictEqual({
      code: 0,
      unitPath: 'stage/us-east-1/vpc',
      roleArn: 'arn:aws:iam::222222222222:role/terragrunt-plan',
    });
  });
});
