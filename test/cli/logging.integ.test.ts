import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { EXAMPLES_LIVE, makeSandbox, parseTerragruntJson, runRolemap, type Sandbox } from './runRolemap';
import { developerEnv } from './fixtures/developerEnv';
import { SANDBOX_USER } from './sandbox';

const UNIT = path.join(EXAMPLES_LIVE, 'prod/us-east-1/app');
const TEXT_LINE = /^rolemap (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \S/;

/** The values of a Terragrunt JSON's credentials, which no log line may hold. */
function secretsOf(stdout: string): string[] {
  const creds = parseTerragruntJson(stdout)['awsCredentials'] as Record<string, string>;
  return [creds['SECRET_ACCESS_KEY'] ?? '', creds['SESSION_TOKEN'] ?? '', creds['ACCESS_KEY_ID'] ?? '', SEED_DEVELOPER.secretAccessKey];
}

describe('rolemap logging (ROLEMAP_LOG_LEVEL, ROLEMAP_LOG_FORMAT) through dist/rolemap', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    sandbox = makeSandbox();
    // Every run asks the emulator, so every run has something to log.
    env = developerEnv(sandbox, emulator, { ROLEMAP_NO_CACHE: '1' });
  });
  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });

  it('debug in text: readable `rolemap DEBUG` lines on stderr, stdout still exactly one JSON object, no secret logged', async () => {
    const run = await runRolemap([], { cwd: UNIT, env: { ...env, ROLEMAP_LOG_LEVEL: 'debug' } });
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect({
      unreadable: lines.filter((line) => !TEXT_LINE.test(line)),
      resolved: lines.filter((line) => line.startsWith('rolemap DEBUG resolved ')),
    }).toStrictEqual({
      unreadable: [],
      resolved: [
        `rolemap DEBUG resolved unit=prod/us-east-1/app roleArn=arn:aws:iam::333333333333:role/terragrunt-plan mode=plan auth=assume sessionName=rolemap-${SANDBOX_USER}-plan`,
      ],
    });
    expect(secretsOf(run.stdout).filter((secret) => run.stderr.includes(secret))).toStrictEqual([]);
  });

  it('json: one JSON object per stderr line with a numeric level and a msg', async () => {
    const run = await runRolemap([], { cwd: UNIT, env: { ...env, ROLEMAP_LOG_LEVEL: 'debug', ROLEMAP_LOG_FORMAT: 'json' } });
    expect(run.code).toBe(0);
    const records = run.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect({
      malformed: records.filter((r) => typeof r['level'] !== 'number' || typeof r['msg'] !== 'string'),
      resolved: records.filter((r) => r['msg'] === 'resolved').map((r) => [r['level'], r['unit'], r['roleArn']]),
    }).toStrictEqual({
      malformed: [],
      resolved: [[20, 'prod/us-east-1/app', 'arn:aws:iam::333333333333:role/terragrunt-plan']],
    });
    expect(secretsOf(run.stdout).filter((secret) => run.stderr.includes(secret))).toStrictEqual([]);
  });

  it('debug changes nothing on stdout: validate prints the same report, its log lines go to stderr', async () => {
    const [quiet, debug] = await Promise.all([
      runRolemap(['validate', '--units'], { cwd: EXAMPLES_LIVE, env }),
      runRolemap(['validate', '--units'], { cwd: EXAMPLES_LIVE, env: { ...env, ROLEMAP_LOG_LEVEL: 'debug' } }),
    ]);
    expect({ codes: [quiet.code, debug.code], quietStderr: quiet.stderr, stdout: debug.stdout, log: debug.stderr.split('\n') }).toStrictEqual({
      codes: [0, 0],
      quietStderr: '',
      stdout: quiet.stdout,
      log: [
        `rolemap DEBUG validating the mapping file file=${path.join(EXAMPLES_LIVE, 'rolemap.yaml')} foundBy=walk-up`,
        `rolemap DEBUG scanned for units root=${EXAMPLES_LIVE} units=7`,
        '',
      ],
    });
  });

  it('the default level prints nothing on stderr for a successful explain', async () => {
    const run = await runRolemap(['explain'], { cwd: UNIT, env });
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
  });

  it.each<[string, Record<string, string>, string]>([
    ['ROLEMAP_LOG_LEVEL=bogus', { ROLEMAP_LOG_LEVEL: 'bogus' }, 'rolemap: ROLEMAP_LOG_LEVEL is "bogus", which is not a log level.\n  hint: Use one of trace, debug, info, warn, error, silent.\n'],
    ['ROLEMAP_LOG_FORMAT=xml', { ROLEMAP_LOG_FORMAT: 'xml' }, 'rolemap: ROLEMAP_LOG_FORMAT is "xml", which is not a log format.\n  hint: Use text or json.\n'],
  ])('%s: exit 2 with a clear message, before any work', async (_title, extra, stderr) => {
    emulator.resetCalls();
    const run = await runRolemap([], { cwd: UNIT, env: { ...env, ...extra } });
    expect({ ...run, calls: emulator.callCounts() }).toStrictEqual({ code: 2, stdout: '', stderr, calls: {} });
  });

  it('silent still shows why a run failed: errors are not log records', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-silent-')));
    try {
      fs.writeFileSync(path.join(root, 'rolemap.yaml'), 'version: 1\naccounts: {dev: "111111111111"}\nmappings:\n  - paths: ["dev/**"]\n    account: dev\n    role: r\n');
      fs.mkdirSync(path.join(root, 'prod'));
      const run = await runRolemap([], { cwd: path.join(root, 'prod'), env: { ...env, ROLEMAP_LOG_LEVEL: 'silent' } });
      expect({ code: run.code, stdout: run.stdout, first: run.stderr.split('\n')[0] }).toStrictEqual({
        code: 2,
        stdout: '',
        first: `rolemap: In ${path.join(root, 'rolemap.yaml')}, no mapping matches the unit prod.`,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
