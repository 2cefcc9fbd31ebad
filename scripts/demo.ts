/**
 * `npm run demo`: rolemap over examples/live against the local AWS emulator, the way
 * `terragrunt run --all` calls it: every unit at once at discovery, then every unit task and
 * every dependency-output fetch at once. No AWS account is needed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findUnits } from '../src/locate/findUnits';
import { startEmulator } from '../test/emulator';
import { SEED_DEVELOPER } from '../test/emulator/seed';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist/rolemap');
const LIVE = path.join(ROOT, 'examples/live');

interface Call {
  phase: string;
  unit: string;
  kind: 'discovery' | 'task' | 'dependency';
  mode: string;
}

interface Outcome extends Call {
  code: number | null;
  account: string;
  role: string;
  cache: string;
  envs: Record<string, string>;
  creds: Record<string, string> | undefined;
  stderr: string;
}

function run(call: Call, env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN], {
      cwd: path.join(LIVE, call.unit),
      env: { ...env, ROLEMAP_MODE: call.mode, ROLEMAP_LOG_LEVEL: 'debug', ROLEMAP_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const logs = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const resolved = logs.find((l) => l['msg'] === 'resolved');
      const json = code === 0 ? (JSON.parse(stdout) as Record<string, Record<string, string>>) : undefined;
      const roleArn = String(resolved?.['roleArn'] ?? '?');
      resolve({
        ...call,
        code,
        account: roleArn.split(':')[4] ?? '?',
        role: roleArn.split('/').pop() ?? '?',
        cache: logs.some((l) => l['msg'] === 'cache hit') ? 'hit' : logs.some((l) => l['msg'] === 'obtained new credentials') ? 'MISS' : 'error',
        envs: json?.['envs'] ?? {},
        creds: json?.['awsCredentials'],
        stderr: logs.filter((l) => Number(l['level']) >= 40).map((l) => String(l['msg'])).join('; '),
      });
    });
  });
}

/** `dependency` blocks of a unit's terragrunt.hcl, as unit paths. */
function dependenciesOf(unit: string): string[] {
  const hcl = fs.readFileSync(path.join(LIVE, unit, 'terragrunt.hcl'), 'utf8');
  return [...hcl.matchAll(/config_path\s*=\s*"([^"]+)"/g)].map((m) => path.posix.normalize(path.posix.join(unit, m[1] ?? '')));
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  if (!fs.existsSync(BIN)) throw new Error('dist/rolemap is missing: run `npm run build` first');
  const emulator = await startEmulator();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-demo-'));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    USER: process.env['USER'] ?? 'demo',
    ROLEMAP_CACHE_DIR: path.join(home, 'cache'),
    AWS_CONFIG_FILE: path.join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...emulator.env(),
    // The seeded developer: the base identity every role trusts.
    AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
  };
  const units = findUnits(LIVE);
  const outcomes: Outcome[] = [];
  try {
    for (const mode of ['plan', 'apply']) {
      const phase = `run --all (${mode})`;
      // Discovery: one call per unit, all at once.
      const discovery = await Promise.all(units.map((unit) => run({ phase, unit, kind: 'discovery', mode }, env)));
      // Tasks and dependency fetches, all at once. A fetch inherits the dependent unit's
      // environment, including the credentials rolemap returned for it.
      const byUnit = new Map(discovery.map((o) => [o.unit, o]));
      const tasks = units.map((unit) => run({ phase, unit, kind: 'task', mode }, env));
      const fetches = units.flatMap((unit) =>
        dependenciesOf(unit).map((dep) => {
          const parent = byUnit.get(unit);
          const inherited = { ...env, ...parent?.envs };
          if (parent?.creds) {
            inherited['AWS_ACCESS_KEY_ID'] = parent.creds['ACCESS_KEY_ID'] ?? '';
            inherited['AWS_SECRET_ACCESS_KEY'] = parent.creds['SECRET_ACCESS_KEY'] ?? '';
            inherited['AWS_SESSION_TOKEN'] = parent.creds['SESSION_TOKEN'] ?? '';
          }
          return run({ phase, unit: dep, kind: 'dependency', mode }, inherited);
        }),
      );
      outcomes.push(...discovery, ...(await Promise.all([...tasks, ...fetches])));
    }
    const rows = [['PHASE', 'CALL', 'UNIT', 'ACCOUNT', 'ROLE', 'MODE', 'CACHE', 'EXIT']];
    for (const o of outcomes) rows.push([o.phase, o.kind, o.unit, o.account, o.role, o.mode, o.cache, String(o.code)]);
    process.stdout.write(`${table(rows)}\n\n`);

    // One row per role and session name: the example's session_name holds {mode}, so dev's single
    // role is assumed once for plan and once for apply.
    const perRole = new Map<string, { arn: string; session: string; calls: number; callers: Set<string> }>();
    for (const call of emulator.callLog().filter((c) => c.action === 'AssumeRole')) {
      const id = `${call.roleArn ?? '?'} ${call.sessionName ?? '?'}`;
      const entry = perRole.get(id) ?? { arn: call.roleArn ?? '?', session: call.sessionName ?? '?', calls: 0, callers: new Set<string>() };
      entry.calls += 1;
      entry.callers.add(call.callerArn ?? '?');
      perRole.set(id, entry);
    }
    const stsRows = [['ROLE ARN', 'SESSION NAME', 'AssumeRole CALLS', 'CALLED AS']];
    for (const [, e] of [...perRole].sort()) stsRows.push([e.arn, e.session, String(e.calls), [...e.callers].join(', ')]);
    process.stdout.write(`${table(stsRows)}\n\n`);
    const failures = outcomes.filter((o) => o.code !== 0);
    process.stdout.write(
      `${outcomes.length} rolemap calls, ${emulator.calls('AssumeRole')} STS AssumeRole calls ` +
        `(a helper without a cache would make ${outcomes.length}), ${failures.length} failures.\n` +
        'Every AssumeRole was made as the developer, never as a role rolemap had issued (no accidental chaining).\n',
    );
    for (const f of failures) process.stdout.write(`FAILED ${f.unit} (${f.kind}): ${f.stderr}\n`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await emulator.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

void main();
