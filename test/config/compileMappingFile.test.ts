import { compileMappingFile } from '../../src/config/compileMappingFile';
import { compileGlob } from '../../src/config/compileGlob';
import type { CompiledGlob, MappingSettings } from '../../src/config/types';
import { ConfigError } from '../../src/errors';
import { MALFORMED_MAPPINGS } from '../fixtures/malformedMappings';

const FILE = '/repo/rolemap.yaml';

function compileError(yaml: string): ConfigError {
  try {
    compileMappingFile(yaml, FILE);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function glob(text: string, literalSegments: number, line: number, column: number): CompiledGlob {
  const compiled = compileGlob(text);
  if (!compiled.ok) {
    throw new Error(compiled.message);
  }
  return { glob: text, regexSource: compiled.regexSource, regexFlags: '', literalSegments, position: { file: FILE, line, column } };
}

const DEFAULT_SETTINGS: MappingSettings = {
  region: undefined,
  durationSeconds: 3600,
  sessionNameTemplate: 'rolemap-{user}',
  auth: 'auto',
  minTtlSeconds: 900,
  externalId: undefined,
  sourceIdentityTemplate: undefined,
  tagTemplates: {},
  envs: {},
  webIdentity: { token: { kind: 'auto' }, audience: 'sts.amazonaws.com' },
};

describe('compileMappingFile', () => {
  it('has at least 18 malformed cases', () => {
    expect(MALFORMED_MAPPINGS.length).toBeGreaterThanOrEqual(18);
  });

  it.each(MALFORMED_MAPPINGS)('rejects $name at $line:$column', ({ yaml, line, column, messageIncludes }) => {
    const error = compileError(yaml);
    expect(error.position).toEqual({ file: FILE, line, column });
    expect(error.hint).toEqual(expect.stringMatching(/\S/));
    for (const text of messageIncludes) {
      expect(`${error.message}\n${error.hint ?? ''}`).toContain(text);
    }
  });

  it('reports every problem, the earliest first and the rest in `more` with their positions', () => {
    const error = compileError(
      [
        'version: 1',
        'accounts:',
        '  dev: 111111111111',
        'mappings:',
        '  - paths: ["/live/**"]',
        '    account: dev',
        '    role: terragrunt',
        '    duration: 10',
        '  - paths: ["live/prod/**"]',
        '    acount: prod',
        '    role: x',
        '',
      ].join('\n'),
    );
    const positions = [error.position, ...error.more.map((problem) => problem.position)];
    expect(positions).toEqual([
      { file: FILE, line: 3, column: 8 },
      { file: FILE, line: 5, column: 13 },
      { file: FILE, line: 8, column: 15 },
      { file: FILE, line: 10, column: 5 },
    ]);
    expect(error.more.every((problem) => (problem.hint ?? '') !== '')).toBe(true);
  });

  it('compiles a complete file to exactly the expected config', () => {
    const yaml = [
      'version: 1', // 1
      'accounts:',
      '  dev: "111111111111"',
      '  prod: "333333333333"',
      'defaults:', // 5
      '  region: us-east-1',
      '  duration: 7200',
      '  session_name: "tg-{user}-{mode}"',
      '  tags: {Team: platform, Who: "{user}"}',
      '  envs: {TF_VAR_org: acme}', // 10
      '  web_identity: {token: "env:CI_JOB_JWT"}',
      'modes: {local: apply, deploy_branch: release}',
      'sso: {start_url: "https://acme.awsapps.com/start", region: eu-west-1}',
      'overrides:',
      '  allow:', // 15
      '    - paths: ["live/dev/**"]',
      '    - accounts: [prod, "444444444444"]',
      '      roles: ["ReadOnly*"]',
      'unmatched: empty',
      'mappings:', // 20
      '  - paths: ["live/dev/**", "live/{sandbox,tmp}/*"]',
      '    account: dev',
      '    role: terragrunt',
      '  - paths: ["live/prod/**"]',
      '    account: prod', // 25
      '    role: {plan: tg-plan, apply: "arn:aws:iam::333333333333:role/deploy/tg-apply"}',
      '    duration: 3600',
      '    min_ttl: 600',
      '    auth: assume',
      '    external_id: ext-123', // 30
      '    source_identity: "{user}"',
      '    tags: {Who: "{user}@{branch}", Env: prod}',
      '    envs: {TF_VAR_env: prod, TF_VAR_replicas: 3}',
      '    web_identity: {audience: "sts.amazonaws.com.cn"}',
      '',
    ].join('\n');
    const readOnly = compileGlob('ReadOnly*');
    if (!readOnly.ok) {
      throw new Error(readOnly.message);
    }
    expect(compileMappingFile(yaml, FILE)).toEqual({
      file: FILE,
      dir: '/repo',
      version: 1,
      accounts: { dev: '111111111111', prod: '333333333333' },
      modes: { local: 'apply', deployBranches: [{ kind: 'name', name: 'release' }] },
      sso: { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' },
      ssoSessions: {},
      overridesAllow: [
        {
          index: 0,
          position: { file: FILE, line: 16, column: 7 },
          paths: [glob('live/dev/**', 2, 16, 15)],
          accountIds: [],
          rolePatterns: [],
        },
        {
          index: 1,
          position: { file: FILE, line: 17, column: 7 },
          paths: [],
          accountIds: ['333333333333', '444444444444'],
          rolePatterns: [{ pattern: 'ReadOnly*', regexSource: readOnly.regexSource, regexFlags: '' }],
        },
      ],
      unmatched: 'empty',
      mappings: [
        {
          index: 0,
          position: { file: FILE, line: 21, column: 5 },
          globs: [glob('live/dev/**', 2, 21, 13), glob('live/{sandbox,tmp}/*', 1, 21, 28)],
          accountId: '111111111111',
          accountName: 'dev',
          partition: 'aws',
          roles: {
            plan: { arn: 'arn:aws:iam::111111111111:role/terragrunt', name: 'terragrunt' },
            apply: { arn: 'arn:aws:iam::111111111111:role/terragrunt', name: 'terragrunt' },
          },
          settings: {
            region: 'us-east-1',
            durationSeconds: 7200,
            sessionNameTemplate: 'tg-{user}-{mode}',
            auth: 'auto',
            minTtlSeconds: 900,
            externalId: undefined,
            sourceIdentityTemplate: undefined,
            tagTemplates: { Team: 'platform', Who: '{user}' },
            envs: { TF_VAR_org: 'acme' },
            webIdentity: { token: { kind: 'env', name: 'CI_JOB_JWT' }, audience: 'sts.amazonaws.com' },
          },
        },
        {
          index: 1,
          position: { file: FILE, line: 24, column: 5 },
          globs: [glob('live/prod/**', 2, 24, 13)],
          accountId: '333333333333',
          accountName: 'prod',
          partition: 'aws',
          roles: {
            plan: { arn: 'arn:aws:iam::333333333333:role/tg-plan', name: 'tg-plan' },
            apply: { arn: 'arn:aws:iam::333333333333:role/deploy/tg-apply', name: 'tg-apply' },
          },
          settings: {
            region: 'us-east-1',
            durationSeconds: 3600,
            sessionNameTemplate: 'tg-{user}-{mode}',
            auth: 'assume',
            minTtlSeconds: 600,
            externalId: 'ext-123',
            sourceIdentityTemplate: '{user}',
            tagTemplates: { Team: 'platform', Who: '{user}@{branch}', Env: 'prod' },
            envs: { TF_VAR_org: 'acme', TF_VAR_env: 'prod', TF_VAR_replicas: '3' },
            webIdentity: { token: { kind: 'env', name: 'CI_JOB_JWT' }, audience: 'sts.amazonaws.com.cn' },
          },
        },
      ],
    });
  });

  it('applies the built-in defaults when nothing is set', () => {
    const config = compileMappingFile('version: 1\nmappings:\n  - {paths: ["x/**"], account: "111111111111", role: r}\n', FILE);
    expect(config.modes).toEqual({ local: undefined, deployBranches: [{ kind: 'name', name: 'main' }] });
    expect(config.unmatched).toBe('error');
    expect(config.sso).toBeUndefined();
    expect(config.overridesAllow).toEqual([]);
    expect(config.mappings[0]?.settings).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    ['a name', undefined, 'terragrunt', { arn: 'arn:aws:iam::111111111111:role/terragrunt', name: 'terragrunt' }, 'aws'],
    ['a path/name', undefined, 'ci/deploy/terragrunt', { arn: 'arn:aws:iam::111111111111:role/ci/deploy/terragrunt', name: 'terragrunt' }, 'aws'],
    ['a name in a China region', 'cn-north-1', 'terragrunt', { arn: 'arn:aws-cn:iam::111111111111:role/terragrunt', name: 'terragrunt' }, 'aws-cn'],
    ['a name in GovCloud', 'us-gov-west-1', 'terragrunt', { arn: 'arn:aws-us-gov:iam::111111111111:role/terragrunt', name: 'terragrunt' }, 'aws-us-gov'],
    ['an ARN', 'eu-west-1', 'arn:aws:iam::111111111111:role/x/tg', { arn: 'arn:aws:iam::111111111111:role/x/tg', name: 'tg' }, 'aws'],
    ['an aws-cn ARN in a China region', 'cn-northwest-1', 'arn:aws-cn:iam::111111111111:role/tg', { arn: 'arn:aws-cn:iam::111111111111:role/tg', name: 'tg' }, 'aws-cn'],
  ])('resolves a role given as %s', (_name, region, role, expected, partition) => {
    const regionLine = region === undefined ? '' : `    region: ${region}\n`;
    const yaml = `version: 1\nmappings:\n  - paths: ["x/**"]\n    account: "111111111111"\n${regionLine}    role: "${role}"\n`;
    const mapping = compileMappingFile(yaml, FILE).mappings[0];
    expect(mapping?.roles).toEqual({ plan: expected, apply: expected });
    expect(mapping?.partition).toBe(partition);
  });

  it.each([
    ['by name', 'dev', '111111111111', 'dev'],
    ['by an id that has a name', '"111111111111"', '111111111111', 'dev'],
    ['by an id without a name', '"999999999999"', '999999999999', undefined],
  ])('resolves an account given %s', (_name, account, accountId, accountName) => {
    const yaml = `version: 1\naccounts: {dev: "111111111111"}\nmappings:\n  - {paths: ["x/**"], account: ${account}, role: r}\n`;
    const mapping = compileMappingFile(yaml, FILE).mappings[0];
    expect([mapping?.accountId, mapping?.accountName]).toEqual([accountId, accountName]);
  });

  it('keeps env values exactly as written, whatever YAML would make of them', () => {
    const yaml =
      'version: 1\nmappings:\n  - paths: ["x/**"]\n    account: "111111111111"\n    role: r\n' +
      '    envs: {A: 1.10, B: true, C: 0777, D: "", E: text}\n';
    expect(compileMappingFile(yaml, FILE).mappings[0]?.settings.envs).toEqual({ A: '1.10', B: 'true', C: '0777', D: '', E: 'text' });
  });

  it('accepts auth: sso without an sso block, since the user config may supply one', () => {
    const yaml = 'version: 1\ndefaults: {auth: sso}\nmappings:\n  - {paths: ["x/**"], account: "111111111111", role: Admin}\n';
    expect(compileMappingFile(yaml, FILE).mappings[0]?.settings.auth).toBe('sso');
  });

  it('follows YAML anchors and aliases', () => {
    const yaml = [
      'version: 1',
      'mappings:',
      '  - {paths: ["a/**"], account: "111111111111", role: r, envs: &common {TF_VAR_org: acme}}',
      '  - {paths: ["b/**"], account: "111111111111", role: r, envs: *common}',
      '',
    ].join('\n');
    expect(compileMappingFile(yaml, FILE).mappings.map((m) => m.settings.envs)).toEqual([{ TF_VAR_org: 'acme' }, { TF_VAR_org: 'acme' }]);
  });

  it('returns a frozen config', () => {
    const config = compileMappingFile('version: 1\nmappings:\n  - {paths: ["x/**"], account: "111111111111", role: r}\n', FILE);
    expect([Object.isFrozen(config), Object.isFrozen(config.mappings[0]?.settings.envs)]).toEqual([true, true]);
  });

  it('reports an empty file at 1:1', () => {
    const error = compileError('');
    expect([error.message, error.position]).toEqual(['the mapping file is empty', { file: FILE, line: 1, column: 1 }]);
  });

  it('reports a file that is not a mapping', () => {
    const error = compileError('- a\n- b\n');
    expect(error.message).toBe('the file must be a mapping (indented `key: value` lines), got a list');
  });
});

describe('compileMappingFile size limits', () => {
  const header = 'version: 1\naccounts:\n  dev: "111111111111"\nmappings:\n';

  it('compiles a large file that shares blocks through aliases (500 mappings using one envs anchor)', () => {
    const entries = Array.from({ length: 500 }, (_, i) =>
      i === 0
        ? '  - {paths: ["u/0/**"], account: dev, role: tg, envs: &common {A: "1", B: "2", C: "3", D: "4", E: "5", F: "6", G: "7", H: "8"}}'
        : `  - {paths: ["u/${i}/**"], account: dev, role: tg, envs: *common}`,
    );
    expect(compileMappingFile(`${header}${entries.join('\n')}\n`, '/repo/rolemap.yaml').mappings).toHaveLength(500);
  });

  it.each<[string, string, string]>([
    ['aliases that double at every step', `${header}  - {paths: &p0 ["a"], account: dev, role: tg}\n${Array.from({ length: 20 }, (_, i) => `  - {paths: &p${i + 1} [*p${i}, *p${i}], account: dev, role: tg}`).join('\n')}\n`, 'YAML aliases in this file expand to more than 20000 values'],
    ['values nested 100 deep', `${header}  - paths: ${'['.repeat(100)}${']'.repeat(100)}\n`, 'values are nested more than 64 levels deep'],
    ['values nested 5,000 deep (beyond the parser)', `${header}  - paths: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'values are nested more than 64 levels deep'],
  ])('refuses %s with a position', (_, yaml, message) => {
    let thrown: unknown;
    try {
      compileMappingFile(yaml, '/repo/rolemap.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.message).toBe(message);
    expect(error.position?.file).toBe('/repo/rolemap.yaml');
    expect(error.position?.line).toBeGreaterThanOrEqual(5);
  });
});
