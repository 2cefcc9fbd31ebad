import { isScalar } from 'yaml';
import { SUPPORTED_CONFIG_VERSIONS } from '../constants';
import type { Field, YamlReader } from './YamlReader';

/**
 * Reads the required top-level `version`. Returns undefined when it is missing or wrong, and
 * `supported: false` when it names a version this rolemap cannot read, so the caller can stop
 * before reporting every key of a format it does not know.
 */
export function readVersion(
  reader: YamlReader,
  keys: ReadonlyMap<string, Field>,
  root: Field,
): { version: number | undefined; supported: boolean } {
  const current = SUPPORTED_CONFIG_VERSIONS[SUPPORTED_CONFIG_VERSIONS.length - 1] ?? 1;
  const field = reader.requireKey(keys, 'version', root, `add \`version: ${current}\` as the first line`);
  if (field === undefined) {
    return { version: undefined, supported: true };
  }
  const node = field.node;
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
    reader.report(field.at, `\`version\` must be a whole number, got ${reader.describe(node)}`, `write \`version: ${current}\``);
    return { version: undefined, supported: true };
  }
  if (!SUPPORTED_CONFIG_VERSIONS.includes(node.value)) {
    reader.report(
      field.at,
      `\`version\` ${node.value} is not supported; this rolemap reads version ${SUPPORTED_CONFIG_VERSIONS.join(', ')}`,
      `write \`version: ${current}\`, or upgrade rolemap`,
    );
    return { version: undefined, supported: false };
  }
  return { version: node.value, supported: true };
}
