import type { ExplainCacheState as CacheState } from '../../../src/cli/render/explainCacheState';
import { explainReport, explainText, type ExplainReport } from '../../../src/cli/render/explainReport';
import { readRolemapEnvironment } from '../../../src/cli/readRolemapEnvironment';
import { compileMappingFile } from '../../../src/config/compileMappingFile';
import { compileUserConfig } from '../../../src/config/compileUserConfig';
import type { MappingFileLocation } from '../../../src/locate/findMappingFile';
import { detectCi } from '../../../src/resolve/detectCi';
import { resolveRequest } from '../../../src/resolve/resolveRequest';
import type { Environment } from '../../../src/resolve/types';

const MAPPING_FILE = '/live/rolemap.yaml';
const USER_FILE = '/home/alice/.config/rolemap/config.yaml';

// Line numbers matter: the report cites mappings and overrides by file:line.
const MAPPING_YAML = `version: 1
accounts:
  dev: "111111111111"
  prod: "333333333333"
defaults:
  region: us-east-1
  session_name: "rolemap-{user}-{mode}"
modes:
  local: plan
overrides:
  allow:
    - paths: ["dev/**"]
mappings:
  - paths: ["prod/**"]
    account: prod
    role:
      plan: terragrunt-plan
      apply: terragrunt-apply
  - paths: ["prod/app/**"]
    account: prod
    role: app
  - paths: ["dev/*"]
    account: dev
    role: r1
  - paths: ["*/x"]
    account: prod
    role: r2
`;

const USER_YAML = `version: 1
overrides:
  - paths: ["prod/**"]
    role: Admin
  - paths: ["dev/**"]
    role: DevAdmin
    auth: sso
# The override's auth: sso needs a portal; a profile keeps auth: auto on assume elsewhere.
sso: {start_url: https://acme.awsapps.com/start, region: us-east-1}
source_profile: base
`;

interface FixtureOptions {
  env?: Environment;
  source?: MappingFileLocation['source'];
  cache?: CacheState;
  withUserConfig?: boolean;
}

function reportFor(unitPath: string, options: FixtureOptions = {}): ExplainReport {
  const config = compileMappingFile(MAPPING_YAML, MAPPING_FILE);
  const userConfig = options.withUserConfig === false ? undefined : compileUserConfig(USER_YAML, USER_FILE);
  const result = resolveRequest({ config, userConfig, unitPath, env: options.env ?? {}, ci: detectCi(options.env ?? {}), modeFlag: undefined, modeFromEnv: readRolemapEnvironment(options.env ?? {}).mode, osUser: 'alice' });
  if (result.status !== 'matched' && result.status !== 'unmatched' && result.status !== 'ambiguous') throw new Error(`the fixture was refused: ${result.status}`);
  return explainReport(
    { location: { file: MAPPING_FILE, source: options.source ?? 'walk-up' }, config, userConfig, unitDir: `/live/${unitPath}`, unitPath, result },
    options.cache ?? { status: 'hit', expiresInSeconds: 3412 },
  );
}

/** The report as `explain --json` prints it. */
function asJson(report: ExplainReport): unknown {
  return JSON.parse(JSON.stringify(report));
}

const LOCAL_PLAN = { mode: 'plan', source: 'mapping-file', why: 'modes.local is plan' };

