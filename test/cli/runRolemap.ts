import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { assertDistIsCurrent } from '../distIsCurrent';

export { parseTerragruntJson } from './fixtures/parseTerragruntJson';
export { EXAMPLES_LIVE, makeSandbox, type Sandbox } from './sandbox';

// Every test of the built binary imports this file: none runs against a stale dist/.
assertDistIsCurrent();

export const ROLEMAP_BIN = path.resolve(__dirname, '../../dist/rolemap');

/**
 * Whether this Node is the one that built dist/ and trained its code caches (scripts/build.mjs
 * writes which in dist/package.json). Only there does dist/rolemap take its fast path; under
 * another (the suite run by Node 22 or 24 against a dist/ that Node 20 built), V8 rejects the
 * shipped caches by design.
 */
export const ON_BUILD_NODE =
  (JSON.parse(fs.readFileSync(path.join(path.dirname(ROLEMAP_BIN), 'package.json'), 'utf8')) as { rolemapBuild?: { node: string } }).rolemapBuild?.node === process.version;

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
