import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { startRolemap } from './fixtures/startRolemap';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';
import { runInProcess } from './runInProcess';

const UNIT = 'prod/us-east-1/app';
const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** A Node one-liner for the child: `node -e SCRIPT`. */
const node = (script: string): string[] => [process.execPath, '-e', script];

/** The variables the child is checked for. */
const SHOWN = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_REGION',
  'ROLEMAP_ISSUED_ACCESS_KEY_ID',
  'UNRELATED',
];

describe('rolemap exec [DIR] -- CMD (through dist/rolemap)', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    // The base is a profile, as on most laptops, plus leftovers that would confuse the command.
    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(sandbox.home, '.aws/credentials'),
      `[base]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
    );
    env = {
      ...sandbox.env,
      ...emulator.env(),
      AWS_PROFILE: 'base',
      AWS_DEFAULT_PROFILE: 'base',
      AWS_SECURITY_TOKEN: 'an-old-token',
      AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z',
      UNRELATED: 'kept',
    };
  });
  afterEach(() => sandbox.cleanup());

  const exec = (command: readonly string[], extra: readonly string[] = []): ReturnType<typeof runRolemap> =>
    runRolemap(['exec', tree.unitDir(UNIT), ...extra, '--', ...command], { cwd: sandbox.home, env });

  it("gives CMD the unit's credentials and envs, without the profile and old credentials it inherited", async () => {
    const run = await exec(node(`const e = process.env; console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(SHOWN)}.map((k) => [k, e[k] ?? null]))))`));
    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const seen = JSON.parse(run.stdout) as Record<string, string | null>;
    expect({
      ...seen,
      AWS_ACCESS_KEY_ID: seen['AWS_ACCESS_KEY_ID']?.startsWith('ASIA') === true && seen['AWS_ACCESS_KEY_ID'] === seen['ROLEMAP_ISSUED_ACCESS_KEY_ID'],
      ROLEMAP_ISSUED_ACCESS_KEY_ID: undefined,
    }).toStrictEqual({
      AWS_PROFILE: null,
      AWS_DEFAULT_PROFILE: null,
      AWS_ACCESS_KEY_ID: true,
      AWS_SECURITY_TOKEN: null,
      AWS_CREDENTIAL_EXPIRATION: expect.stringMatching(/^20\d\d-/) as unknown as string,
      AWS_REGION: 'us-east-1',
      ROLEMAP_ISSUED_ACCESS_KEY_ID: undefined,
      UNRELATED: 'kept',
    });
    expect(seen['AWS_CREDENTIAL_EXPIRATION']).not.toBe('2000-01-01T00:00:00Z');
  });

  (HAS_AWS_CLI ? it : it.skip)('the AWS CLI run by exec acts as the mapped role', async () => {
    const run = await exec(['aws', 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text']);
    expect({ code: run.code, role: run.stdout.trim().split('/').slice(0, 2).join('/'), stderr: run.stderr }).toStrictEqual({
      code: 0,
      role: 'arn:aws:sts::333333333333:assumed-role/terragrunt-plan',
      stderr: '',
    });
  });
  if (!HAS_AWS_CLI) process.stdout.write('exec.integ: the AWS CLI (aws) is not installed; skipping its test\n');

  it.each<[string, string[], number]>([
    ['its exit code', node('process.exit(7)'), 7],
    ['0 for success', node(''), 0],
    ['128 + the signal when a signal ended it (SIGTERM: 143)', node("process.kill(process.pid, 'SIGTERM')"), 143],
    ['127 when the command does not exist', ['rolemap-test-no-such-command'], 127],
  ])('exits with %s', async (_title, command, code) => {
    const run = await exec(command);
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code, stdout: '' });
  });

  it('never prints a secret: with debug logging, neither stdout nor stderr holds the secret key or token', async () => {
    env['ROLEMAP_LOG_LEVEL'] = 'debug';
    const run = await exec(node("console.log('child ran')"));
    const issued = await runRolemap(['credentials', '--dir', tree.unitDir(UNIT)], { cwd: sandbox.home, env: { ...env, ROLEMAP_LOG_LEVEL: 'warn' } });
    const { SECRET_ACCESS_KEY, SESSION_TOKEN } = (JSON.parse(issued.stdout) as { awsCredentials: Record<string, string> }).awsCredentials;
    const output = run.stdout + run.stderr;
    expect({
      code: run.code,
      stdout: run.stdout,
      secretShown: [SECRET_ACCESS_KEY, SESSION_TOKEN].some((s) => s !== undefined && output.includes(s)),
    }).toStrictEqual({ code: 0, stdout: 'child ran\n', secretShown: false });
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGTERM', 3],
    ['SIGINT', 4],
    ['SIGHUP', 5],
  ])('forwards %s to the command and exits with the code it then chose', async (signal, code) => {
    const child = node(
      `process.on('${signal}', () => { console.log('got ${signal}'); process.exit(${code}); }); console.log('ready'); setInterval(() => {}, 1000);`,
    );
    const started = startRolemap(['exec', tree.unitDir(UNIT), '--', ...child], { cwd: sandbox.home, env });
    await new Promise<void>((resolve) => {
      let seen = '';
      started.child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (seen.includes('ready\n')) resolve();
      });
    });
    started.child.kill(signal);
    expect(await started.done).toStrictEqual({ code, stdout: `ready\ngot ${signal}\n`, stderr: '' });
  });

  it('refuses without a command: exit 2 and the exec help named', async () => {
    // A usage error: nothing of a process to see, so in process.
    const run = await runInProcess(['exec', tree.unitDir(UNIT)], { cwd: sandbox.home, env });
    expect({ code: run.code, stdout: run.stdout, hint: run.stderr.split('\n')[1] }).toStrictEqual({
      code: 2,
      stdout: '',
      hint: '  hint: Run `rolemap exec --help` to see its options.',
    });
  });
});
