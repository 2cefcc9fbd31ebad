import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative as relativePath, sep } from 'node:path';
import { ConfigError } from '../errors';
import { cutAtTerragruntCache } from './cutAtTerragruntCache';

/**
 * The unit path that globs match: the unit directory relative to the mapping file's directory,
 * both with symlinks resolved, `/`-separated on every OS. The root itself is ".".
 * @throws ConfigError when the unit lies outside the mapping file's directory.
 */
export function unitPathFor(unitDir: string, mappingFile: string): string {
  const unitReal = realDir(cutAtTerragruntCache(unitDir, sep));
  const rootReal = realDir(dirname(mappingFile));
  const relative = relativeTo(rootReal, cutAtTerragruntCache(unitReal, sep));
  // `..` as a whole first segment: a folder named `..cfg` is inside the tree.
  if (relative === '..' || relative.startsWith(`..${sep}`) || isAbsolute(relative)) {
    throw new ConfigError(`The unit ${unitReal} is outside ${rootReal}, the directory of the mapping file ${mappingFile}.`, {
      hint: 'Run rolemap from a unit below the mapping file, or point --config / ROLEMAP_CONFIG at the mapping file of this tree.',
    });
  }
  return relative === '' ? '.' : relative.split(sep).join('/');
}

/**
 * path.relative for two real (normalised, absolute) paths, where `path` is `root` or below it by
 * a string test: the usual case, and path.relative's first call costs a cache hit more.
 */
function relativeTo(root: string, path: string): string {
  if (path === root) return '';
  if (path.startsWith(root) && path.charAt(root.length) === sep && !root.endsWith(sep)) return path.slice(root.length + 1);
  return relativePath(root, path);
}

function realDir(dir: string): string {
  try {
    // One realpath(3) call instead of an lstat per path component in JavaScript.
    return realpathSync.native(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ConfigError(`The directory ${dir} cannot be read: permission denied (${code}).`, {
        hint: `Give yourself search permission on ${dir} and the directories above it (chmod u+x).`,
        cause: error,
      });
    }
    throw new ConfigError(`The directory ${dir} does not exist.`, {
      hint: 'Pass an existing unit directory with --dir, or run rolemap from inside the unit.',
      cause: error,
    });
  }
}
