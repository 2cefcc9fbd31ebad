/**
 * Stacks that name rolemap's TypeScript sources instead of its minified bundles. Loaded with
 * import() only to log an unexpected error at debug level: a normal call never reads a map.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, relative, resolve } from 'node:path';

/** `    at name (file:line:column)` or `    at file:line:column`, as V8 writes a frame. */
const FRAME = /^(\s*at (?:.* \()?)([^()\s][^()]*?):(\d+):(\d+)(\)?)$/;

/**
 * `stack` with every frame in a file that has a source map beside it (`<file>.map`, as
 * scripts/build.mjs writes for each file of dist/) pointed at the source it was built from:
 * `at l (src/cli/run.ts:42:7)`, relative to the package (the directory above dist/). Frames
 * without a map, or that a map does not cover, are kept as they are.
 * Lines and columns are the file's own: dist/rolemap's loader compiles each file of dist/ as
 * written, Node's wrapper part of it (src/launch/loader.ts, compileBundle).
 */
export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (file: string): SourceMap | undefined => {
    if (!maps.has(file)) maps.set(file, readMap(`${file}.map`));
    return maps.get(file);
  };
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (frame === null) return line;
      const [, head = '', file = '', lineText = '', columnText = '', tail = ''] = frame;
      const map = mapFor(file);
      if (map === undefined) return line;
      const entry = map.findEntry(Number(lineText) - 1, Number(columnText) - 1);
      if (!('originalSource' in entry) || entry.originalSource === undefined) return line;
      const source = resolve(dirname(file), entry.originalSource);
      return `${head}${shownPath(file, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}${tail}`;
    })
    .join('\n');
}

function readMap(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    // No map (a file that was not built with one), or one that cannot be read: the frame stays.
    return undefined;
  }
}

/** `source` relative to the package that holds `bundle` (the parent of its dist/), else absolute. */
function shownPath(bundle: string, source: string): string {
  for (let dir = dirname(bundle); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'dist') return relative(dirname(dir), source);
  }
  return source;
}
