import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { externalImports, folderCycles, folderEdges, folderOf, sourceImports, specifiersOf } from '../scripts/importGraph';

const SRC = path.resolve(__dirname, '../src');

/**
 * The stages of src/, lowest first: a module may import only from its own folder or from a folder
 * earlier in this list (docs/architecture.md, "The import rule"). The order follows who calls whom:
 * - `.`, the base: facts every stage shares (constants, error classes, AwsCredentials, safe file
 *   reads, shell quoting); it imports no folder.
 * - log: the logger, used by every stage that does I/O.
 * - config: parses, validates and compiles the mapping file and the user config text; pure, it
 *   knows nothing of where the text came from.
 * - resolve: decides the request from a compiled config, the unit path and the environment
 *   (mode, auth kind, web-identity token source, base source, glob matching); pure.
 * - cache: the store, locks, keys and states; its keys are built from resolve's request.
 * - locate: the file I/O around config and resolve: finds the mapping file, the user config and
 *   the units, loads the compiled form through the cache's store and hands the result to resolve.
 * - auth: obtains credentials for a resolved request, one module per auth kind, under the
 *   cache's single-flight lock.
 * - cli: arguments, environment, commands and renderers; the only writer to stdout. It wires the
 *   stages together.
 * - launch: src/launch.ts, the executable's entry, and src/launch/: they load the cli bundle (and its
 *   code cache).
 */
const ORDER = ['.', 'log', 'config', 'resolve', 'cache', 'locate', 'auth', 'cli', 'launch'];

/** Node modules that reach outside the process: config/ and resolve/ must not import them. */
const IO_MODULES = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'tls',
  'os',
  'process',
  'readline',
  'worker_threads',
  'cluster',
  'inspector',
];
const PURE_FOLDERS = ['config', 'resolve'];

describe('the architecture: data flows one way between the folders of src/', () => {
  const imports = sourceImports(SRC);
  const edges = folderEdges(imports);

  it('has no import cycle between folders', () => {
    expect(folderCycles(edges)).toStrictEqual([]);
  });

  it('places every folder of src/ in the stage order', () => {
    const folders = new Set(fs.readdirSync(SRC).map((name) => folderOf(name)));
    expect([...folders].filter((folder) => !ORDER.includes(folder))).toStrictEqual([]);
  });

  it('imports only from earlier stages', () => {
    const rank = (file: string): number => ORDER.indexOf(folderOf(file));
    const upward = imports.filter((i) => folderOf(i.from) !== folderOf(i.to) && rank(i.to) >= rank(i.from));
    expect(upward.map((i) => `${i.from} imports ${i.to}`)).toStrictEqual([]);
  });

  it('states the same order as docs/architecture.md, "The import rule"', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../docs/architecture.md'), 'utf8');
    const rule = doc.split('\n').find((line) => line.trim().startsWith('base (src/*.ts) <')) ?? '';
    const stages = rule
      .split('<')
      .map((stage) => stage.trim().split(' ')[0] ?? '')
      .map((stage) => (stage === 'base' ? '.' : stage));
    expect(stages).toStrictEqual(ORDER);
  });

  it('keeps config/ and resolve/ free of I/O: no node module that reaches outside the process, no `process`', () => {
    const isIo = (specifier: string): boolean => IO_MODULES.includes(specifier.replace(/^node:/, ''));
    const io = externalImports(SRC).filter((i) => PURE_FOLDERS.includes(folderOf(i.from)) && isIo(i.to));
    const processUses = PURE_FOLDERS.flatMap((folder) =>
      fs
        .readdirSync(path.join(SRC, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => `${folder}/${name}`)
        .filter((file) => usesProcess(fs.readFileSync(path.join(SRC, file), 'utf8'), file)),
    );
    expect({ io: io.map((i) => `${i.from} imports ${i.to}`), processUses }).toStrictEqual({ io: [], processUses: [] });
  });
});

describe('the import graph the architecture test reads', () => {
  it('sees every form of import: static, type-only, re-export, import(), require() and import types', () => {
    const text = [
      "import { a } from './static';",
      "import type { B } from './typeOnly';",
      "export { c } from './reexport';",
      "const d = await import('./dynamic');",
      "const e = require('./required') as typeof import('./typeofImport');",
      "let f: import('./importType').F;",
      "import * as fs from 'node:fs';",
    ].join('\n');
    expect(specifiersOf(text, 'x.ts').sort()).toStrictEqual(
      ['./dynamic', './importType', './reexport', './required', './static', './typeOnly', './typeofImport', 'node:fs'].sort(),
    );
  });

  it('finds a cycle through three folders, and none in a chain', () => {
    const imported = (from: string, to: string): { from: string; to: string } => ({ from, to });
    const cycle = folderEdges([imported('a/x.ts', 'b/y.ts'), imported('b/y.ts', 'c/z.ts'), imported('c/z.ts', 'a/w.ts'), imported('a/x.ts', 'a/w.ts')]);
    const chain = folderEdges([imported('a/x.ts', 'b/y.ts'), imported('b/y.ts', 'c/z.ts'), imported('launch.ts', 'a/x.ts')]);
    expect({ cycle: folderCycles(cycle), chain: folderCycles(chain) }).toStrictEqual({ cycle: [['a', 'b', 'c']], chain: [] });
  });

  it('finds the real graph: cli imports auth, and the launcher imports the cache', () => {
    expect([...folderEdges(sourceImports(SRC)).keys()]).toEqual(expect.arrayContaining(['cli -> auth', 'launch -> cache']));
  });
});

/** Whether a module reads the `process` global (process.env, process.cwd(), …). */
function usesProcess(text: string, fileName: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process') found = true;
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true));
  return found;
}
