import { unresolvedError } from '../../src/cli/render/unresolvedError';
import { ConfigError } from '../../src/errors';
import {
  GITHUB_ENV,
  STANDARD_MAPPINGS,
  config,
  mappingYaml,
  resolve,
  resolveMatched,
  resolveMatchedAs,
  userConfig,
} from './fixtures';

describe('resolveRequest: matching', () => {
  it('resolves a unit to the mapped account, role ARN and mode', () => {
    const request = resolveMatched({ config: config(STANDARD_MAPPINGS), unitPath: 'live/dev/us-east-1/vpc' });
    expect({
      accountId: request.accountId,
      accountName: request.accountName,
      roleArn: request.roleArn,
      roleName: request.roleName,
      mode: request.mode.mode,
      region: request.settings.region,
      durationSeconds: request.settings.durationSeconds,
    }).toStrictEqual({
      accountId: '111111111111',
      accountName: 'dev',
      roleArn: 'arn:aws:iam::111111111111:role/terragrunt',
      roleName: 'terragrunt',
      mode: 'plan',
      region: 'us-east-1',
      durationSeconds: 3600,
    });
  });

  it.each([
    ['plan', 'arn:aws:iam::333333333333:role/terragrunt-plan'],
    ['apply', 'arn:aws:iam::333333333333:role/terragrunt-apply'],
  ] as const)('picks the %s role of a {plan, apply} mapping', (mode, arn) => {
    const request = resolveMatched({ config: config(STANDARD_MAPPINGS), unitPath: 'live/prod/app', modeFlag: mode });
    expect(request.roleArn).toBe(arn);
  });

  it('uses a single role name in both modes', () => {
    const cfg = config(STANDARD_MAPPINGS);
    const plan = resolveMatched({ config: cfg, unitPath: 'live/dev/app', modeFlag: 'plan' });
    const apply = resolveMatched({ config: cfg, unitPath: 'live/dev/app', modeFlag: 'apply' });
    expect([plan.roleArn, apply.roleArn]).toStrictEqual([
      'arn:aws:iam::111111111111:role/terragrunt',
      'arn:aws:iam::111111111111:role/terragrunt',
    ]);
  });

  it.each([
    // [unit, expected account] — the mapping with more literal segments wins, whatever the order.
    ['live/prod/us-east-1/vpc', '333333333333'],
    ['live/prod/eu-west-1/vpc', '222222222222'],
    ['live/prod/us-east-1/special/db', '111111111111'],
  ])('the most specific glob wins for %s', (unitPath, accountId) => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: stage
    role: broad
  - paths: ["live/prod/us-east-1/**"]
    account: prod
    role: narrow
  - paths: ["live/prod/*/special/db"]
    account: dev
    role: special
`),
    );
    expect(resolveMatched({ config: cfg, unitPath }).accountId).toBe(accountId);
  });

  it('lists every candidate with its specificity, most specific first', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: stage
    role: broad
  - paths: ["live/prod/**"]
    account: prod
    role: narrow
`),
    );
    const result = resolve({ config: cfg, unitPath: 'live/prod/vpc' });
    if (result.status !== 'matched') throw new Error(result.status);
    expect(result.candidates.map((c) => [c.mapping.index, c.glob.glob, c.literalSegments])).toStrictEqual([
      [1, 'live/prod/**', 2],
      [0, 'live/**', 1],
    ]);
  });

  it('reports a tie between mappings that resolve differently as ambiguous, naming both', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/*/vpc"]
    account: dev
    role: terragrunt
  - paths: ["live/prod/*"]
    account: prod
    role: terragrunt
`),
    );
    const result = resolve({ config: cfg, unitPath: 'live/prod/vpc' });
    if (result.status !== 'ambiguous') throw new Error(result.status);
    expect(result.candidates.map((c) => [c.mapping.index, c.mapping.position.line])).toStrictEqual([
      [0, 11],
      [1, 14],
    ]);
  });

  it('accepts a tie between mappings that resolve alike', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/*/vpc"]
    account: dev
    role: terragrunt
  - paths: ["live/dev/*"]
    account: dev
    role: terragrunt
`),
    );
    expect(resolveMatched({ config: cfg, unitPath: 'live/dev/vpc' }).mapping.index).toBe(0);
  });

  it('reports no match with the nearest globs', () => {
    const result = resolve({ config: config(STANDARD_MAPPINGS), unitPath: 'live/stage/vpc' });
    if (result.status !== 'unmatched') throw new Error(result.status);
    expect(result.emptyAllowed).toBe(false);
    expect(result.nearest.map((g) => g.glob)).toStrictEqual(['live/dev/**', 'live/prod/**']);
  });

  it('marks an unmatched unit as allowed when the file says unmatched: empty', () => {
    const cfg = config(`${STANDARD_MAPPINGS}\nunmatched: empty\n`);
    const result = resolve({ config: cfg, unitPath: 'other/thing' });
    expect(result.status === 'unmatched' && result.emptyAllowed).toBe(true);
  });

  it('takes the account of a full role ARN and keeps the ARN as written', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/prod/**"]
    account: prod
    role: arn:aws:iam::333333333333:role/deploy/terragrunt-admin
`),
    );
    const request = resolveMatched({ config: cfg, unitPath: 'live/prod/vpc' });
    expect([request.roleArn, request.roleName]).toStrictEqual([
      'arn:aws:iam::333333333333:role/deploy/terragrunt-admin',
      'terragrunt-admin',
    ]);
  });

  it.each([
    ['cn-north-1', 'arn:aws-cn:iam::111111111111:role/ops/terragrunt'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:role/ops/terragrunt'],
    ['eu-west-1', 'arn:aws:iam::111111111111:role/ops/terragrunt'],
  ])('builds a path/name role ARN in the partition of %s', (region, arn) => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: dev
    role: ops/terragrunt
    region: ${region}
`),
    );
    expect(resolveMatched({ config: cfg, unitPath: 'live/x' }).roleArn).toBe(arn);
  });
});

describe('resolveRequest: templates', () => {
  const templated = (sessionName: string, extra = ''): string =>
    mappingYaml(`
  - paths: ["live/prod/**"]
    account: prod
    role:
      plan: terragrunt-plan
      apply: terragrunt-apply
    session_name: "${sessionName}"
${extra}`);

  it('fills every placeholder from the OS and CI environment, sanitised', () => {
    const cfg = config(templated('{user}.{mode}.{account}.{account_name}.{role}.{ci_run}.{pr}'));
    const request = resolveMatched({
      config: cfg,
      unitPath: 'live/prod/vpc',
      env: { ...GITHUB_ENV, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge', GITHUB_HEAD_REF: 'fix/x' },
    });
    expect(request.sessionName).toBe('octocat.plan.333333333333.prod.terragrunt-plan.987654.42');
  });

  it('uses the OS user locally and replaces characters STS refuses', () => {
    const cfg = config(templated('rolemap-{user}-{unit}'));
    const request = resolveMatched({ config: cfg, unitPath: 'live/prod/us east/vpc', osUser: 'Alice Smith' });
    expect(request.sessionName).toBe('rolemap-Alice-Smith-live-prod-us-east-vpc');
  });

  it('fills {branch} and {pr} from GitLab', () => {
    const cfg = config(templated('{user}-{branch}-{pr}-{ci_run}'));
    const request = resolveMatched({
      config: cfg,
      unitPath: 'live/prod/vpc',
      env: { CI: 'true', GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'gl-bob', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feat/y', CI_PIPELINE_ID: '555' },
    });
    expect(request.sessionName).toBe('gl-bob-feat-y-7-555');
  });

  it('cuts a long session name to 64 characters', () => {
    const cfg = config(templated('rolemap-{unit}'));
    const request = resolveMatched({ config: cfg, unitPath: `live/prod/${'a'.repeat(80)}` });
    expect(request.sessionName).toBe(`rolemap-live-prod-${'a'.repeat(80)}`.slice(0, 64));
    expect(request.sessionName).toHaveLength(64);
  });

  it('refuses a session name that fills to fewer than 2 characters', () => {
    const cfg = config(templated('{pr}'));
    const result = resolve({ config: cfg, unitPath: 'live/prod/vpc' });
    expect(result).toMatchObject({ status: 'bad-name', key: 'session_name', value: '' });
    if (result.status !== 'bad-name') return;
    expect(unresolvedError(result)).toBeInstanceOf(ConfigError);
    expect(unresolvedError(result).message).toBe('session_name for unit live/prod/vpc came out as "", but STS needs 2 to 64 characters.');
  });

  it('fills source_identity and tags, and sorts tags by key', () => {
    const cfg = config(
      templated(
        'rolemap-{user}',
        `    source_identity: "{user}"
    tags:
      Unit: "{unit}"
      Mode: "{mode}"`,
      ),
    );
    const request = resolveMatched({ config: cfg, unitPath: 'live/prod/vpc', osUser: 'alice', modeFlag: 'apply' });
    expect({ sourceIdentity: request.sourceIdentity, tags: request.tags }).toStrictEqual({
      sourceIdentity: 'alice',
      tags: [
        { Key: 'Mode', Value: 'apply' },
        { Key: 'Unit', Value: 'live-prod-vpc' },
      ],
    });
  });
});

describe('resolveRequest: developer overrides', () => {
  const withAllow = mappingYaml(
    `
  - paths: ["live/dev/**"]
    account: dev
    role: terragrunt
  - paths: ["live/stage/**"]
    account: stage
    role: terragrunt
  - paths: ["live/prod/**"]
    account: prod
    role: terragrunt
`,
    `overrides:
  allow:
    - paths: ["live/dev/**"]
    - accounts: [stage]
      roles: ["ReadOnly*"]
`,
  );

  const mine = userConfig(`version: 1
mode: apply
sso: {start_url: https://acme.awsapps.com/start, region: us-east-1}
overrides:
  - paths: ["live/dev/**"]
    role: AdministratorAccess
    auth: sso
  - accounts: [stage]
    role: ReadOnlyAccess
  - accounts: [prod]
    role: AdministratorAccess
`);

  it('applies an override where a path rule allows it', () => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/dev/vpc' });
    expect({
      roleArn: request.roleArn,
      auth: request.auth,
      overrides: request.overrides.map((o) => o.status),
    }).toStrictEqual({
      roleArn: 'arn:aws:iam::111111111111:role/AdministratorAccess',
      auth: 'sso',
      overrides: ['applied'],
    });
  });

  it('applies an override where an account rule with a matching role pattern allows it', () => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/stage/vpc' });
    expect(request.roleArn).toBe('arn:aws:iam::222222222222:role/ReadOnlyAccess');
  });

  it('refuses an override no allow rule covers, and says which rule is missing', () => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/prod/vpc' });
    expect(request.roleArn).toBe('arn:aws:iam::333333333333:role/terragrunt');
    const [decision] = request.overrides;
    expect(decision?.status).toBe('refused');
    expect(decision?.why).toContain('live/prod/vpc');
    expect(decision?.why).toContain('accounts: [prod]');
  });

  it('refuses a role that the account rule does not allow', () => {
    const greedy = userConfig(`version: 1
overrides:
  - accounts: [stage]
    role: AdministratorAccess
`);
    const request = resolveMatched({ config: config(withAllow), userConfig: greedy, unitPath: 'live/stage/vpc' });
    expect([request.roleArn, request.overrides[0]?.status]).toStrictEqual([
      'arn:aws:iam::222222222222:role/terragrunt',
      'refused',
    ]);
  });

  it('refuses every override when the mapping file allows none', () => {
    const request = resolveMatched({ config: config(STANDARD_MAPPINGS), userConfig: mine, unitPath: 'live/dev/vpc' });
    expect(request.roleArn).toBe('arn:aws:iam::111111111111:role/terragrunt');
    expect(request.overrides[0]?.why).toContain('no overrides.allow');
  });

  it('uses the developer mode locally', () => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/prod/vpc' });
    expect(request.mode.source).toBe('user-config');
  });

  it('ignores the user config entirely in CI', () => {
    const request = resolveMatched({ config: config(withAllow), userConfig: mine, unitPath: 'live/dev/vpc', env: { CI: 'true' } });
    expect({
      roleArn: request.roleArn,
      overrides: request.overrides,
      mode: request.mode.source,
      userConfigFile: request.userConfigFile,
    }).toStrictEqual({
      roleArn: 'arn:aws:iam::111111111111:role/terragrunt',
      overrides: [],
      mode: 'ci',
      userConfigFile: undefined,
    });
  });
});

describe('resolveRequest: auth', () => {
  const autoWithSso = mappingYaml(
    `
  - paths: ["live/**"]
    account: dev
    role: terragrunt
`,
    `sso:
  start_url: https://acme.awsapps.com/start
  region: us-east-1
`,
  );

  it.each([
    ['web identity in CI with a GitHub token', { CI: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, 'web-identity'],
    ['web identity in CI with a token file', { CI: 'true', AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/t' }, 'web-identity'],
    ['not web identity outside CI', { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, 'sso'],
    ['sso when configured and no base credentials', {}, 'sso'],
    ['assume when environment keys are set', { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, 'assume'],
    ['assume when AWS_PROFILE is set', { AWS_PROFILE: 'base' }, 'assume'],
  ])('auto picks %s', (_name, env, auth) => {
    expect(resolveMatched({ config: config(autoWithSso), unitPath: 'live/x', env }).auth).toBe(auth);
  });

  it('auto picks assume when SSO is not configured', () => {
    expect(resolveMatched({ config: config(STANDARD_MAPPINGS), unitPath: 'live/dev/x' }).auth).toBe('assume');
  });

  it('auto picks assume when the developer names a source_profile', () => {
    const mine = userConfig('version: 1\nsource_profile: base\n');
    const request = resolveMatchedAs('assume', { config: config(autoWithSso), userConfig: mine, unitPath: 'live/x' });
    expect([request.auth, request.sourceProfile]).toStrictEqual(['assume', 'base']);
  });

  it('keeps an explicit auth kind', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: dev
    role: terragrunt
    auth: delegate
`),
    );
    expect(resolveMatched({ config: cfg, unitPath: 'live/x', env: { CI: 'true', AWS_WEB_IDENTITY_TOKEN_FILE: '/t' } }).auth).toBe('delegate');
  });
});

