import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { CallLogEntry, EmulatorEnv } from '../../emulator';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = path.resolve(__dirname, '../fixtures/emulatorProcess.ts');

/** The emulator running in a process of its own, driven over its HTTP control API. */
export interface EmulatorProcess {
  url: string;
  env: EmulatorEnv;
  /** The call log: every STS call with its action, role, signer (callerArn) and result. */
  calls(): Promise<CallLogEntry[]>;
  /** Forgets the call log and any faults. */
  reset(): Promise<void>;
  /** Replaces who may call sts:AssumeRole on a role. */
  setPrincipals(roleArn: string, principals: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts fixtures/emulatorProcess.ts with tsx and waits for the line that says where it listens. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(TSX, [ENTRY], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${String(code)}) before it listened: ${stderr}`)));
  });
  const started = JSON.parse(first) as { url: string; env: EmulatorEnv };
  const control = async (method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${started.url}/_emulator/${route}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url: started.url,
    env: started.env,
    calls: async () => ((await control('GET', 'calls')) as { log: CallLogEntry[] }).log,
    reset: async () => {
      await control('POST', 'reset');
    },
    setPrincipals: async (roleArn, principals) => {
      await control('POST', 'roles/trust', { arn: roleArn, principals });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
