import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DEVELOPER, startEmulator, type Emulator } from '../emulator';

const CHILD = join(__dirname, 'sdkStderr.child.ts');
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'rolemap-stderr-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[dev]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
  );
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the child with only the variables it needs (no inherited AWS_* of the machine). */
function runChild(mode: 'rolemap' | 'bare-sdk'): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_STS: emulator.env().AWS_ENDPOINT_URL_STS,
    // Environment keys next to a profile make the SDK's chain print a "multiple credential sources" notice.
    AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, mode], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`child failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('AWS SDK output on stderr', () => {
  it('is silent when rolemap obtains credentials', async () => {
    const { stdout, stderr } = await runChild('rolemap');
    expect({ stdout, stderr }).toStrictEqual({
      stdout: 'arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice\n',
      stderr: '',
    });
  });

  (NODE_MAJOR < 22 ? it : it.skip)('would otherwise print the SDK Node version warning (control)', async () => {
    const { stdout, stderr } = await runChild('bare-sdk');
    expect(stdout).toBe(`${SEED_DEVELOPER.arn}\n`);
    expect(stderr).toContain('NodeVersionSupportWarning');
  });
});
