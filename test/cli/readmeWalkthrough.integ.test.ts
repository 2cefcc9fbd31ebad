import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeSandbox, type Sandbox } from './runRolemap';

const REPO = path.resolve(__dirname, '../..');
const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** The sh block of the README that follows the walkthrough marker, as written. */
function walkthroughBlock(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- walkthrough:');
  const start = readme.indexOf('```sh\n', marker) + '```sh\n'.length;
  if (marker === -1 || start < marker) throw new Error('README.md has no walkthrough block');
  return readme.slice(start, readme.indexOf('```', start));
}

/**
 * README's "Try it by hand against the emulator", run as a reader would: `npm run emulator`'s
 * script in one process, its first group of exports pasted into sh, then the block as written.
 */
describe("README's emulator walkthrough", () => {
  let sandbox: Sandbox;
  let emulator: ReturnType<typeof spawn> | undefined;

  beforeAll(() => {
    sandbox = makeSandbox();
  });
  afterAll(() => {
    emulator?.kill('SIGTERM');
    sandbox.cleanup();
  });

  (HAS_AWS_CLI ? it : it.skip)('runs as written: credentials, AccessDenied, trust restored, throttling retried, exec', async () => {
    emulator = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    const exports = await new Promise<string>((resolve, reject) => {
      let text = '';
      emulator?.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const end = text.indexOf('# to act as');
        if (end !== -1) resolve(text.slice(text.indexOf('# paste'), end));
      });
      emulator?.on('exit', (code) => reject(new Error(`the emulator exited with ${String(code)}: ${text}`)));
    });
    const run = spawnSync('sh', ['-c', `${exports}\n${walkthroughBlock()}`], { cwd: REPO, env: sandbox.env, encoding: 'utf8' });
    const stdout = run.stdout.split('\n');
    expect({
      status: run.status,
      firstCredentials: stdout[0]?.startsWith('{"awsCredentials":{"ACCESS_KEY_ID":"ASIA'),
      explainRole: stdout.some((line) => /^role\s+arn:aws:iam::333333333333:role\/terragrunt-plan$/.test(line)),
      accessDenied: run.stderr.includes('rolemap: Could not assume arn:aws:iam::333333333333:role/terragrunt-plan as arn:aws:iam::999999999999:user/developer: AccessDenied'),
      retries: run.stderr.split('\n').filter((line) => line.includes('failed (throttled), retrying')).length,
      credentialsAfterRetries: stdout.filter((line) => line.startsWith('{"awsCredentials":')).length,
      exec: stdout.some((line) => line.startsWith('arn:aws:sts::333333333333:assumed-role/terragrunt-plan/')),
    }).toStrictEqual({
      status: 0,
      firstCredentials: true,
      explainRole: true,
      accessDenied: true,
      retries: 3,
      credentialsAfterRetries: 2,
      exec: true,
    });
  });
  if (!HAS_AWS_CLI) process.stdout.write('readmeWalkthrough.integ: the AWS CLI (aws) is not installed; skipping\n');
});
