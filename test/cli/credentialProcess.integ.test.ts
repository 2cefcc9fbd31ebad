import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type Sandbox } from './runRolemap';

const UNIT = 'prod/us-east-1/app';
const PROD_PLAN = 'arn:aws:sts::333333333333:assumed-role/terragrunt-plan';
/** The emulator's clock runs this far behind, so every credential it issues has this much less life. */
const EMULATOR_LAG_SECONDS = 200;
const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** The first two parts of an assumed-role ARN: the session name holds the OS user, which varies. */
const roleOf = (arn: string): string => arn.split('/').slice(0, 2).join('/');

describe('rolemap credential-process: the AWS CLI / SDK credential_process JSON (through dist/rolemap)', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({ startTime: Date.now() - EMULATOR_LAG_SECONDS * 1000 });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    // A fresh credential lives 1000 s, minus the emulator's lag: 800 s, more than min_ttl (300 s)
    // but less than the 900 s the AWS SDKs want before they call credential_process again.
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT], durationSeconds: 1000, minTtlSeconds: 300 });
    env = developerEnv(sandbox, emulator);
    emulator.resetCalls();
  });
  afterEach(() => sandbox.cleanup());

  it('prints Version 1, the keys, the session token and Expiration, for the mapped role', async () => {
    const run = await runRolemap(['credential-process', '--dir', tree.unitDir(UNIT)], { cwd: sandbox.home, env });
    expect({ code: run.code, lines: run.stdout.split('\n').length }).toStrictEqual({ code: 0, lines: 2 });
    // 800 s of life is under credential-process's 15-minute floor: said once, and still printed.
    expect(run.stderr).toMatch(/^rolemap WARN AWS granted credentials for \S+ with only \d+s of life \(asked for 1000s\), less than min_ttl \(900s\)[^\n]*\n$/);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    const expiresIn = (Date.parse(String(json['Expiration'])) - Date.now()) / 1000;
    expect({
      keys: Object.keys(json),
      version: json['Version'],
      expiresInAbout800s: expiresIn > 700 && expiresIn <= 800,
      caller: roleOf(
        await callerArnOf(emulator, {
          ACCESS_KEY_ID: String(json['AccessKeyId']),
          SECRET_ACCESS_KEY: String(json['SecretAccessKey']),
          SESSION_TOKEN: String(json['SessionToken']),
        }),
      ),
    }).toStrictEqual({
      keys: ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'],
      version: 1,
      expiresInAbout800s: true,
      caller: PROD_PLAN,
    });
  });

  it('shares the cache with credentials; a role that grants less than the 15-minute floor is asked once per wave', async () => {
    const cwd = tree.unitDir(UNIT);
    const steps: Array<[string, number | null, number]> = [];
    for (const args of [[], [], ['credential-process'], ['credential-process'], []]) {
      const run = await runRolemap(args, { cwd, env });
      steps.push([args[0] ?? 'credentials', run.code, emulator.calls('AssumeRole')]);
    }
    expect(steps).toStrictEqual([
      ['credentials', 0, 1],
      // 800 s left is more than min_ttl: a hit.
      ['credentials', 0, 1],
      // Less than credential-process's 900 s, but STS grants no more than that here (the role's
      // session is shorter than the floor), so within a minute of obtaining it asking again would
      // only repeat it: shared, with a warning, instead of one AssumeRole per SDK refresh.
      ['credential-process', 0, 1],
      ['credential-process', 0, 1],
      ['credentials', 0, 1],
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['auth: delegate', 'auth: delegate', /auth: delegate/],
    ['unmatched: empty', 'unmatched: empty', /unmatched: empty/],
  ])('%s gives no credentials: exit 2, nothing on stdout, a message that says why', async (_title, line, says) => {
    const yaml = fs.readFileSync(tree.mappingFile, 'utf8');
    if (line === 'auth: delegate') fs.writeFileSync(tree.mappingFile, yaml.replace('  auth: assume', '  auth: delegate'));
    else fs.writeFileSync(tree.mappingFile, `${yaml}unmatched: empty\n`);
    const dir = line === 'auth: delegate' ? tree.unitDir(UNIT) : path.join(tree.root, 'elsewhere');
    fs.mkdirSync(dir, { recursive: true });
    const run = await runRolemap(['credential-process', '--dir', dir], { cwd: sandbox.home, env });
    expect({ code: run.code, stdout: run.stdout, says: says.test(run.stderr), calls: emulator.calls('AssumeRole') }).toStrictEqual({
      code: 2,
      stdout: '',
      says: true,
      calls: 0,
    });
  });

  (HAS_AWS_CLI ? it : it.skip)('the AWS CLI (botocore) runs it from a profile: aws sts get-caller-identity --profile prod', async () => {
    const config = path.join(sandbox.home, '.aws', 'config');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(
      config,
      `[profile prod]\ncredential_process = ${process.execPath} ${ROLEMAP_BIN} credential-process --dir ${tree.unitDir(UNIT)}\nregion = us-east-1\n`,
    );
    const { stdout } = await promisify(execFile)('aws', ['sts', 'get-caller-identity', '--profile', 'prod', '--output', 'json'], {
      cwd: sandbox.home,
      env: { ...env, AWS_CONFIG_FILE: config },
    });
    expect(roleOf((JSON.parse(stdout) as { Arn: string }).Arn)).toBe(PROD_PLAN);
  });
  if (!HAS_AWS_CLI) process.stdout.write('credentialProcess.integ: the AWS CLI (aws) is not installed; skipping its test\n');
});
