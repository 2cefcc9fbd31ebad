import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { SEED_DEVELOPER } from '../emulator/seed';
import { developerEnv } from './fixtures/developerEnv';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type Sandbox } from './runRolemap';

const run = promisify(execFile);
const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAS_AWS_CLI) process.stdout.write('env.integ: the AWS CLI (aws) is not installed; skipping its test\n');
const UNIT = 'prod/us-east-1/app';
const OTHER_UNIT = 'dev/us-east-1/app';
/** A mapping env value that every quoting mistake would mangle or run. */
const NASTY = `it's "$HOME" \`id\` $(id) \\ ; & | * ? ~ # ! %\nsecond line ‘’`;

/** Prints the variables the test looks at, as one JSON line tagged with a label. */
const SHOW = `${process.execPath} -e 'const e = process.env; console.log(JSON.stringify([process.argv[1], ...["AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_PROFILE", "TF_VAR_nasty", "ROLEMAP_ENV_VARIABLES"].map((k) => e[k] ?? null)]))'`;

describe('rolemap env and env --unset in a real sh (through dist/rolemap)', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT, OTHER_UNIT] });
    const yaml = fs.readFileSync(tree.mappingFile, 'utf8');
    fs.writeFileSync(tree.mappingFile, yaml.replace('  auth: assume\n', `  auth: assume\n  envs:\n    TF_VAR_nasty: ${JSON.stringify(NASTY)}\n`));
  });
  afterEach(() => sandbox.cleanup());

  /** Runs a sh script with `rolemap` on PATH and the developer's environment keys as its base. */
  async function sh(script: string, extra: Record<string, string> = {}): Promise<{ shown: unknown[][]; stderr: string }> {
    const bin = path.join(sandbox.home, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'rolemap'), `#!/bin/sh\nexec ${process.execPath} ${ROLEMAP_BIN} "$@"\n`, { mode: 0o755 });
    const env = { ...developerEnv(sandbox, emulator), AWS_REGION: 'eu-west-1', ...extra, PATH: `${bin}:${sandbox.env.PATH}` };
    const out = await run('sh', ['-c', script], { cwd: tree.unitDir(UNIT), env });
    return { shown: out.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown[]), stderr: out.stderr };
  }

  it('gives the shell the unit, quoted right; --unset gives back the keys and region it had, and rolemap works again', async () => {
    const { shown, stderr } = await sh(`
      set -e
      ${SHOW} before
      eval "$(rolemap env)"
      ${SHOW} after-env
      if rolemap --dir ${tree.unitDir(OTHER_UNIT)} >/dev/null 2>&1; then ${SHOW} stranded-call-worked; else ${SHOW} stranded-call-failed; fi
      eval "$(rolemap env --unset)"
      ${SHOW} after-unset
      rolemap --dir ${tree.unitDir(OTHER_UNIT)} >/dev/null
      ${SHOW} rolemap-works-again
    `);
    const [before, afterEnv, stranded, afterUnset, again] = shown;
    expect({ before, afterUnset, again }).toStrictEqual({
      before: ['before', SEED_DEVELOPER.accessKeyId, 'eu-west-1', null, null, null],
      afterUnset: ['after-unset', SEED_DEVELOPER.accessKeyId, 'eu-west-1', null, null, null],
      again: ['rolemap-works-again', SEED_DEVELOPER.accessKeyId, 'eu-west-1', null, null, null],
    });
    expect({
      label: afterEnv?.[0],
      issuedKey: typeof afterEnv?.[1] === 'string' && afterEnv[1].startsWith('ASIA'),
      region: afterEnv?.[2],
      nasty: afterEnv?.[4],
      stranded: stranded?.[0],
    }).toStrictEqual({ label: 'after-env', issuedKey: true, region: 'us-east-1', nasty: NASTY, stranded: 'stranded-call-failed' });
    // env says how to undo it, on stderr.
    expect(stderr).toContain('Undo with: eval "$(rolemap env --unset)"');
  });

  (HAS_AWS_CLI ? it : it.skip)('after eval "$(rolemap env)", the AWS CLI acts as the mapped role, and after --unset as the developer again', async () => {
    const arn = 'aws sts get-caller-identity --query Arn --output text';
    const { shown } = await sh(`
      set -e
      eval "$(rolemap env)"
      printf '["env","%s"]\\n' "$(${arn})"
      eval "$(rolemap env --unset)"
      printf '["unset","%s"]\\n' "$(${arn})"
    `, { AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(shown).toStrictEqual([
      ['env', expect.stringMatching(/^arn:aws:sts::333333333333:assumed-role\/terragrunt-plan\//)],
      ['unset', SEED_DEVELOPER.arn],
    ]);
  });

  it('a second env in the same shell restores what the first changed and the second does not', async () => {
    // The base is a profile named in the user's own config, which env leaves in place, so the
    // second env can obtain credentials (AWS_PROFILE alone would be unset by the first env).
    const userConfig = path.join(sandbox.home, 'rolemap-user.yaml');
    fs.writeFileSync(userConfig, 'version: 1\nsource_profile: base\n');
    fs.mkdirSync(path.join(sandbox.home, '.aws'), { recursive: true });
    fs.writeFileSync(
      path.join(sandbox.home, '.aws/credentials'),
      `[base]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
    );
    fs.writeFileSync(tree.mappingFile, fs.readFileSync(tree.mappingFile, 'utf8').replace(/  envs:\n    TF_VAR_nasty: .*\n/, ''));
    fs.appendFileSync(tree.mappingFile, '  - paths: ["prod/us-east-1/**"]\n    account: prod\n    role: terragrunt-plan\n    envs:\n      TF_VAR_nasty: prod-only\n');
    const { shown } = await sh(
      `
      set -e
      export TF_VAR_nasty=mine
      eval "$(rolemap env)"
      ${SHOW} first
      eval "$(rolemap env ${tree.unitDir(OTHER_UNIT)})"
      ${SHOW} second
      eval "$(rolemap env --unset)"
      ${SHOW} undone
    `,
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'base', ROLEMAP_USER_CONFIG: userConfig },
    );
    expect(shown.map((row) => [row[0], row[2], row[3], row[4]])).toStrictEqual([
      ['first', 'us-east-1', null, 'prod-only'],
      ['second', 'us-east-1', null, 'mine'],
      ['undone', 'eu-west-1', 'base', 'mine'],
    ]);
  });

  it('in a shell that env stranded, rolemap says how to undo it', async () => {
    const { shown } = await sh(`
      eval "$(rolemap env)"
      rolemap --dir ${tree.unitDir(OTHER_UNIT)} 2>&1 >/dev/null | ${process.execPath} -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => console.log(JSON.stringify([t.split("\\n").find((l) => l.includes("hint:")) ?? t])))'
    `);
    expect(shown[0]?.[0]).toContain('eval "$(rolemap env --unset)"');
  });

  it('--unset in a shell with no rolemap env prints nothing and says so', async () => {
    const result = await runRolemap(['env', '--unset'], { cwd: tree.unitDir(UNIT), env: sandbox.env });
    expect(result).toStrictEqual({ code: 0, stdout: '', stderr: 'rolemap: nothing to undo: no `rolemap env` is active in this shell.\n' });
  });
});
