import { isScalar } from 'yaml';
import { ACCOUNT_ID_PATTERN } from '../constants';
import { ACCOUNT_NAME_PATTERN } from './configPatterns';
import type { Field, YamlReader } from './YamlReader';
import { writeAs } from './writeAs';

export type AccountRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

/**
 * Reads an account as written: a quoted 12-digit id, or (unless `idsOnly`) an account name.
 * An unquoted id is refused: YAML reads it as a number and drops a leading zero, so
 * `011111111111` would silently become another account.
 */
export function readAccountRef(reader: YamlReader, field: Field, options: { idsOnly: boolean }): AccountRef | undefined {
  const node = field.node;
  if (isScalar(node) && typeof node.value === 'number') {
    const written = node.source ?? String(node.value);
    const lost = /^0\d/.test(written) ? ' and drops its leading zero' : '';
    reader.report(
      field.at,
      `\`${field.label}\` is an unquoted number: YAML reads ${written} as a number${lost}`,
      /^\d{12}$/.test(written)
        ? `quote the account id: ${writeAs(field, `"${written}"`)}`
        : `write the 12-digit account id in quotes, e.g. ${writeAs(field, '"011111111111"')}`,
    );
    return undefined;
  }
  const text = reader.string(field, options.idsOnly ? '"111111111111"' : 'dev');
  if (text === undefined) {
    return undefined;
  }
  if (ACCOUNT_ID_PATTERN.test(text)) {
    return { kind: 'id', id: text };
  }
  if (/^\d+$/.test(text) || options.idsOnly) {
    reader.report(
      field.at,
      `\`${field.label}\` is "${text}", which is not a 12-digit account id`,
      `an account id has exactly 12 digits, in quotes: ${writeAs(field, '"011111111111"')}`,
    );
    return undefined;
  }
  if (!ACCOUNT_NAME_PATTERN.test(text)) {
    reader.report(
      field.at,
      `\`${field.label}\` is "${text}", which is neither a 12-digit account id nor an account name`,
      'account names use letters, digits and "_.-"; ids are 12 digits in quotes',
    );
    return undefined;
  }
  return { kind: 'name', name: text };
}
