/**
 * A Terragrunt stack: `terragrunt.stack.hcl` files, `stack generate`, then `run --all` over the
 * units generated under `.terragrunt-stack/`, mapped by the globs a user writes for the stack's
 * own path. Checked by what OpenTofu received and by the emulator's log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_ACCOUNTS } from './harness/accounts';
import { DEVELOPER_ARN, DEVELOPER_KEYS, assumeRoleSigners, stsCounts, tail, workCalls } from './harness/expectations';
import { forEachTerragrunt } from './harness/forEachTerragrunt';
import { reportRow } from './harness/reportRow';
import { relative, TOFU_STUB } from './harness/runScenario';
import { useScenario } from './harness/useScenario';
import { writeTree, writeUnit } from './harness/writeTree';

const STACKS = { dev: 'live/dev/app', prod: 'live/prod/app' } as const;

/** The stack file of live/<env>/app: the api unit and the worker that reads api's outputs. */
function stackFile(stackDir: string): string {
  const catalog = (unit: string): string => path.posix.relative(stackDir, `catalog/units/${unit}`);
  return [
    'unit "api" {',
    `  source = "${catalog('api')}"`,
    '  path   = "api"',
    '}',
    '',
    'unit "worker" {',
    `  source = "${catalog('worker')}"`,
    '  path   = "worker"',
    '}',
    '',
  ].join('\n');
}

forEachTerragrunt('a stack', (binary) => {
  if (!binary.dialect.supports.stacks) {
    it.skip(`stacks need Terragrunt v1.0.0 or later (this is ${binary.version})`, () => undefined);
    return;
  }
  const scenario = useScenario(binary);

  it('stack generate, then run --all plan: each generated unit, and the fetch of its sibling\'s outputs, in the stack\'s account', async () => {
    const root = scenario.sandbox().root;
    writeTree(root, {
      units: [],
      // What a user writes: the dev tree as a whole, and the prod stack by its own path.
      mappings: [
        { paths: ['live/dev/**'], account: 'dev' },
        { paths: [`${STACKS.prod}/**`], account: 'prod' },
      ],
    });
    writeUnit(root, { dir: 'catalog/units/api' });
    writeUnit(root, { dir: 'catalog/units/worker', dependencies: { api: 'catalog/units/api' } });
    for (const stackDir of Object.values(STACKS)) {
      fs.mkdirSync(path.join(root, stackDir), { recursive: true });
      fs.writeFileSync(path.join(root, stackDir, 'terragrunt.stack.hcl'), stackFile(stackDir));
    }

    const generate = await scenario.run(binary.dialect.stackGenerate({ workingDir: path.join(root, 'live'), tfPath: TOFU_STUB }), { env: DEVELOPER_KEYS });
    if (generate.code !== 0) throw new Error(`stack generate exited ${String(generate.code)}:\n${tail(generate)}`);
    const generated = Object.values(STACKS).flatMap((stack) => ['api', 'worker'].map((unit) => `${stack}/.terragrunt-stack/${unit}`));
    for (const unit of generated) expect(fs.existsSync(path.join(root, unit, 'terragrunt.hcl'))).toBe(true);

    const run = await scenario.runAll('plan', { workingDir: 'live', env: DEVELOPER_KEYS });
    reportRow({ scenario: 'stack generate + run --all plan', version: binary.version, units: generated.length, run });
    if (run.code !== 0) throw new Error(`terragrunt exited ${String(run.code)}:\n${tail(run)}`);

    const accountOf = (unit: string): string => (unit.startsWith(STACKS.prod) ? E2E_ACCOUNTS.prod : E2E_ACCOUNTS.dev);
    expect(workCalls(run).filter((c) => c.command === 'plan').map((c) => c.unit).sort()).toStrictEqual([...generated].sort());
    const wrong = workCalls(run)
      .map((c) => ({ unit: c.unit, command: c.command, identity: c.identity }))
      .filter((c) => !c.identity.startsWith(`arn:aws:sts::${accountOf(c.unit)}:assumed-role/terragrunt-plan/`));
    expect(wrong).toStrictEqual([]);
    for (const stack of Object.values(STACKS)) {
      const worker = run.tofu.find((c) => c.unit === `${stack}/.terragrunt-stack/worker` && c.command === 'plan');
      expect(relative(root, worker?.inputs['api_unit'] ?? '')).toBe(`${stack}/.terragrunt-stack/api`);
      expect(run.tofu.some((c) => c.unit === `${stack}/.terragrunt-stack/api` && c.command === 'output')).toBe(true);
    }
    expect(run.rolemap.filter((c) => c.code !== 0)).toStrictEqual([]);
    expect(assumeRoleSigners(run).filter((s) => s.signer !== DEVELOPER_ARN || s.result !== 'ok')).toStrictEqual([]);
    expect(stsCounts(run)).toStrictEqual({ AssumeRole: 2 });
  });
});
