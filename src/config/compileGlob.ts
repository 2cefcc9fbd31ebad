import { braceExpand } from 'minimatch';
import { MAX_GLOB_LENGTH, TERRAGRUNT_CACHE_SEGMENT } from '../constants';
import { MAX_GLOB_ALTERNATIVES, MAX_STARS_PER_SEGMENT } from './configPatterns';

export type GlobCompileResult =
  | { ok: true; regexSource: string; regexFlags: string; literalSegments: number }
  | { ok: false; message: string; hint: string };

const MAGIC = /[*?[{]/;
const EXTGLOB = /[?*+@!]\(/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const CLASS_SPECIAL = /[\\\]^[]/g;

/**
 * Checks a glob and compiles it to a regular-expression source that matches unit paths
 * (relative to the mapping file's directory, `/`-separated, no leading `./`).
 *
 * Semantics are minimatch's with `{dot: true}` (test/resolve/testGlob.test.ts compares the two):
 * `*` and `?` stay within one segment, `**` spans any number of segments, `[...]`/`[!...]` are
 * character classes and `{a,b}` / `{1..3}` expand. A trailing `/**` needs at least one segment
 * more, so `live/dev/**` does not match `live/dev` itself; write `live/dev{,/**}` for both.
 *
 * minimatch 11 no longer exposes `makeRe`, so the translation is done here; minimatch is used
 * only for brace expansion.
 *
 * Globs that can never match a unit path are refused rather than compiled, so a typo cannot
 * silently leave units unmapped:
 * - an empty glob, or one that starts with `/` (unit paths are relative);
 * - a backslash (the separator is `/` on every OS; a backslash would escape the next character);
 * - a trailing `/`, an empty segment (`a//b`), or a `.`/`..` segment (unit paths are normalised);
 * - a `.terragrunt-cache` segment (unit paths are cut before it);
 * - a leading `!` (negation) or `#` (a minimatch comment), and extglobs such as `+(a|b)`, which
 *   rolemap does not support;
 * - an unclosed `[`, a `{` that does not expand, or more than MAX_GLOB_ALTERNATIVES expansions.
 */
export function compileGlob(glob: string): GlobCompileResult {
  if (glob.length > MAX_GLOB_LENGTH) {
    // The glob library throws past 64 KiB; no directory path comes near this.
    return {
      ok: false,
      message: `glob "${glob.slice(0, 40)}..." is ${glob.length} characters long, more than the ${MAX_GLOB_LENGTH} rolemap accepts`,
      hint: 'a glob matches directory paths: write a shorter one, using `*` or `**` for the parts that vary',
    };
  }
  const refused = findRefusal(glob);
  if (refused !== undefined) {
    return { ok: false, ...refused };
  }
  const alternatives = braceExpand(glob, { braceExpandMax: MAX_GLOB_ALTERNATIVES + 1 });
  if (alternatives.length > MAX_GLOB_ALTERNATIVES) {
    return {
      ok: false,
      message: `glob "${glob}" expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives`,
      hint: 'use `*` or `**` instead of long `{...}` lists or ranges',
    };
  }
  const sources: string[] = [];
  for (const alternative of new Set(alternatives)) {
    const translated = translateAlternative(alternative, glob);
    if (!translated.ok) {
      return translated;
    }
    sources.push(translated.source);
  }
  const body = sources.length === 1 ? (sources[0] ?? '') : `(?:${sources.join('|')})`;
  const regexSource = `^${body}$`;
  try {
    // Only a character class can make the source invalid (`[z-a]`); compiling costs time.
    if (glob.includes('[')) {
      new RegExp(regexSource);
    }
  } catch {
    return {
      ok: false,
      message: `glob "${glob}" has an invalid character class`,
      hint: 'a range inside `[...]` must go from low to high, e.g. `[a-z]`',
    };
  }
  return { ok: true, regexSource, regexFlags: '', literalSegments: countLiteralSegments(glob) };
}

function countLiteralSegments(glob: string): number {
  return glob.split('/').filter((segment) => !MAGIC.test(segment)).length;
}

function findRefusal(glob: string): { message: string; hint: string } | undefined {
  const example = 'e.g. "live/dev/**", relative to the mapping file\'s directory';
  if (glob === '') {
    return { message: 'an empty glob matches nothing', hint: `write a path glob, ${example}` };
  }
  if (glob.includes('\\')) {
    return {
      message: `glob "${glob}" contains a backslash; globs use "/" as the separator on every OS`,
      hint: `write "${glob.replace(/\\/g, '/')}"`,
    };
  }
  if (glob.startsWith('/')) {
    return {
      message: `glob "${glob}" is absolute, but unit paths are relative to the mapping file's directory`,
      hint: `write "${glob.replace(/^\/+/, '')}"`,
    };
  }
  if (glob.startsWith('!')) {
    return {
      message: `glob "${glob}" is a negation, which mappings do not support`,
      hint: 'to treat some units differently, add a more specific mapping for them',
    };
  }
  if (glob.startsWith('#')) {
    return {
      message: `glob "${glob}" starts with "#", which the glob syntax treats as a comment that matches nothing`,
      hint: `remove the "#", ${example}`,
    };
  }
  if (EXTGLOB.test(glob)) {
    return {
      message: `glob "${glob}" uses an extglob such as "+(a|b)", which rolemap does not support`,
      hint: 'use braces for alternatives, e.g. "live/{dev,stage}/**"',
    };
  }
  return undefined;
}

/** Translates one brace-free alternative. `glob` is the original, for messages. */
function translateAlternative(
  alternative: string,
  glob: string,
): { ok: true; source: string } | { ok: false; message: string; hint: string } {
  const shown = alternative === glob ? `glob "${glob}"` : `glob "${glob}" (as "${alternative}")`;
  if (alternative.endsWith('/')) {
    const bare = alternative.replace(/\/+$/, '');
    return {
      ok: false,
      message: `${shown} ends with "/", but unit paths never do`,
      hint: `write "${bare}" for that directory, or "${bare}/**" for everything under it`,
    };
  }
  const segments = alternative.split('/');
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment === '') {
      return {
        ok: false,
        message: `${shown} has an empty path segment ("//" or a leading "/")`,
        hint: `write "${alternative.replace(/\/{2,}/g, '/').replace(/^\//, '')}"`,
      };
    }
    if (segment === '.' || segment === '..') {
      return {
        ok: false,
        message: `${shown} has a "${segment}" segment, but unit paths are normalised and never contain one`,
        hint: 'write the path without "./" or "../", relative to the mapping file\'s directory',
      };
    }
    if (segment === TERRAGRUNT_CACHE_SEGMENT) {
      return {
        ok: false,
        message: `${shown} reaches into ${TERRAGRUNT_CACHE_SEGMENT}, which is cut off unit paths before matching`,
        hint: 'match the unit directory itself, e.g. "live/dev/vpc"',
      };
    }
    if (segment.includes('{') || segment.includes('}')) {
      return {
        ok: false,
        message: `${shown} has a "{" or "}" that is not a brace expansion`,
        hint: 'braces need two or more comma-separated alternatives, e.g. "live/{dev,stage}/**"',
      };
    }
    if (/^\*+$/.test(segment) && segment.length >= 2) {
      if (parts[parts.length - 1] !== GLOBSTAR) {
        parts.push(GLOBSTAR);
      }
      continue;
    }
    const translated = translateSegment(segment, shown);
    if (!translated.ok) {
      return translated;
    }
    parts.push(translated.source);
  }
  return { ok: true, source: joinSegments(parts) };
}

const GLOBSTAR = '\u0000globstar';

function joinSegments(parts: readonly string[]): string {
  let source = '';
  parts.forEach((part, i) => {
    const first = i === 0;
    const last = i === parts.length - 1;
    if (part === GLOBSTAR) {
      if (first && last) {
        source += '[\\s\\S]*';
      } else if (first) {
        source += '(?:[^/]+/)*';
      } else if (last) {
        source += '(?:/[^/]+)+';
      } else {
        source += '(?:/[^/]+)*';
      }
      return;
    }
    const afterLeadingGlobstar = i === 1 && parts[0] === GLOBSTAR;
    if (!first && !afterLeadingGlobstar) {
      source += '/';
    }
    source += part;
  });
  return source;
}

function translateSegment(
  segment: string,
  shown: string,
): { ok: true; source: string } | { ok: false; message: string; hint: string } {
  if (/^\*+$/.test(segment)) {
    return { ok: true, source: '[^/]+' };
  }
  let source = '';
  let stars = 0;
  for (let i = 0; i < segment.length; i++) {
    const ch = segment.charAt(i);
    if (ch === '*') {
      while (segment.charAt(i + 1) === '*') {
        i++;
      }
      stars++;
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      let j = i + 1;
      const negate = segment.charAt(j) === '!' || segment.charAt(j) === '^';
      if (negate) {
        j++;
      }
      const close = segment.indexOf(']', segment.charAt(j) === ']' ? j + 1 : j);
      if (close === -1) {
        return {
          ok: false,
          message: `${shown} has a "[" without a closing "]"`,
          hint: '"[" starts a character class such as "[abc]"; close it or remove it',
        };
      }
      const body = segment.slice(j, close);
      if (body.includes('[:')) {
        return {
          ok: false,
          message: `${shown} uses a POSIX character class, which rolemap does not support`,
          hint: 'list the characters instead, e.g. "[a-z0-9]"',
        };
      }
      source += `[${negate ? '^/' : ''}${body.replace(CLASS_SPECIAL, '\\$&')}]`;
      i = close;
    } else {
      source += ch.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  if (stars > MAX_STARS_PER_SEGMENT) {
    return {
      ok: false,
      message: `${shown} has more than ${MAX_STARS_PER_SEGMENT} "*" in one path segment`,
      hint: 'use fewer wildcards per segment, or "**" to match any depth',
    };
  }
  return { ok: true, source };
}
