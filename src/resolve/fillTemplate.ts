import {
  SESSION_NAME_DISALLOWED_CHAR,
  SESSION_NAME_MAX_LENGTH,
  TEMPLATE_PLACEHOLDERS,
  type TemplatePlaceholder,
} from '../constants';
import type { TemplateValues } from './templateValues';

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);

function isPlaceholder(name: string): name is TemplatePlaceholder {
  return KNOWN.has(name);
}

/**
 * Fills `{placeholder}`s, replaces every character outside `[\w+=,.@-]` with `-`, and cuts the
 * result to 64 characters, as STS requires of session names and source identities.
 * Unknown placeholders were rejected when the mapping file was compiled; any left are kept as
 * written and then sanitised.
 * @example fillTemplate('rolemap-{user}-{unit}', values) // "rolemap-alice-live-dev-vpc"
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  const filled = template.replace(PLACEHOLDER, (whole, name: string) =>
    isPlaceholder(name) ? values[name] : whole,
  );
  return filled.replace(SESSION_NAME_DISALLOWED_CHAR, '-').slice(0, SESSION_NAME_MAX_LENGTH);
}