describe('explainReport', () => {
  it('reports a matched unit: every candidate with its specificity, the winner and why, a refused override, the cache', () => {
    expect(asJson(reportFor('prod/app/vpc'))).toStrictEqual({
      mappingFile: MAPPING_FILE,
      mappingFileFoundBy: 'walk-up',
      unitDir: '/live/prod/app/vpc',
      unitPath: 'prod/app/vpc',
      mode: LOCAL_PLAN,
      status: 'matched',
      candidates: [
        { mapping: 2, at: '/live/rolemap.yaml:19', glob: 'prod/app/**', specificity: 2, winner: true },
        { mapping: 1, at: '/live/rolemap.yaml:14', glob: 'prod/**', specificity: 1, winner: false },
      ],
      winner: { mapping: 2, at: '/live/rolemap.yaml:19', why: 'its glob prod/app/** has the most literal segments (2)' },
      account: { id: '333333333333', name: 'prod' },
      roleArn: 'arn:aws:iam::333333333333:role/app',
      sessionName: 'rolemap-alice-plan',
      durationSeconds: 3600,
      region: 'us-east-1',
      auth: { kind: 'assume', why: 'auth: auto, base credentials from source_profile base' },
      sourceIdentity: null,
      externalIdSet: false,
      tags: [],
      userConfig: USER_FILE,
      overrides: [
        {
          status: 'refused',
          at: `${USER_FILE}:3`,
          why: 'no overrides.allow entry in /live/rolemap.yaml covers path prod/app/vpc in account prod with role Admin; it needs an entry such as {paths: ["prod/app/vpc"]} or {accounts: [prod], roles: ["Admin"]}',
        },
      ],
      cache: { status: 'hit', expiresInSeconds: 3412 },
    });
  });

  it('reports an applied override with what it changed', () => {
    const report = asJson(reportFor('dev/y')) as Record<string, unknown>;
    expect([report['roleArn'], report['auth'], report['overrides']]).toStrictEqual([
      'arn:aws:iam::111111111111:role/DevAdmin',
      { kind: 'sso', why: 'auth: sso (your override)' },
      [
        {
          status: 'applied',
          at: `${USER_FILE}:5`,
          changes: { role: 'arn:aws:iam::111111111111:role/DevAdmin', auth: 'sso' },
          why: 'allowed by overrides.allow in /live/rolemap.yaml',
        },
      ],
    ]);
  });

  it('reports an unmatched unit with the nearest globs and what happens', () => {
    expect(asJson(reportFor('stage/vpc'))).toStrictEqual({
      mappingFile: MAPPING_FILE,
      mappingFileFoundBy: 'walk-up',
      unitDir: '/live/stage/vpc',
      unitPath: 'stage/vpc',
      mode: LOCAL_PLAN,
      status: 'unmatched',
      nearest: [
        { glob: '*/x', at: '/live/rolemap.yaml:25' },
        { glob: 'prod/**', at: '/live/rolemap.yaml:14' },
        { glob: 'dev/*', at: '/live/rolemap.yaml:22' },
      ],
      outcome: 'error (exit 2)',
    });
  });

  it('reports an ambiguous unit with the tied mappings and their file:line', () => {
    expect(asJson(reportFor('dev/x'))).toStrictEqual({
      mappingFile: MAPPING_FILE,
      mappingFileFoundBy: 'walk-up',
      unitDir: '/live/dev/x',
      unitPath: 'dev/x',
      mode: LOCAL_PLAN,
      status: 'ambiguous',
      candidates: [
        { mapping: 3, at: '/live/rolemap.yaml:22', glob: 'dev/*', specificity: 1 },
        { mapping: 4, at: '/live/rolemap.yaml:25', glob: '*/x', specificity: 1 },
      ],
    });
  });

  it('holds no secret: only whether an external id is set', () => {
    const json = JSON.stringify(reportFor('prod/app/vpc', { env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEBASEKEY01', AWS_SECRET_ACCESS_KEY: 'base-secret' } }));
    expect([json.includes('AKIA'), json.includes('base-secret'), (JSON.parse(json) as Record<string, unknown>)['auth']]).toStrictEqual([
      false,
      false,
      // source_profile in the user config is explicit, like aws --profile: it beats the keys.
      { kind: 'assume', why: 'auth: auto, base credentials from source_profile base' },
    ]);
  });
});

describe('explainText', () => {
  it('renders a matched unit as labelled lines, the winner marked among the candidates', () => {
    expect(explainText(reportFor('prod/app/vpc', { withUserConfig: false })).split('\n')).toStrictEqual([
      'mapping file    /live/rolemap.yaml  (found walking up from the unit)',
      'unit            prod/app/vpc  (dir /live/prod/app/vpc)',
      'candidates      #2 prod/app/**  specificity 2  at /live/rolemap.yaml:19  <- winner: its glob prod/app/** has the most literal segments (2)',
      '                #1 prod/**      specificity 1  at /live/rolemap.yaml:14',
      'mode            plan  (modes.local is plan)',
      'account         333333333333 (prod)',
      'role            arn:aws:iam::333333333333:role/app',
      'session name    rolemap-alice-plan   duration 3600s   region us-east-1',
      'auth            assume  (auth: auto, base credentials from the default profile or instance metadata)',
      'your config     none read',
      'overrides       none',
      'cache           hit, 3412s left',
      '',
    ]);
  });

  it('shows source identity, that an external id is set (never its value) and session tags, when there are any', () => {
    const report = reportFor('prod/app/vpc', { withUserConfig: false });
    if (report.status !== 'matched') throw new Error('fixture should match');
    const lines = explainText({
      ...report,
      sourceIdentity: 'alice',
      externalIdSet: true,
      tags: [
        { Key: 'unit', Value: 'prod/app/vpc' },
        { Key: 'mode', Value: 'plan' },
      ],
    }).split('\n');
    expect(lines.slice(lines.indexOf('session name    rolemap-alice-plan   duration 3600s   region us-east-1') + 1, -1).slice(0, 3)).toStrictEqual([
      'source identity alice',
      'external id     set (not shown)',
      'session tags    unit=prod/app/vpc, mode=plan',
    ]);
  });

  it('renders applied and refused overrides with file:line and why', () => {
    const overrideLines = (unitPath: string): string[] =>
      explainText(reportFor(unitPath))
        .split('\n')
        .filter((line) => line.startsWith('overrides'));
    expect([...overrideLines('dev/y'), ...overrideLines('prod/app/vpc')]).toStrictEqual([
      `overrides       applied  ${USER_FILE}:5  role -> arn:aws:iam::111111111111:role/DevAdmin, auth -> sso  (allowed by overrides.allow in /live/rolemap.yaml)`,
      `overrides       refused  ${USER_FILE}:3  (no overrides.allow entry in /live/rolemap.yaml covers path prod/app/vpc in account prod with role Admin; it needs an entry such as {paths: ["prod/app/vpc"]} or {accounts: [prod], roles: ["Admin"]})`,
    ]);
  });

  it('renders an unmatched unit with its nearest globs and what to do', () => {
    expect(explainText(reportFor('stage/vpc'))).toBe(
      [
        'mapping file    /live/rolemap.yaml  (found walking up from the unit)',
        'unit            stage/vpc  (dir /live/stage/vpc)',
        'result          NO MAPPING MATCHES this unit',
        'nearest globs   */x      at /live/rolemap.yaml:25',
        '                prod/**  at /live/rolemap.yaml:14',
        '                dev/*    at /live/rolemap.yaml:22',
        'mode            plan  (modes.local is plan)',
        'outcome         error (exit 2)',
        '                Add a mapping whose paths cover the unit.',
        '',
      ].join('\n'),
    );
  });

  it('renders an ambiguous unit with the tied mappings and their file:line', () => {
    expect(explainText(reportFor('dev/x'))).toBe(
      [
        'mapping file    /live/rolemap.yaml  (found walking up from the unit)',
        'unit            dev/x  (dir /live/dev/x)',
        'result          AMBIGUOUS: mappings #3 and #4 tie on specificity and give different accounts, roles or settings',
        'candidates      #3 dev/*  specificity 1  at /live/rolemap.yaml:22',
        '                #4 */x    specificity 1  at /live/rolemap.yaml:25',
        'mode            plan  (modes.local is plan)',
        'outcome         error (exit 2)',
        '                Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.',
        '',
      ].join('\n'),
    );
  });

  it.each<[MappingFileLocation['source'], string]>([
    ['walk-up', 'mapping file    /live/rolemap.yaml  (found walking up from the unit)'],
    ['--config', 'mapping file    /live/rolemap.yaml  (given by --config)'],
    ['ROLEMAP_CONFIG', 'mapping file    /live/rolemap.yaml  (given by ROLEMAP_CONFIG)'],
  ])('says how the mapping file was found: %s', (source, line) => {
    expect(explainText(reportFor('prod/app/vpc', { source })).split('\n')[0]).toBe(line);
  });

  it.each<[CacheState, string]>([
    [{ status: 'hit', expiresInSeconds: 3412 }, 'cache           hit, 3412s left'],
    [{ status: 'expiring', expiresInSeconds: 600 }, 'cache           expiring, 600s left, under min_ttl: the next call obtains a fresh credential'],
    [{ status: 'expired', expiration: '2030-01-01T00:00:00.000Z' }, 'cache           expired at 2030-01-01T00:00:00.000Z: the next call obtains a fresh credential'],
    [{ status: 'miss' }, 'cache           miss: the next call obtains a credential'],
    [
      { status: 'remembered-failure', message: 'AccessDenied for arn:aws:iam::333333333333:role/app' },
      'cache           a recent failure is remembered, so the next call fails fast: AccessDenied for arn:aws:iam::333333333333:role/app',
    ],
    [{ status: 'disabled', why: 'ROLEMAP_NO_CACHE is set' }, 'cache           off (ROLEMAP_NO_CACHE is set)'],
    [{ status: 'not-applicable' }, 'cache           not used (auth: delegate; Terragrunt assumes the role itself)'],
  ])('renders the cache state %j', (cache, line) => {
    expect(explainText(reportFor('prod/app/vpc', { cache })).split('\n').filter((l) => l.startsWith('cache'))).toStrictEqual([line]);
  });
});