describe('resolveRequest: override roles', () => {
  const allowAll = mappingYaml(
    `
  - paths: ["live/dev/**"]
    account: dev
    role: terragrunt
`,
    `overrides:
  allow:
    - paths: ["live/dev/**"]
`,
  );

  it('refuses an override whose role ARN is in another account', () => {
    const mine = userConfig(`version: 1
overrides:
  - paths: ["live/dev/**"]
    role: arn:aws:iam::333333333333:role/Admin
`);
    const request = resolveMatched({ config: config(allowAll), userConfig: mine, unitPath: 'live/dev/vpc' });
    expect([request.roleArn, request.overrides[0]?.status]).toStrictEqual(['arn:aws:iam::111111111111:role/terragrunt', 'refused']);
    expect(request.overrides[0]?.why).toContain('333333333333');
  });

  it('resolves an override path/name role in the unit account', () => {
    const mine = userConfig(`version: 1
overrides:
  - paths: ["live/dev/**"]
    role: team/Admin
`);
    const request = resolveMatched({ config: config(allowAll), userConfig: mine, unitPath: 'live/dev/vpc' });
    expect([request.roleArn, request.roleName]).toStrictEqual(['arn:aws:iam::111111111111:role/team/Admin', 'Admin']);
  });
});

describe('resolveRequest: auth: sso without sso settings', () => {
  it('is a configuration error at the mapping, before any AWS call', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: dev
    role: AdministratorAccess
    auth: sso
`),
    );
    const result = resolve({ config: cfg, unitPath: 'live/x' });
    expect(result.status).toBe('no-sso-portal');
    if (result.status !== 'no-sso-portal') return;
    const error = unresolvedError(result);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).position?.line).toBe(11);
    expect(error.hint).toContain('start_url');
  });

  it('is fine when the developer config supplies them', () => {
    const cfg = config(
      mappingYaml(`
  - paths: ["live/**"]
    account: dev
    role: AdministratorAccess
    auth: sso
`),
    );
    const mine = userConfig('version: 1\nsso: {start_url: https://acme.awsapps.com/start, region: eu-west-1}\n');
    expect(resolveMatchedAs('sso', { config: cfg, userConfig: mine, unitPath: 'live/x' }).sso).toStrictEqual({
      startUrl: 'https://acme.awsapps.com/start',
      region: 'eu-west-1',
    });
  });
});
