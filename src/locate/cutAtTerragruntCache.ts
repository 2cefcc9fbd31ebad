import { TERRAGRUNT_CACHE_SEGMENT } from '../constants';

/**
 * Cuts an absolute directory at its first `.terragrunt-cache` segment. Terragrunt older than
 * v1.0.4 ran the auth command from inside `<unit>/.terragrunt-cache/<hash>/<hash>/...`; the
 * unit is the part before it.
 * @example cutAtTerragruntCache('/r/live/dev/vpc/.terragrunt-cache/ab/cd') // "/r/live/dev/vpc"
 */
export function cutAtTerragruntCache(dir: string, separator = '/'): string {
  const segments = dir.split(separator);
  const at = segments.indexOf(TERRAGRUNT_CACHE_SEGMENT);
  if (at === -1) return dir;
  const kept = segments.slice(0, at).join(separator);
  return kept === '' ? separator : kept;
}
