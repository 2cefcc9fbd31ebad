import { join } from 'node:path';
import { readdirSync, type Dirent } from 'node:fs';
import { TERRAGRUNT_CACHE_SEGMENT } from '../constants';

const UNIT_FILE = 'terragrunt.hcl';
/** Directories that never hold units of this tree. */
const SKIPPED = new Set([TERRAGRUNT_CACHE_SEGMENT, '.git', 'node_modules', '.terraform']);

/**
 * Every directory under `root` holding a terragrunt.hcl, as `/`-separated paths relative to
 * `root`, sorted. Skips `.terragrunt-cache` (Terragrunt's copies of units) and does not follow
 * symlinked directories, so a link loop cannot hang the scan. A terragrunt.hcl in `root` itself
 * is the old-style root include, not a unit, and is left out.
 */
export function findUnits(root: string): string[] {
  const units: string[] = [];
  const walk = (dir: string, relative: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (relative !== '' && entries.some((e) => e.isFile() && e.name === UNIT_FILE)) units.push(relative);
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
        walk(join(dir, entry.name), relative === '' ? entry.name : `${relative}/${entry.name}`);
      }
    }
  };
  walk(root, '');
  return units.sort();
}
