import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { CallLogEntry } from './callLog';
import type { EmulatorEnv } from './server';
import type { EmulatedRole, TrustPolicy, TrustPolicyUpdate } from './sts';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(__dirname, 'emulatorProcess.ts');

/** An emulator running in its own process, controlled over its HTTP control API (/_emulator/). */
export interface EmulatorProcess {
  readonly url: string;
  env(): EmulatorEnv;
  /** Calls per action so far. */
  callCounts(): Promise<Record<string, number>>;
  callLog(): Promise<CallLogEntry[]>;
  /** Forgets the calls so far and clears faults. */
  reset(): Promise<void>;
  /** Changes trust fields of a role (absent fields stay); resolves with the role's trust as it now is. */
  updateRoleTrust(arn: string, trust: TrustPolicyUpdate): Promise<TrustPolicy>;
  /** Makes the next `count` calls of `action` hang (never answered). */
  hangNext(count: number, action: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts test/emulator in a child process and resolves once it listens on 127.0.0.1. */
export function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      child.stdout?.off('data', onData);
      const { url, env } = JSON.parse(out.slice(0, newline)) as { url: string; env: EmulatorEnv };
      resolve(controlOf(child, url, env));
    };
    child.stdout?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the emulator process exited (${String(code)}) before listening`)));
  });
}

function controlOf(child: ChildProcess, url: string, env: EmulatorEnv): EmulatorProcess {
  // fetch parses JSON in Node's own realm, not in jest's: rebuilt here, answers compare with toStrictEqual.
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/_emulator${route}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator control ${method} ${route}: ${response.status}`);
    return JSON.parse(await response.text()) as unknown;
  };
  return {
    url,
    env: () => ({ ...env }),
    callCounts: async () => ((await call('GET', '/calls')) as { counts: Record<string, number> }).counts,
    callLog: async () => ((await call('GET', '/calls')) as { log: CallLogEntry[] }).log,
    reset: async () => {
      await call('POST', '/reset');
    },
    updateRoleTrust: async (arn, trust) => ((await call('POST', '/roles/trust', { arn, ...trust })) as { role: EmulatedRole }).role.trust,
    hangNext: async (count, action) => {
      await call('POST', '/faults', { hang: count, action });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}
