import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { assertDistIsCurrent } from '../distIsCurrent';

export { EXAMPLES_LIVE, makeSandbox, type Sandbox } from './sandbox';

// Every test of the built binary imports this file: none runs against a stale dist/.
assertDistIsCurrent();

export const ROLEMAP_BIN = path.resolve(__dirname, '../../dist/rolemap');

export interface RolemapRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunRolemapOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Kills the process after this long (a hang is a failure, not a stuck test run). */
  timeoutMs?: number;
}

/**
 * Runs the built dist/rolemap the way Terragrunt does: in a directory, with an environment,
 * stdin closed, stdout and stderr as pipes.
 */
export function runRolemap(args: readonly string[], options: RunRolemapOptions): Promise<RolemapRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROLEMAP_BIN, ...args], {
      cwd: options.cwd,
      env: definedOnly(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Checks stdout against docs/architecture.md, "The contract with Terragrunt" and returns the
 * parsed object. Throws with the reason when any rule is broken, so a test failure says which.
 */
export function parseTerragruntJson(stdout: string): Record<string, unknown> {
  if (stdout.charCodeAt(0) === 0xfeff) throw new Error('stdout starts with a BOM');
  const body = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  if (body.includes('\n')) throw new Error(`stdout is more than one line: ${JSON.stringify(stdout.slice(0, 200))}`);
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('stdout is not a JSON object');
  const json = parsed as Record<string, unknown>;
  const allowed = new Set(['awsCredentials', 'awsRole', 'envs']);
  for (const key of Object.keys(json)) if (!allowed.has(key)) throw new Error(`unexpected top-level key ${key}`);
  if ('awsCredentials' in json && 'awsRole' in json) throw new Error('both awsCredentials and awsRole');
  if ('envs' in json) {
    const envs = json['envs'];
    if (typeof envs !== 'object' || envs === null || Array.isArray(envs)) throw new Error('envs is not an object (null is forbidden)');
    for (const [k, v] of Object.entries(envs)) if (typeof v !== 'string') throw new Error(`envs.${k} is not a string`);
  }
  if ('awsCredentials' in json) {
    const creds = json['awsCredentials'] as Record<string, unknown>;
    for (const key of ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'SESSION_TOKEN']) {
      if (typeof creds[key] !== 'string' || creds[key] === '') throw new Error(`awsCredentials.${key} missing or empty`);
    }
  }
  if ('awsRole' in json) {
    const role = json['awsRole'] as Record<string, unknown>;
    if (typeof role['roleARN'] !== 'string') throw new Error('awsRole.roleARN missing');
    if (typeof role['roleSessionName'] !== 'string') throw new Error('awsRole.roleSessionName missing');
    if ('sessionName' in role) throw new Error('awsRole.sessionName is ignored by Terragrunt; use roleSessionName');
    if (!Number.isInteger(role['duration'])) throw new Error('awsRole.duration is not an integer');
  }
  return json;
}
