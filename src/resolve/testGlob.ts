import type { CompiledGlob } from '../config/types';

const MAGIC = /[*?[{]/;

/**
 * Whether a compiled glob matches a unit path (relative to the mapping file's directory,
 * `/`-separated, no leading `./`, e.g. `live/dev/us-east-1/vpc`).
 *
 * Safe for the hot path: it loads no glob library. Each rolemap call is a fresh process, where
 * building a RegExp costs far more than running one, so the glob's literal segments are first
 * compared with the path's segments at the same places; a RegExp is built only for the few
 * globs that survive. That keeps matching 5,000 globs within a few milliseconds.
 *
 * @example testGlob(compiled('live/dev/**'), 'live/dev/vpc') // true
 */
export function testGlob(glob: CompiledGlob, unitPath: string): boolean {
  if (glob.regexFlags === '') {
    const text = glob.glob;
    const magic = text.search(MAGIC);
    if (magic === -1) {
      return unitPath === text;
    }
    // The most common glob, `dir/**` with no wildcard in `dir`: its regular expression,
    // `^dir(?:/[^/]+)+$` (compileGlob), says "below dir", which a few string tests say too.
    if (magic === text.length - 2 && text.endsWith('/**')) {
      return isBelow(unitPath, text.slice(0, -3));
    }
    // The cheapest test first: the directories before the first wildcard, taken literally.
    if (!unitPath.startsWith(text.slice(0, text.lastIndexOf('/', magic) + 1))) {
      return false;
    }
    if (!literalSegmentsFit(text, unitPath)) {
      return false;
    }
  }
  return new RegExp(glob.regexSource, glob.regexFlags).test(unitPath);
}

/** Whether `unitPath` is `dir` followed by one or more non-empty segments. */
function isBelow(unitPath: string, dir: string): boolean {
  return (
    unitPath.length > dir.length + 1 &&
    unitPath.startsWith(dir) &&
    unitPath.charAt(dir.length) === '/' &&
    !unitPath.endsWith('/') &&
    unitPath.indexOf('//', dir.length) === -1
  );
}

/**
 * False when a segment of the glob without wildcards differs from the path's segment at the
 * same index. Positions are fixed only up to the first `**` or `{` (a brace may hold a `/`).
 */
function literalSegmentsFit(glob: string, unitPath: string): boolean {
  const brace = glob.indexOf('{');
  const fixed = brace === -1 ? glob : glob.slice(0, glob.lastIndexOf('/', brace) + 1);
  const globSegments = fixed.split('/');
  const pathSegments = unitPath.split('/');
  for (let i = 0; i < globSegments.length; i++) {
    const segment = globSegments[i] ?? '';
    if (/^\*{2,}$/.test(segment)) {
      return true;
    }
    if (segment === '' && i === globSegments.length - 1) {
      break;
    }
    const pathSegment = pathSegments[i];
    if (pathSegment === undefined || (!MAGIC.test(segment) && segment !== pathSegment)) {
      return false;
    }
  }
  // Without `**` or braces, a glob has exactly as many segments as the paths it matches.
  return brace !== -1 || globSegments.length === pathSegments.length;
}
