import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileBundle, moduleFunction, runBundle } from '../../src/launch/loader';
import wrapper from '../../src/launch/commonJsWrapper.json';

const DIST = path.resolve(__dirname, '../../dist');
/** A module whose `where()` returns the first frame of a stack taken at `new Error`. */
const BODY = "exports.where = () => new Error('here').stack.split('\\n')[1];\nexports.through = typeof require;\n";

describe('the loader of the files dist/rolemap compiles itself (src/launch/loader.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-loader-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const load = (name: string, text: string): { where: () => string; through: string } => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return runBundle(compileBundle(file, undefined), file, dir, () => require) as { where: () => string; through: string };
  };

  /** As scripts/build.mjs writes a file: the wrapper's start on the first line, the call on the last. */
  const WRAPPED = `${wrapper.start}\n${BODY}${wrapper.end}${wrapper.call}\n`;

  it('compiles a file written inside the wrapper as read, up to the call: no text is added to copy', () => {
    const { source, columnOffset } = moduleFunction(WRAPPED);
    expect(source).toBe(`${wrapper.start}\n${BODY}${wrapper.end}`);
    expect(WRAPPED.startsWith(source)).toBe(true);
    expect(columnOffset).toBe(0);
  });

  it('runs a file written inside the wrapper, with stack positions that are the file’s own', () => {
    const loaded = load('wrapped.cjs', WRAPPED);
    expect(loaded.through).toBe('function');
    expect(loaded.where()).toContain(`wrapped.cjs:2:${BODY.indexOf('new Error') + 1}`);
  });

  it('runs any other CommonJS file as Node would, columns counted from its own first character', () => {
    const loaded = load('plain.cjs', BODY);
    expect(loaded.through).toBe('function');
    expect(loaded.where()).toContain(`plain.cjs:1:${BODY.indexOf('new Error') + 1}`);
  });

  it('finds every file of dist/ that it compiles written inside the wrapper, and Node can still require them', () => {
    const files = ['rolemap.cjs', 'launch.cjs', ...fs.readdirSync(path.join(DIST, 'lib')).filter((name) => name.endsWith('.cjs')).map((name) => `lib/${name}`)];
    const unwrapped = files.filter((name) => {
      const text = fs.readFileSync(path.join(DIST, name), 'utf8');
      return !(text.startsWith(`${wrapper.start}\n`) && text.endsWith(`\n${wrapper.end}${wrapper.call}\n`));
    });
    expect(unwrapped).toStrictEqual([]);
    expect(Object.keys(require(path.join(DIST, 'lib/errors.cjs')) as object)).toContain('CredentialsError');
  });
});
