/**
 * Issue 12 item 4: which IAM Identity Center portal and which base profile a unit's request uses.
 */
import { portalAndBaseProblems } from '../../src/resolve/portalAndBaseProblems';
import { GITHUB_ENV, config, mappingYaml, resolve, resolveMatched, resolveMatchedAs, userConfig } from './fixtures';

const ACME = 'https://acme.awsapps.com/start';
const GOV = 'https://gov.awsapps.com/start';

const PORTALS = mappingYaml(
  `
  - paths: ["live/dev/**"]
    account: dev
    role: Admin
  - paths: ["live/prod/**"]
    account: prod
    role: Admin
    sso: gov
  - paths: ["live/stage/**"]
    account: stage
    role: Admin
    sso: {start_url: "https://stage.awsapps.com/start", region: eu-west-1}
`,
  `sso_sessions:
  acme: {start_url: "${ACME}", region: us-east-1}
  gov: {start_url: "${GOV}", region: us-gov-west-1}
sso: acme`,
).replace('  region: us-east-1\n', '  region: us-east-1\n  auth: sso\n');

describe('resolveRequest: the portal of a unit', () => {
  it.each([
    ['a mapping without sso uses the default portal', 'live/dev/app', { startUrl: ACME, region: 'us-east-1', session: 'acme' }],
    ['a mapping naming a session uses that portal', 'live/prod/app', { startUrl: GOV, region: 'us-gov-west-1', session: 'gov' }],
    ['an inline portal is used as written', 'live/stage/app', { startUrl: 'https://stage.awsapps.com/start', region: 'eu-west-1' }],
  ])('%s', (_name, unitPath, portal) => {
    expect(resolveMatchedAs('sso', { config: config(PORTALS), unitPath }).sso).toStrictEqual(portal);
  });

  it("keeps a mapping's own portal over the developer's default portal, which only replaces the file's default", () => {
    const mine = userConfig('version: 1\nsso: {start_url: "https://mine.awsapps.com/start", region: eu-central-1}\n');
    const cfg = config(PORTALS);
    expect([
      resolveMatchedAs('sso', { config: cfg, unitPath: 'live/prod/app', userConfig: mine }).sso.startUrl,
      resolveMatchedAs('sso', { config: cfg, unitPath: 'live/dev/app', userConfig: mine }).sso.startUrl,
    ]).toStrictEqual([GOV, 'https://mine.awsapps.com/start']);
  });

  it('lets auth: auto pick sso for a mapping that has a portal of its own and no file default', () => {
    const yaml = mappingYaml(`
  - paths: ["live/prod/**"]
    account: prod
    role: Admin
    sso: {start_url: "${GOV}", region: us-gov-west-1}
  - paths: ["live/dev/**"]
    account: dev
    role: Admin
`);
    expect([
      resolveMatched({ config: config(yaml), unitPath: 'live/prod/app' }).auth,
      resolveMatched({ config: config(yaml), unitPath: 'live/dev/app' }).auth,
    ]).toStrictEqual(['sso', 'assume']);
  });

  it('calls two equally specific mappings that differ only in portal ambiguous', () => {
    const yaml = mappingYaml(
      `
  - {paths: ["live/*/app"], account: dev, role: Admin, sso: acme}
  - {paths: ["live/dev/*"], account: dev, role: Admin, sso: gov}
`,
      `sso_sessions:
  acme: {start_url: "${ACME}", region: us-east-1}
  gov: {start_url: "${GOV}", region: us-gov-west-1}`,
    );
    expect(resolve({ config: config(yaml), unitPath: 'live/dev/app' }).status).toBe('ambiguous');
  });
});

const PARTITIONS = mappingYaml(
  `
  - {paths: ["live/dev/**"], account: dev, role: tg}
  - {paths: ["live/prod/**"], account: prod, role: tg}
  - {paths: ["live/cn/**"], account: "444444444444", role: tg, region: cn-north-1}
  - {paths: ["live/cn-prod/**"], account: "555555555555", role: tg, region: cn-northwest-1}
  - {paths: ["live/gov/**"], account: "666666666666", role: tg, region: us-gov-west-1}
`,
).replace('  region: us-east-1\n', '  region: us-east-1\n  auth: assume\n');

const BASES = userConfig(`version: 1
source_profile: base
base_profiles:
  aws-cn: cn-base
  aws-us-gov: gov-base
  "555555555555": cn-prod-admin
  prod: prod-admin
`);

