/**
 * `npx tsx scripts/importGraph.ts`: the import graph between the folders of src/ (a file directly
 * in src/ belongs to the base, `.`, except src/launch.ts, the executable's entry, which is a stage
 * of its own, `launch`, with src/launch/; src/auth/sso/x.ts belongs to auth), each edge with the
 * number of imports behind it, then every cycle between folders with the imports on it.
 * test/architecture.test.ts checks the same graph against docs/architecture.md's import rule.
 *
 * Every way a module names another counts: `import`, `import type`, `export … from`, `import()`,
 * `require()` and type positions written `import('…').Name`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** One import of a module of src/ by another, as paths relative to src/. */
export interface SourceImport {
  from: string;
  to: string;
}

/** The entry of dist/rolemap: it loads the bundles, so it sits above cli/ although it lives in src/. */
const LAUNCHER = 'launch.ts';

/** The folder of a path relative to src/: its first segment, `.` for a file directly in src/, `launch` for the launcher. */
export function folderOf(file: string): string {
  if (file === LAUNCHER) return 'launch';
  const parts = file.split('/');
  return parts.length === 1 ? '.' : (parts[0] ?? '.');
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The module specifiers a source file names, in any of the forms listed at the top. */
export function specifiersOf(text: string, fileName: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isLoad = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const first = node.arguments[0];
      if (isLoad && first !== undefined && ts.isStringLiteral(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import between modules of `srcDir`, sorted. Imports of packages and node: are left out. */
export function sourceImports(srcDir: string): SourceImport[] {
  const imports: SourceImport[] = [];
  for (const file of sourceFiles(srcDir)) {
    for (const specifier of specifiersOf(fs.readFileSync(file, 'utf8'), file)) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      const to = fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
      imports.push({ from: path.relative(srcDir, file), to: path.relative(srcDir, to) });
    }
  }
  return imports.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
}

/** Every package or node: module each source file of `srcDir` imports, by path relative to src/. */
export function externalImports(srcDir: string): SourceImport[] {
  return sourceFiles(srcDir).flatMap((file) =>
    specifiersOf(fs.readFileSync(file, 'utf8'), file)
      .filter((specifier) => !specifier.startsWith('.'))
      .map((specifier) => ({ from: path.relative(srcDir, file), to: specifier })),
  );
}

/** Folder edges `from -> to` with the imports behind each; imports within a folder are left out. */
export function folderEdges(imports: SourceImport[]): Map<string, SourceImport[]> {
  const edges = new Map<string, SourceImport[]>();
  for (const imported of imports) {
    const from = folderOf(imported.from);
    const to = folderOf(imported.to);
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    edges.set(key, [...(edges.get(key) ?? []), imported]);
  }
  return edges;
}

/**
 * Every elementary cycle of the folder graph, each as its folders in order, starting from its
 * smallest folder name (so that each cycle is listed once).
 */
export function folderCycles(edges: Map<string, SourceImport[]>): string[][] {
  const next = new Map<string, string[]>();
  for (const key of edges.keys()) {
    const [from = '', to = ''] = key.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const cycles: string[][] = [];
  const walk = (start: string, pathSoFar: string[]): void => {
    const last = pathSoFar[pathSoFar.length - 1] ?? start;
    for (const to of next.get(last) ?? []) {
      if (to === start) cycles.push([...pathSoFar]);
      else if (to > start && !pathSoFar.includes(to)) walk(start, [...pathSoFar, to]);
    }
  };
  for (const start of [...next.keys()].sort()) walk(start, [start]);
  return cycles;
}

function main(): void {
  const srcDir = path.resolve(__dirname, '../src');
  const edges = folderEdges(sourceImports(srcDir));
  console.log('Import graph between the folders of src/ (`.` is a file directly in src/, `launch` is src/launch.ts and src/launch/):');
  for (const key of [...edges.keys()].sort()) console.log(`  ${key}  ${edges.get(key)?.length ?? 0}`);
  const cycles = folderCycles(edges);
  console.log(cycles.length === 0 ? '\nNo cycles between folders.' : `\nCycles between folders: ${cycles.length}`);
  const onCycles = new Set<string>();
  for (const cycle of cycles) {
    console.log(`  ${[...cycle, cycle[0]].join(' -> ')}`);
    cycle.forEach((from, i) => onCycles.add(`${from} -> ${cycle[(i + 1) % cycle.length] ?? from}`));
  }
  if (onCycles.size > 0) console.log('\nThe imports behind the edges on a cycle:');
  for (const key of [...onCycles].sort()) {
    console.log(`  ${key}`);
    for (const imported of edges.get(key) ?? []) console.log(`      ${imported.from} -> ${imported.to}`);
  }
}

if (require.main === module) main();
