import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CallLogEntry } from '../../emulator';
import type { TerragruntBinary } from './findTerragrunts';
import type { EmulatorProcess } from './startEmulatorProcess';
import { assertDistIsCurrent } from '../../distIsCurrent';

const ROOT = path.resolve(__dirname, '../../..');
/** The built rolemap, as a user's TG_AUTH_PROVIDER_CMD names it. */
assertDistIsCurrent();
export const ROLEMAP_BIN = path.join(ROOT, 'dist/rolemap');
export const TOFU_STUB = path.resolve(__dirname, '../fixtures/tofu-stub');
const CALL_RECORDER = path.resolve(__dirname, '../fixtures/recordRolemapCall.cjs');
const RUN_TIMEOUT_MS = 170_000;

/** A temporary directory for one scenario: the tree, HOME, the rolemap cache and the records. */
export interface Sandbox {
  root: string;
  home: string;
  cacheDir: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-e2e-'));
  const home = path.join(root, 'home');
  const cacheDir = path.join(root, 'rolemap-cache');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(path.join(root, 'tmp'));
  return { root, home, cacheDir, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** One OpenTofu call as the stub recorded it, without secrets: who the keys it got belong to. */
export interface TofuCall {
  /** The unit directory relative to the scenario root (cut at .terragrunt-cache). */
  unit: string;
  command: string;
  /** The caller ARN the emulator names for the AWS_ACCESS_KEY_ID it got, "none" without keys, "invalid: ..." for keys STS refuses. */
  identity: string;
  /** AWS_ACCESS_KEY_ID (not a secret). */
  keyId: string | undefined;
  /** TF_VAR_* inputs. */
  inputs: Record<string, string>;
  /** Non-secret variables rolemap handed on (ROLEMAP_ISSUED_ACCESS_KEY_ID, ROLEMAP_BASE_IDENTITY, AWS_REGION...). */
  env: Record<string, string>;
}

/** One rolemap process, as recorded from outside it. */
export interface RolemapCall {
  /** Its directory relative to the scenario root. */
  dir: string;
  args: string[];
  /** Exit code; undefined if it never exited (killed). */
  code: number | undefined;
}

export interface ScenarioRun {
  code: number | null;
  /** Terragrunt's stdout and stderr, interleaved as written. */
  output: string;
  tofu: TofuCall[];
  rolemap: RolemapCall[];
  /** The emulator's log of this run, taken before the suite asks it anything itself. */
  sts: CallLogEntry[];
  seconds: number;
}

export interface RunInit {
  binary: TerragruntBinary;
  emulator: EmulatorProcess;
  sandbox: Sandbox;
  args: string[];
  /** Variables of the scenario: base credentials, ROLEMAP_MODE, CI context... */
  env: Record<string, string>;
  /** The auth provider command; default the path of dist/rolemap. */
  authCommand?: string;
  /** Working directory of the Terragrunt process; default the sandbox root. */
  cwd?: string;
}

/**
 * The sandbox's user as rolemap sees it: its HOME, cache, AWS files and the emulator as STS, and
 * nothing from the machine running the tests. A scenario's own variables come on top.
 */
export function sandboxEnv(sandbox: Sandbox, emulator: EmulatorProcess): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: sandbox.home,
    USER: 'tester',
    ROLEMAP_CACHE_DIR: sandbox.cacheDir,
    AWS_CONFIG_FILE: path.join(sandbox.home, '.aws/config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(sandbox.home, '.aws/credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_STS: emulator.env.AWS_ENDPOINT_URL_STS,
  };
}

/**
 * Runs Terragrunt with rolemap as its auth provider command and the stub as OpenTofu, in a
 * clean environment pointed at the emulator (anything else networked at a closed port on
 * 127.0.0.1), after resetting the emulator's log. Returns what the stub, the call recorder and
 * the emulator saw.
 */
export async function runScenario(init: RunInit): Promise<ScenarioRun> {
  const { binary, emulator, sandbox } = init;
  await emulator.reset();
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tofuRecords = path.join(sandbox.root, `tofu-${stamp}.jsonl`);
  const rolemapRecords = path.join(sandbox.root, `rolemap-${stamp}.jsonl`);
  const env: Record<string, string> = {
    ...sandboxEnv(sandbox, emulator),
    TMPDIR: path.join(sandbox.root, 'tmp'),
    AWS_REGION: 'us-east-1',
    // Nothing may leave the machine: any proxied request goes to a closed port (Go never proxies
    // 127.0.0.1, where the emulator listens).
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TOFU_STUB_RECORDS: tofuRecords,
    ROLEMAP_E2E_CALLS: rolemapRecords,
    NODE_OPTIONS: `--require ${JSON.stringify(CALL_RECORDER)}`,
    [binary.dialect.authCommandEnv]: init.authCommand ?? ROLEMAP_BIN,
    ...binary.dialect.quietEnv,
    ...init.env,
  };
  const started = Date.now();
  const { code, output } = await spawnTerragrunt(binary.path, init.args, init.cwd ?? sandbox.root, env);
  const seconds = (Date.now() - started) / 1000;
  const sts = await emulator.calls();
  const tofu = await identify(emulator.url, readJsonLines(tofuRecords) as RawTofuRecord[], sandbox.root);
  return { code, output, tofu, rolemap: rolemapCalls(readJsonLines(rolemapRecords) as RawRolemapRecord[], sandbox.root), sts, seconds };
}

function spawnTerragrunt(file: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function readJsonLines(file: string): unknown[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

interface RawTofuRecord {
  unitDir: string;
  command: string;
  env: Record<string, string>;
}

interface RawRolemapRecord {
  event: 'start' | 'exit';
  pid: number;
  cwd: string;
  args: string[];
  code?: number;
}

const SECRET_VARIABLES = new Set(['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']);

/** The stub's records with each set of keys replaced by whom the emulator says they belong to. */
async function identify(endpoint: string, records: RawTofuRecord[], root: string): Promise<TofuCall[]> {
  const who = new Map<string, Promise<string>>();
  const identityOf = (env: Record<string, string>): Promise<string> => {
    const accessKeyId = env['AWS_ACCESS_KEY_ID'];
    const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
    if (accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined) return Promise.resolve('none');
    const sessionToken = env['AWS_SESSION_TOKEN'];
    const key = `${accessKeyId}\n${secretAccessKey}\n${sessionToken ?? ''}`;
    let answer = who.get(key);
    if (answer === undefined) {
      answer = callerArn(endpoint, { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
      who.set(key, answer);
    }
    return answer;
  };
  return Promise.all(
    records.map(async (record) => {
      const inputs: Record<string, string> = {};
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(record.env)) {
        if (name.startsWith('TF_VAR_')) inputs[name.slice('TF_VAR_'.length)] = value;
        else if (!SECRET_VARIABLES.has(name)) env[name] = value;
      }
      return {
        unit: relative(root, record.unitDir),
        command: record.command,
        identity: await identityOf(record.env),
        keyId: record.env['AWS_ACCESS_KEY_ID'],
        inputs,
        env,
      };
    }),
  );
}

async function callerArn(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string> {
  const client = new STSClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn ?? 'invalid: no Arn';
  } catch (error) {
    return `invalid: ${error instanceof Error ? error.name : 'error'}`;
  } finally {
    client.destroy();
  }
}

function rolemapCalls(records: RawRolemapRecord[], root: string): RolemapCall[] {
  const exits = new Map(records.filter((r) => r.event === 'exit').map((r) => [r.pid, r.code]));
  return records
    .filter((r) => r.event === 'start')
    .map((r) => ({ dir: relative(root, r.cwd), args: r.args, code: exits.get(r.pid) }));
}

/** `dir` relative to `root`, with `/`, through symlinks (macOS /var -> /private/var). */
export function relative(root: string, dir: string): string {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  return path.relative(real(root), real(dir)).split(path.sep).join('/');
}
