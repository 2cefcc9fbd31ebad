/**
 * Issue 12 item 4: several IAM Identity Center portals in one mapping file (`sso_sessions`, a
 * mapping's own `sso`) and base profiles per partition or account in the developer's config.
 */
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { compileUserConfig } from '../../src/config/compileUserConfig';
import { ConfigError } from '../../src/errors';

const FILE = '/repo/rolemap.yaml';
const USER_FILE = '/home/alice/.config/rolemap/config.yaml';

const ACME = 'https://acme.awsapps.com/start';
const GOV = 'https://gov.awsapps.com/start';

function thrown(compile: () => unknown): ConfigError {
  try {
    compile();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A file with two named portals, a default and four mappings. */
const TWO_PORTALS = [
  'version: 1', //                                                   1
  'accounts: {dev: "111111111111", gov: "222222222222"}', //          2
  'sso_sessions:', //                                                 3
  `  acme: {start_url: "${ACME}", region: us-east-1}`, //             4
  `  gov: {start_url: "${GOV}", region: us-gov-west-1}`, //           5
  'sso: acme', //                                                     6
  'defaults: {auth: sso}', //                                         7
  'mappings:', //                                                     8
  '  - {paths: ["dev/**"], account: dev, role: Admin}', //            9
  '  - {paths: ["gov/**"], account: gov, role: Admin, sso: gov, region: us-gov-west-1}', // 10
  `  - {paths: ["x/**"], account: dev, role: Admin, sso: {start_url: "https://x.awsapps.com/start", region: eu-west-1}}`, // 11
  '',
].join('\n');

describe('mapping file: sso_sessions and a mapping of its own portal', () => {
  it('compiles named portals, a default by name, and per-mapping portals by name or inline', () => {
    const config = compileMappingFile(TWO_PORTALS, FILE);
    expect({
      sessions: config.ssoSessions,
      sso: config.sso,
      mappings: config.mappings.map((m) => m.sso),
    }).toStrictEqual({
      sessions: {
        acme: { startUrl: ACME, region: 'us-east-1', session: 'acme' },
        gov: { startUrl: GOV, region: 'us-gov-west-1', session: 'gov' },
      },
      sso: { startUrl: ACME, region: 'us-east-1', session: 'acme' },
      mappings: [undefined, { startUrl: GOV, region: 'us-gov-west-1', session: 'gov' }, { startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1' }],
    });
  });

  it('refuses a mapping whose portal name is not defined, at its line and column, naming the defined ones', () => {
    const error = thrown(() => compileMappingFile(TWO_PORTALS.replace('sso: gov,', 'sso: gvo,'), FILE));
    expect([error.position, error.message, error.hint]).toStrictEqual([
      { file: FILE, line: 10, column: 57 },
      '`mappings[1].sso` names the SSO session "gvo", which is not in `sso_sessions`',
      'did you mean `sso: gov`? Defined SSO sessions: acme, gov; or add it under `sso_sessions:`',
    ]);
  });

  it('refuses a portal name when the file defines no sso_sessions, showing how to define it', () => {
    const yaml = 'version: 1\nmappings:\n  - {paths: ["a/**"], account: "111111111111", role: Admin, sso: corp}\n';
    const error = thrown(() => compileMappingFile(yaml, FILE));
    expect(error.position).toStrictEqual({ file: FILE, line: 3, column: 66 });
    expect(error.hint).toContain('sso_sessions: {corp: {start_url:');
  });

  it('refuses an undefined default portal name at the top level', () => {
    const error = thrown(() => compileMappingFile(TWO_PORTALS.replace('sso: acme\n', 'sso: amce\n'), FILE));
    expect([error.position?.line, error.position?.column, error.message]).toStrictEqual([
      6,
      6,
      '`sso` names the SSO session "amce", which is not in `sso_sessions`',
    ]);
  });

  it('reports a broken session once, at its definition, not again at each use', () => {
    const error = thrown(() => compileMappingFile(TWO_PORTALS.replace(`start_url: "${GOV}"`, 'start_url: "http://gov"'), FILE));
    expect([error.position?.line, error.more ?? []]).toStrictEqual([5, []]);
  });

  it.each([
    ['a session without a region', `  gov: {start_url: "${GOV}"}`, 5, 'region'],
    ['a session name with a space', `  "g ov": {start_url: "${GOV}", region: us-gov-west-1}`, 5, 'SSO session name "g ov" is not valid'],
    ['an unknown key in a session', `  gov: {start_url: "${GOV}", region: us-gov-west-1, account: x}`, 5, 'unknown key `account`'],
  ])('refuses %s', (_name, line5, line, text) => {
    const lines = TWO_PORTALS.split('\n');
    lines[4] = line5;
    const error = thrown(() => compileMappingFile(lines.join('\n'), FILE));
    expect(error.position?.line).toBe(line);
    expect(`${error.message} ${error.hint ?? ''}`).toContain(text);
  });

  it('points an sso in defaults to the top-level sso and a mapping', () => {
    const error = thrown(() => compileMappingFile(TWO_PORTALS.replace('defaults: {auth: sso}', 'defaults: {auth: sso, sso: gov}'), FILE));
    expect([error.position?.line, error.hint]).toStrictEqual([7, 'the default portal is the top-level `sso:`; a mapping may name its own with `sso:`']);
  });
});

describe('user config: base_profiles', () => {
  it('compiles entries by partition, account id and account name, in file order with positions', () => {
    const yaml = 'version: 1\nsource_profile: base\nbase_profiles:\n  aws-cn: cn-base\n  "111111111111": one\n  prod: prod-admin\n';
    expect(compileUserConfig(yaml, USER_FILE).baseProfiles).toStrictEqual([
      { key: 'aws-cn', kind: 'partition', profile: 'cn-base', position: { file: USER_FILE, line: 4, column: 3 } },
      { key: '111111111111', kind: 'account', profile: 'one', position: { file: USER_FILE, line: 5, column: 3 } },
      { key: 'prod', kind: 'account', profile: 'prod-admin', position: { file: USER_FILE, line: 6, column: 3 } },
    ]);
  });

  it.each([
    ['a key that is no partition, id or name', 'base_profiles:\n  "aws cn": x\n', 3, 'neither a partition'],
    ['a profile name with a space', 'base_profiles:\n  aws-cn: "cn base"\n', 3, 'is not an AWS profile name'],
    ['a list instead of a mapping', 'base_profiles: [cn-base]\n', 2, 'a mapping'],
  ])('refuses %s with its line', (_name, body, line, text) => {
    const error = thrown(() => compileUserConfig(`version: 1\n${body}`, USER_FILE));
    expect(error.position?.line).toBe(line);
    expect(`${error.message} ${error.hint ?? ''}`).toContain(text);
  });
});
