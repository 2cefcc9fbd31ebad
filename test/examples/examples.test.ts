/**
 * The CI and IAM examples users copy: every trust policy is a valid IAM policy document that
 * says what examples/iam/README.md says, and the CI files use OIDC, never static keys.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const IAM_DIR = path.join(EXAMPLES, 'iam');
const CI_DIR = path.join(EXAMPLES, 'ci');
const POLICY_FILES = fs.readdirSync(IAM_DIR).filter((name) => name.endsWith('.json')).sort();
const CI_FILES = fs.readdirSync(CI_DIR).filter((name) => name.endsWith('.yml')).sort();
/** An AWS access key id of a long-term IAM user key. */
const STATIC_ACCESS_KEY = /AKIA[0-9A-Z]{16}/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPolicy(name: string): Json {
  const parsed: unknown = JSON.parse(fs.readFileSync(path.join(IAM_DIR, name), 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${name} is not a JSON object`);
  return parsed;
}

function statements(policy: Json): Json[] {
  const list = policy['Statement'];
  if (!Array.isArray(list)) throw new Error('Statement is not an array');
  return list.filter(isRecord);
}

function readCi(name: string): { text: string; doc: Json } {
  const text = fs.readFileSync(path.join(CI_DIR, name), 'utf8');
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error(`${name} is not a YAML mapping`);
  return { text, doc };
}

/** The federated principal and the conditions of a CI trust policy's single statement. */
function oidcTrust(name: string): { provider: unknown; condition: unknown } {
  const [statement] = statements(readPolicy(name));
  return { provider: (statement?.['Principal'] as Json | undefined)?.['Federated'], condition: statement?.['Condition'] };
}

describe('examples/iam trust policies', () => {
  it('holds the seven documented policies', () => {
    expect(POLICY_FILES).toStrictEqual([
      'apply-role-trust-buildkite.json',
      'apply-role-trust-github.json',
      'apply-role-trust-gitlab.json',
      'developer-trust.json',
      'plan-role-trust-buildkite.json',
      'plan-role-trust-github.json',
      'plan-role-trust-gitlab.json',
    ]);
  });

  it('lists every policy in examples/iam/README.md', () => {
    const readme = fs.readFileSync(path.join(IAM_DIR, 'README.md'), 'utf8');
    expect(POLICY_FILES.filter((name) => !readme.includes(`(${name})`))).toStrictEqual([]);
  });

  it.each(POLICY_FILES)('%s is an IAM policy: Version 2012-10-17, each statement with Effect, Action and Principal', (name) => {
    const policy = readPolicy(name);
    expect(policy['Version']).toBe('2012-10-17');
    const list = statements(policy);
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBe((policy['Statement'] as unknown[]).length);
    for (const statement of list) {
      expect(statement['Effect']).toBe('Allow');
      const actions = ([] as unknown[]).concat(statement['Action']);
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions) expect(action).toMatch(/^sts:[A-Za-z]+$/);
      expect(isRecord(statement['Principal'])).toBe(true);
    }
  });

  it.each([
    [
      'plan-role-trust-github.json',
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:*' },
      },
    ],
    [
      'apply-role-trust-github.json',
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main',
        },
      },
    ],
    [
      'plan-role-trust-gitlab.json',
      'arn:aws:iam::111111111111:oidc-provider/gitlab.com',
      { StringEquals: { 'gitlab.com:aud': 'sts.amazonaws.com' }, StringLike: { 'gitlab.com:sub': 'project_path:acme/infra:*' } },
    ],
    [
      'apply-role-trust-gitlab.json',
      'arn:aws:iam::111111111111:oidc-provider/gitlab.com',
      {
        StringEquals: {
          'gitlab.com:aud': 'sts.amazonaws.com',
          'gitlab.com:sub': 'project_path:acme/infra:ref_type:branch:ref:main',
        },
      },
    ],
    [
      'plan-role-trust-buildkite.json',
      'arn:aws:iam::111111111111:oidc-provider/agent.buildkite.com',
      { StringEquals: { 'agent.buildkite.com:aud': 'sts.amazonaws.com' }, StringLike: { 'agent.buildkite.com:sub': 'organization:acme:pipeline:infra:*' } },
    ],
    [
      'apply-role-trust-buildkite.json',
      'arn:aws:iam::111111111111:oidc-provider/agent.buildkite.com',
      {
        StringEquals: { 'agent.buildkite.com:aud': 'sts.amazonaws.com' },
        // Buildkite's sub goes on after the ref (commit, step), so only what follows main is open.
        StringLike: { 'agent.buildkite.com:sub': 'organization:acme:pipeline:infra:ref:refs/heads/main:*' },
      },
    ],
  ])('%s trusts its OIDC provider with exactly these aud and sub conditions (apply roles: main only)', (name, provider, condition) => {
    expect(oidcTrust(name)).toStrictEqual({ provider, condition });
  });

  it('developer-trust.json lets base-account principals assume, set a source identity and tag the session', () => {
    const list = statements(readPolicy('developer-trust.json'));
    expect(list.map((s) => [s['Action'], (s['Principal'] as Json)['AWS']])).toStrictEqual([
      ['sts:AssumeRole', 'arn:aws:iam::999999999999:root'],
      ['sts:SetSourceIdentity', 'arn:aws:iam::999999999999:root'],
      ['sts:TagSession', 'arn:aws:iam::999999999999:root'],
    ]);
  });
});

describe('examples/ci workflows', () => {
  it('holds GitHub Actions, GitLab CI and Buildkite, each linked from the README', () => {
    const readme = fs.readFileSync(path.resolve(EXAMPLES, '..', 'README.md'), 'utf8');
    expect([CI_FILES, CI_FILES.filter((name) => !readme.includes(`(examples/ci/${name})`))]).toStrictEqual([
      ['buildkite-pipeline.yml', 'github-actions.yml', 'gitlab-ci.yml'],
      [],
    ]);
  });

  it.each(CI_FILES)('%s holds no static AWS access key or secret variable', (name) => {
    const { text } = readCi(name);
    expect(text).not.toMatch(STATIC_ACCESS_KEY);
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
  });

  it.each(CI_FILES)('%s points Terragrunt at rolemap and runs plan and apply over all units', (name) => {
    const { text } = readCi(name);
    expect(text).toMatch(/TG_AUTH_PROVIDER_CMD=\S*dist\/rolemap/);
    expect(text).toContain('terragrunt run --all plan');
    expect(text).toContain('terragrunt run --all apply');
    // The mode is rolemap's to decide: the workflow never forces it.
    expect(text).not.toMatch(/ROLEMAP_MODE|--mode/);
  });

  it('github-actions.yml asks for an OIDC token (id-token: write), plans on pull requests and applies on pushes to main', () => {
    const { text, doc } = readCi('github-actions.yml');
    expect(text).toContain('id-token: write');
    expect(doc['permissions']).toStrictEqual({ 'id-token': 'write', contents: 'read' });
    expect(doc['on']).toStrictEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
    const jobs = doc['jobs'] as Record<string, { steps: Json[] }>;
    const steps = Object.values(jobs).flatMap((job) => job.steps);
    const apply = steps.find((step) => step['run'] === 'terragrunt run --all apply');
    expect(apply?.['if']).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(steps.find((s) => s['uses'] === 'actions/setup-node@v4')?.['with']).toMatchObject({ 'node-version': 20 });
  });

  it('gitlab-ci.yml gives its jobs an id_tokens GITLAB_OIDC_TOKEN for sts.amazonaws.com, plans merge requests and applies main', () => {
    const { text, doc } = readCi('gitlab-ci.yml');
    expect(text).toContain('id_tokens');
    const template = doc['.terragrunt'] as Json;
    expect(template['id_tokens']).toStrictEqual({ GITLAB_OIDC_TOKEN: { aud: 'sts.amazonaws.com' } });
    expect(template['image']).toMatch(/^node:20/);
    const rules = (job: string): unknown => (doc[job] as Json)['rules'];
    expect([rules('plan'), rules('apply')]).toStrictEqual([
      [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }],
      [{ if: '$CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"' }],
    ]);
    for (const job of ['plan', 'apply']) expect((doc[job] as Json)['extends']).toBe('.terragrunt');
  });

  it('buildkite-pipeline.yml asks the agent for an sts.amazonaws.com token at run time, plans everywhere and applies main outside pull requests', () => {
    const { text, doc } = readCi('buildkite-pipeline.yml');
    const steps = doc['steps'] as Json[];
    const commands = steps.map((step) => String(step['command']));
    for (const command of commands) {
      // `$$` so that Buildkite leaves the substitution to the step's shell instead of expanding it at upload.
      expect(command).toContain('export ROLEMAP_WEB_IDENTITY_TOKEN="$$(buildkite-agent oidc request-token --audience sts.amazonaws.com --lifetime 3600)"');
      expect(command).toContain('export TG_AUTH_PROVIDER_CMD="$$PWD/tools/rolemap/dist/rolemap"');
    }
    expect(text).not.toMatch(/[^$]\$\(|[^$]\$PWD/);
    expect(steps.map((step) => [step['key'], step['if'] ?? null, step['depends_on'] ?? null])).toStrictEqual([
      ['plan', null, null],
      ['apply', 'build.branch == "main" && build.pull_request.id == null', 'plan'],
    ]);
    expect([commands[0]?.includes('terragrunt run --all plan'), commands[1]?.includes('terragrunt run --all apply')]).toStrictEqual([true, true]);
  });
});