describe('resolveRequest: the base profile of a unit', () => {
  it.each([
    ['the default for a commercial account', 'live/dev/app', 'aws', 'base', 'source_profile'],
    ['the account by its name over the partition and default', 'live/prod/app', 'aws', 'prod-admin', 'base_profiles.prod'],
    ['the partition for an aws-cn account', 'live/cn/app', 'aws-cn', 'cn-base', 'base_profiles.aws-cn'],
    ['the account by its id over its partition', 'live/cn-prod/app', 'aws-cn', 'cn-prod-admin', 'base_profiles.555555555555'],
    ['the partition for an aws-us-gov account', 'live/gov/app', 'aws-us-gov', 'gov-base', 'base_profiles.aws-us-gov'],
  ])('picks %s', (_name, unitPath, partition, profile, setting) => {
    const request = resolveMatchedAs('assume', { config: config(PARTITIONS), unitPath, userConfig: BASES });
    expect([request.partition, request.sourceProfile, request.sourceProfileSetting]).toStrictEqual([partition, profile, setting]);
  });

  it('leaves the base to the environment when base_profiles has no entry and there is no source_profile', () => {
    const mine = userConfig('version: 1\nbase_profiles: {aws-cn: cn-base}\n');
    const request = resolveMatchedAs('assume', { config: config(PARTITIONS), unitPath: 'live/dev/app', userConfig: mine });
    expect([request.sourceProfile, request.sourceProfileSetting]).toStrictEqual([undefined, undefined]);
  });

  it('never reads base_profiles in CI', () => {
    const request = resolveMatchedAs('assume', { config: config(PARTITIONS), unitPath: 'live/cn/app', userConfig: BASES, env: GITHUB_ENV });
    expect(request.sourceProfile).toBeUndefined();
  });

  it('lets a base profile count as base credentials, so auth: auto assumes instead of using the portal', () => {
    const yaml = PARTITIONS.replace('  auth: assume\n', '').replace('mappings:', `sso: {start_url: "${ACME}", region: us-east-1}\nmappings:`);
    const cfg = config(yaml);
    expect([
      resolveMatched({ config: cfg, unitPath: 'live/cn/app', userConfig: userConfig('version: 1\nbase_profiles: {aws-cn: cn-base}\n') }).auth,
      resolveMatched({ config: cfg, unitPath: 'live/dev/app', userConfig: userConfig('version: 1\nbase_profiles: {aws-cn: cn-base}\n') }).auth,
    ]).toStrictEqual(['assume', 'sso']);
  });
});

describe('portalAndBaseProblems: what validate says of portals and bases', () => {
  const PROFILES = new Set(['base', 'cn-base', 'gov-base', 'cn-prod-admin', 'prod-admin']);

  it('finds nothing when every mapping has its portal and every base profile exists', () => {
    expect(portalAndBaseProblems(config(PARTITIONS), BASES, PROFILES)).toStrictEqual([]);
    expect(portalAndBaseProblems(config(PORTALS), undefined, undefined)).toStrictEqual([]);
  });

  it('names each mapping whose base profile is missing from the AWS files, at the mapping', () => {
    const problems = portalAndBaseProblems(config(PARTITIONS), BASES, new Set(['base', 'prod-admin', 'cn-prod-admin']));
    expect(problems.map((p) => [p.position.line, p.message])).toStrictEqual([
      [14, `mapping #3 (account 444444444444) takes its base from profile "cn-base" (base_profiles.aws-cn in ${BASES.file}), which is not in your AWS config or credentials file`],
      [16, `mapping #5 (account 666666666666) takes its base from profile "gov-base" (base_profiles.aws-us-gov in ${BASES.file}), which is not in your AWS config or credentials file`],
    ]);
  });

  it('names a base_profiles key that is an account the mapping file does not have, at the key', () => {
    const mine = userConfig('version: 1\nbase_profiles:\n  prdo: prod-admin\n  "999999999999": other\n');
    const problems = portalAndBaseProblems(config(PARTITIONS), mine, undefined);
    expect(problems.map((p) => [p.position, p.message])).toStrictEqual([
      [{ file: mine.file, line: 3, column: 3 }, `base_profiles.prdo names an account that ${config(PARTITIONS).file} does not have`],
    ]);
    expect(problems[0]?.hint).toContain('dev, stage, prod');
  });

  it('names a mapping with auth: sso and no portal anywhere, unless the developer gives one', () => {
    const yaml = mappingYaml('  - {paths: ["live/**"], account: dev, role: Admin, auth: sso}\n');
    expect(portalAndBaseProblems(config(yaml), undefined, undefined).map((p) => [p.position.line, p.message])).toStrictEqual([
      [10, 'mapping #1 (account dev) uses auth: sso, but no IAM Identity Center portal is defined for it'],
    ]);
    const mine = userConfig(`version: 1\nsso: {start_url: "${ACME}", region: us-east-1}\n`);
    expect(portalAndBaseProblems(config(yaml), mine, undefined)).toStrictEqual([]);
  });
});
