import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../emulator';
import { callerArnOf } from './fixtures/callerArnOf';
import { developerEnv } from './fixtures/developerEnv';
import { printedCredentials } from './fixtures/printedCredentials';
import { startRolemap } from './fixtures/startRolemap';
import { writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, type Sandbox } from './runRolemap';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');
const UNIT = 'prod/us-east-1/app';

/**
 * The npm package as a user gets it: `npm pack` of the repository (dist/ as `npm test` built it;
 * prepack would rebuild dist/ under the other test files' feet, so scripts are skipped here),
 * installed with `npm install -g` into a temporary prefix, offline and with an empty npm cache,
 * so an install that needed any dependency from the registry fails. Then the installed
 * `rolemap`, run through the bin link npm made, answers in a unit outside the repository.
 */
describe('the npm package: npm pack, npm install -g from the tarball, then the installed rolemap', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;
  let installed: string;
  let packedFiles: string[];
  let tarball: string;
  let npmEnv: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    sandbox = makeSandbox();
    npmEnv = { ...sandbox.env, npm_config_cache: path.join(sandbox.home, 'npm-cache'), npm_config_update_notifier: 'false' };
    const packDir = path.join(sandbox.home, 'pack');
    fs.mkdirSync(packDir);
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: REPO, env: npmEnv });
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    if (info === undefined) throw new Error(`npm pack printed no package: ${packed.stdout}`);
    packedFiles = info.files.map((f) => f.path);
    tarball = path.join(packDir, info.filename);
    const prefix = path.join(sandbox.home, 'prefix');
    await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: sandbox.home,
      env: npmEnv,
    });
    installed = path.join(prefix, 'bin', 'rolemap');
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
  }, 120_000);
  afterAll(async () => {
    await emulator.close();
    sandbox.cleanup();
  });

  /** Runs the installed bin itself (its #!/usr/bin/env node line), in the unit directory. */
  function rolemap(args: readonly string[], env: Record<string, string> = sandbox.env): ReturnType<typeof startRolemap>['done'] {
    return startRolemap(args, { cwd: tree.unitDir(UNIT), env, command: [installed] }).done;
  }

  it('packs the bundled dist/ with its source maps, the schemas and the example mapping, and no sources, tests or node_modules', () => {
    expect({
      hasLauncher: packedFiles.includes('dist/rolemap'),
      hasHotBundle: packedFiles.includes('dist/rolemap.cjs'),
      hasSourceMaps: packedFiles.includes('dist/rolemap.cjs.map') && packedFiles.includes('dist/lib/fromAssumeRole.cjs.map'),
      hasSchema: packedFiles.includes('schema/rolemap.schema.json'),
      outside: packedFiles.filter((f) => !/^(dist\/|schema\/|mappings\.example\.yaml$|package\.json$|README\.md$|LICENSE)/.test(f)),
    }).toStrictEqual({ hasLauncher: true, hasHotBundle: true, hasSourceMaps: true, hasSchema: true, outside: [] });
  });

  it('installs with no dependencies: nothing under the installed package\'s node_modules', () => {
    const packageDir = path.dirname(path.dirname(fs.realpathSync(installed)));
    expect(fs.readdirSync(packageDir).filter((f) => f === 'node_modules')).toStrictEqual([]);
  });

  it('the installed rolemap prints its version and explains a unit', async () => {
    const version = await rolemap(['--version']);
    const explain = await rolemap(['explain', '--json']);
    const report = JSON.parse(explain.stdout) as { unitPath: string };
    expect({
      version: version.stdout.trim(),
      explainCode: explain.code,
      explainStderr: explain.stderr,
      unitPath: report.unitPath,
    }).toStrictEqual({
      version: (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version,
      explainCode: 0,
      explainStderr: '',
      unitPath: UNIT,
    });
  });

  it('npx runs it from the tarball without installing, offline', async () => {
    const { stdout } = await run('npx', ['--yes', '--offline', '--package', tarball, 'rolemap', 'version'], { cwd: sandbox.home, env: npmEnv });
    expect(stdout).toBe(`${(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('the installed rolemap gets credentials for the unit from STS (the emulator)', async () => {
    const answer = await rolemap([], developerEnv(sandbox, emulator));
    expect({ code: answer.code, stderr: answer.stderr }).toStrictEqual({ code: 0, stderr: '' });
    const caller = await callerArnOf(emulator, printedCredentials(answer.stdout));
    // The session name holds the OS user, which differs between machines.
    expect(caller.split('/').slice(0, 2).join('/')).toBe('arn:aws:sts::333333333333:assumed-role/terragrunt-plan');
  });
});
