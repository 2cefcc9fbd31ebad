import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRolemap } from './fixtures/startRolemap';
import { makeSandbox, type Sandbox } from './runRolemap';

const REPO = path.resolve(__dirname, '../..');
const DIST = path.join(REPO, 'dist');

/** The line of src/cli/run.ts that loads `validate`'s lib: the frame the damaged lib is reached from. */
function runLoadingValidate(): number {
  const lines = fs.readFileSync(path.join(REPO, 'src/cli/run.ts'), 'utf8').split('\n');
  return lines.findIndex((line) => line.includes("import('./commands/validate')")) + 1;
}

/**
 * A failure rolemap did not expect (a bug) says so in one message; at debug level the log also
 * holds its stack, pointed at the TypeScript sources by the source maps the build ships beside
 * dist/'s bundles. Forced here with a damaged install: a copy of dist/ whose `validate` lib throws
 * a TypeError when loaded (and has no map, as a file that was not built would not).
 */
describe('an unexpected error through a damaged copy of dist/rolemap', () => {
  let sandbox: Sandbox;
  let root: string;
  let bin: string;
  let unit: string;

  beforeAll(() => {
    sandbox = makeSandbox();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-unexpected-')));
    fs.cpSync(DIST, path.join(root, 'package/dist'), { recursive: true });
    bin = path.join(root, 'package/dist/rolemap');
    fs.writeFileSync(path.join(root, 'package/dist/lib/validate.cjs'), 'throw new TypeError("damaged lib");\n');
    fs.rmSync(path.join(root, 'package/dist/lib/validate.cjs.map'));
    fs.writeFileSync(path.join(root, 'rolemap.yaml'), 'version: 1\naccounts: {dev: "111111111111"}\nmappings:\n  - paths: ["a/**"]\n    account: dev\n    role: r\n');
    unit = path.join(root, 'a');
    fs.mkdirSync(unit);
  });
  afterAll(() => {
    sandbox.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const MESSAGE = 'rolemap: unexpected error: TypeError: damaged lib\n  hint: this is a bug in rolemap; please report it with ROLEMAP_LOG_LEVEL=debug output.\n';

  it('at the default level: exit 1, the message and its hint, no stack', async () => {
    const run = await startRolemap(['validate'], { cwd: unit, env: sandbox.env, bin }).done;
    expect(run).toStrictEqual({ code: 1, stdout: '', stderr: MESSAGE });
  });

  it('at debug level: the stack in the log, its frames at src/…/*.ts:line (run.ts where it loads the lib), then the same message', async () => {
    const run = await startRolemap(['validate'], { cwd: unit, env: { ...sandbox.env, ROLEMAP_LOG_LEVEL: 'debug' }, bin }).done;
    const record = run.stderr.slice(run.stderr.indexOf('rolemap DEBUG unexpected error stack='));
    const frames = record.split('\n').filter((line) => /^\s+at /.test(line));
    expect({
      code: run.code,
      stdout: run.stdout,
      endsWithMessage: run.stderr.endsWith(MESSAGE),
      firstLine: record.split('\n')[0],
      // The damaged file has no map: its frame stays as V8 wrote it.
      damagedFrame: frames[0]?.includes(`${path.join(root, 'package/dist/lib/validate.cjs')}:1:`),
      runFrame: frames.some((frame) => frame.includes(`src/cli/run.ts:${runLoadingValidate()}:`)),
      mainFrame: frames.some((frame) => /\(src\/cli\/main\.ts:\d+:\d+\)$/.test(frame)),
      unmapped: frames.slice(1).filter((frame) => /dist\/(rolemap|lib\/)/.test(frame)),
    }).toStrictEqual({
      code: 1,
      stdout: '',
      endsWithMessage: true,
      firstLine: 'rolemap DEBUG unexpected error stack=TypeError: damaged lib',
      damagedFrame: true,
      runFrame: true,
      mainFrame: true,
      unmapped: [],
    });
  });

  it('ships the maps beside the bundles, linked from none of them: nothing loads a map on a normal call', () => {
    const bundles = ['rolemap', 'rolemap.cjs', ...fs.readdirSync(path.join(DIST, 'lib')).filter((f) => f.endsWith('.cjs')).map((f) => `lib/${f}`)];
    expect({
      withoutMap: bundles.filter((file) => !fs.existsSync(path.join(DIST, `${file}.map`))),
      linked: bundles.filter((file) => fs.readFileSync(path.join(DIST, file), 'utf8').includes('sourceMappingURL')),
    }).toStrictEqual({ withoutMap: [], linked: [] });
  });
});
