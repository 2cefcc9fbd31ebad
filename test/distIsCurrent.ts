import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The newest modification time under `dir` (recursively), with the file that has it. */
function newestUnder(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: dir, mtimeMs: 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestUnder(file) : { file, mtimeMs: fs.statSync(file).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/**
 * Tests of the built binary test what ships only if dist/ was built from the sources as they are:
 * after an edit without `npm run build`, they would run yesterday's code and could pass. Throws,
 * saying what to run, when dist/rolemap is missing or older than a file under src/ or the build
 * script. `npm test` builds first.
 */
export function assertDistIsCurrent(root = ROOT): void {
  const binary = path.join(root, 'dist/rolemap');
  const built = fs.statSync(binary, { throwIfNoEntry: false });
  if (built === undefined) throw new Error(`${binary} does not exist: run \`npm run build\` before the tests of the built binary (\`npm test\` does).`);
  const sources = [newestUnder(path.join(root, 'src')), { file: path.join(root, 'scripts/build.mjs'), mtimeMs: fs.statSync(path.join(root, 'scripts/build.mjs')).mtimeMs }];
  const newest = sources.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  if (newest.mtimeMs > built.mtimeMs) {
    throw new Error(
      `dist/ is older than ${path.relative(root, newest.file)} (built ${new Date(built.mtimeMs).toISOString()}, changed ${new Date(newest.mtimeMs).toISOString()}): ` +
        'run `npm run build` before the tests of the built binary (`npm test` does).',
    );
  }
}
