import { compileGlob } from '../../src/config/compileGlob';
import { compileUserConfig } from '../../src/config/compileUserConfig';
import { ConfigError } from '../../src/errors';

const FILE = '/home/dev/.config/rolemap/config.yaml';

function compileError(yaml: string): ConfigError {
  try {
    compileUserConfig(yaml, FILE);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function regexSource(glob: string): string {
  const compiled = compileGlob(glob);
  if (!compiled.ok) {
    throw new Error(compiled.message);
  }
  return compiled.regexSource;
}

describe('compileUserConfig', () => {
  it('compiles the documented example to exactly the expected config', () => {
    const yaml = [
      'version: 1',
      'mode: apply',
      'sso: {start_url: https://acme.awsapps.com/start, region: us-east-1}',
      'source_profile: base',
      'overrides:',
      '  - paths: ["live/dev/**"]',
      '    role: AdministratorAccess',
      '    auth: sso',
      '  - accounts: [stage, "222222222222"]',
      '    role: ReadOnlyAccess',
      '  - auth: assume',
      '',
    ].join('\n');
    expect(compileUserConfig(yaml, FILE)).toEqual({
      file: FILE,
      version: 1,
      mode: 'apply',
      sso: { startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' },
      sourceProfile: 'base',
      baseProfiles: [],
      overrides: [
        {
          index: 0,
          position: { file: FILE, line: 6, column: 5 },
          paths: [
            {
              glob: 'live/dev/**',
              regexSource: regexSource('live/dev/**'),
              regexFlags: '',
              literalSegments: 2,
              position: { file: FILE, line: 6, column: 13 },
            },
          ],
          accounts: [],
          role: 'AdministratorAccess',
          auth: 'sso',
        },
        {
          index: 1,
          position: { file: FILE, line: 9, column: 5 },
          paths: [],
          accounts: ['stage', '222222222222'],
          role: 'ReadOnlyAccess',
          auth: undefined,
        },
        { index: 2, position: { file: FILE, line: 11, column: 5 }, paths: [], accounts: [], role: undefined, auth: 'assume' },
      ],
    });
  });

  it('leaves everything unset in a config that only has a version', () => {
    expect(compileUserConfig('version: 1\n', FILE)).toEqual({
      file: FILE,
      version: 1,
      mode: undefined,
      sso: undefined,
      sourceProfile: undefined,
      baseProfiles: [],
      overrides: [],
    });
  });

  it.each([
    ['an empty file', '', 1, 1, ['the rolemap user config is empty']],
    ['version missing', 'mode: plan\n', 1, 1, ['the file has no `version`', 'version: 1']],
    ['an unsupported version', 'version: 3\n', 1, 10, ['`version` 3 is not supported']],
    ['a misspelt key', 'version: 1\noverides: []\n', 2, 1, ['unknown key `overides`', 'did you mean `overrides`?']],
    ['role at the top level', 'version: 1\nrole: Admin\n', 2, 1, ['`role` is not allowed at the top level', 'entry of `overrides:`']],
    ['an unknown mode', 'version: 1\nmode: aply\n', 2, 7, ['"aply", which is not one of plan, apply', 'did you mean `mode: apply`?']],
    ['sso without https', 'version: 1\nsso:\n  start_url: acme.awsapps.com/start\n  region: us-east-1\n', 3, 14, ['is not an https URL']],
    ['sso without a region', 'version: 1\nsso:\n  start_url: https://acme.awsapps.com/start\n', 3, 3, ['`sso` has no `region`']],
    ['a profile name with a space', 'version: 1\nsource_profile: "my profile"\n', 2, 17, ['is not an AWS profile name']],
    ['an override that changes nothing', 'version: 1\noverrides:\n  - paths: ["live/**"]\n', 3, 5, ['`overrides[0]` changes nothing', '`role` and/or `auth`']],
    ['an invalid role', 'version: 1\noverrides:\n  - role: "my role"\n', 3, 11, ['"my role" is not a valid role name']],
    ['an invalid role ARN', 'version: 1\noverrides:\n  - role: "arn:aws:iam::1:role/x"\n', 3, 11, ['is not an IAM role ARN']],
    ['an unknown auth', 'version: 1\noverrides:\n  - auth: ssso\n', 3, 11, ['did you mean `auth: sso`?']],
    ['an unquoted account id', 'version: 1\noverrides:\n  - accounts: [222222222222]\n    role: R\n', 3, 16, ['unquoted number', '"222222222222"']],
    ['an absolute glob', 'version: 1\noverrides:\n  - paths: ["/live/**"]\n    role: R\n', 3, 13, ['is absolute']],
    ['overrides that are not a list', 'version: 1\noverrides: {role: R}\n', 2, 12, ['`overrides` must be a list, got a mapping']],
  ])('rejects %s', (_name, yaml, line, column, messageIncludes) => {
    const error = compileError(yaml);
    expect(error.position).toEqual({ file: FILE, line, column });
    for (const text of messageIncludes) {
      expect(`${error.message}\n${error.hint ?? ''}`).toContain(text);
    }
  });

  it('returns a frozen config', () => {
    const config = compileUserConfig('version: 1\noverrides:\n  - {role: R}\n', FILE);
    expect([Object.isFrozen(config), Object.isFrozen(config.overrides[0])]).toEqual([true, true]);
  });
});
