/**
 * How Terragrunt splits the auth provider command: flags after the path, and a quoted path with a
 * space (docs/architecture.md, "The contract with Terragrunt": go-shellwords, no shell). Checked
 * by what OpenTofu received.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_ACCOUNTS } from './harness/accounts';
import { DEVELOPER_KEYS, tail, workCalls } from './harness/expectations';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import { ROLEMAP_BIN } from './harness/runScenario';
import { useScenario } from './harness/useScenario';
import { writeTree } from './harness/writeTree';

const UNITS = ['live/dev/us-east-1/vpc', 'live/dev/us-east-1/app', 'live/prod/us-east-1/vpc', 'live/prod/us-east-1/app'];
const ACCOUNT_OF = (unit: string): string => (unit.includes('/prod/') ? E2E_ACCOUNTS.prod : E2E_ACCOUNTS.dev);

forEachTerragrunt('the auth provider command string', (binary) => {
  const scenario = useScenario(binary);

  beforeEach(() => {
    writeTree(scenario.sandbox().root, {
      units: UNITS.map((dir) => ({ dir })),
      mappings: [
        { paths: ['live/dev/**'], account: 'dev' },
        { paths: ['live/prod/**'], account: 'prod' },
      ],
    });
  });

  /** rolemap installed in a directory whose name has a space (a symlink to dist/, which it needs beside it). */
  function installWithSpace(): string {
    const dir = path.join(scenario.sandbox().root, 'tools dir', 'rolemap install');
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.symlinkSync(path.dirname(ROLEMAP_BIN), dir);
    return path.join(dir, 'rolemap');
  }

  /** Units that planned, with the role their keys belong to. */
  const planned = (run: Awaited<ReturnType<typeof scenario.runAll>>): { unit: string; identity: string }[] =>
    workCalls(run)
      .filter((c) => c.command === 'plan')
      .map((c) => ({ unit: c.unit, identity: c.identity.replace(/\/[^/]+$/, '') }))
      .sort((a, b) => a.unit.localeCompare(b.unit));

  const expected = (role: string): { unit: string; identity: string }[] =>
    [...UNITS].sort().map((unit) => ({ unit, identity: `arn:aws:sts::${ACCOUNT_OF(unit)}:assumed-role/${role}` }));

  it('flags after the path reach rolemap: --mode plan wins over ROLEMAP_MODE=apply', async () => {
    const run = await scenario.runAll('plan', {
      workingDir: 'live',
      env: { ...DEVELOPER_KEYS, ROLEMAP_MODE: 'apply' },
      authCommand: `${ROLEMAP_BIN} --mode plan`,
    });
    reportRow({ scenario: 'auth command with flags', version: binary.version, units: UNITS.length, run });
    if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
    expect(planned(run)).toStrictEqual(expected('terragrunt-plan'));
    expect(run.rolemap.map((c) => c.args)).toStrictEqual(run.rolemap.map(() => ['--mode', 'plan']));
  });

  if (binary.dialect.supports.quotedAuthCommand) {
    it('a quoted path with a space, with flags: "/…/rolemap install/rolemap" --mode plan', async () => {
      const bin = installWithSpace();
      const run = await scenario.runAll('plan', {
        workingDir: 'live',
        env: { ...DEVELOPER_KEYS, ROLEMAP_MODE: 'apply' },
        authCommand: `"${bin}" --mode plan`,
      });
      reportRow({ scenario: 'quoted auth command path with a space', version: binary.version, units: UNITS.length, run });
      if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);
      expect(planned(run)).toStrictEqual(expected('terragrunt-plan'));
      expect(run.rolemap.length).toBeGreaterThanOrEqual(UNITS.length);
    });
  } else {
    it('before v0.88.1 the command is split at every space, quotes and all: a path with a space cannot work', async () => {
      const bin = installWithSpace();
      const run = await scenario.runAll('plan', {
        workingDir: 'live',
        env: { ...DEVELOPER_KEYS },
        authCommand: `"${bin}" --mode plan`,
      });
      reportRow({ scenario: 'quoted auth command path with a space', version: binary.version, units: UNITS.length, run });
      // Terragrunt tries to run `"…/tools` (quote included): no rolemap starts, no unit plans.
      expect({ failed: run.code !== 0, rolemapCalls: run.rolemap.length, plans: planned(run) }).toStrictEqual({ failed: true, rolemapCalls: 0, plans: [] });
      expect(run.output).toContain(`"${path.join(scenario.sandbox().root, 'tools')}`);
    });
  }
});
