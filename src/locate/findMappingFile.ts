import { dirname, resolve } from 'node:path';
import { statSync, type Stats } from 'node:fs';
import { MAPPING_FILE_NAME } from '../constants';
import { ConfigError } from '../errors';
import { joinAbsolute } from '../joinAbsolute';

export interface MappingFileLocation {
  file: string;
  /** How it was found, for `explain`. */
  source: '--config' | 'ROLEMAP_CONFIG' | 'walk-up';
}

/**
 * Finds the mapping file: `--config`, then ROLEMAP_CONFIG, then `rolemap.yaml` walking up from
 * the unit directory to the filesystem root. First found wins.
 * @throws ConfigError when an explicit file does not exist or nothing is found.
 */
export function findMappingFile(unitDir: string, configFlag: string | undefined, envConfig: string | undefined): MappingFileLocation {
  if (configFlag !== undefined) return { file: mustExist(resolve(configFlag), '--config'), source: '--config' };
  if (envConfig !== undefined && envConfig !== '') {
    return { file: mustExist(resolve(envConfig), 'ROLEMAP_CONFIG'), source: 'ROLEMAP_CONFIG' };
  }
  let dir = unitDir;
  for (;;) {
    const candidate = joinAbsolute(dir, MAPPING_FILE_NAME);
    if (statInDirectory(candidate, dir)?.isFile()) return { file: candidate, source: 'walk-up' };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ConfigError(`No ${MAPPING_FILE_NAME} found in ${unitDir} or any directory above it.`, {
    hint: `Create ${MAPPING_FILE_NAME} at the root of your live tree (the README's "The mapping file" shows one, and the package ships mappings.example.yaml), or point to one with --config FILE or ROLEMAP_CONFIG.`,
  });
}

/** Stats `file` in `dir`; a directory rolemap may not search is said as such, not as a crash. */
function statInDirectory(file: string, dir: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const what = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new ConfigError(`Cannot look for ${MAPPING_FILE_NAME} in ${dir}: ${what} (${code}).`, {
      hint: `Give yourself read and search permission on ${dir} (chmod u+rx), or point to the mapping file with --config FILE or ROLEMAP_CONFIG.`,
      cause: error,
    });
  }
}

function mustExist(file: string, via: string): string {
  // Anything that exists is returned: reading it says exactly what is wrong with a directory or a device.
  if (statInDirectory(file, dirname(file)) !== undefined) return file;
  throw new ConfigError(`The mapping file ${file} given by ${via} does not exist.`, {
    hint: `Check the path given by ${via}.`,
  });
}
