import {
  SESSION_NAME_DISALLOWED_CHAR,
  SESSION_NAME_MIN_LENGTH,
  TEMPLATE_PLACEHOLDERS,
} from '../constants';
import { nearestWord } from './nearestWord';

const PLACEHOLDER = /\{([^{}]*)\}/g;

export interface TemplateRules {
  /** The template becomes a RoleSessionName/SourceIdentity: 2..64 characters once filled. */
  sessionName: boolean;
}

/**
 * What is wrong with a template (`session_name`, `source_identity`, a tag value), or undefined.
 * Checks placeholders against TEMPLATE_PLACEHOLDERS and stray braces. For a session name
 * without placeholders, the literal must already be 2..64 characters after sanitising, because
 * nothing filled in later can fix it.
 */
export function findTemplateProblem(
  label: string,
  template: string,
  rules: TemplateRules,
): { message: string; hint: string } | undefined {
  const known = TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
      const near = nearestWord(name, TEMPLATE_PLACEHOLDERS);
      return {
        message: `\`${label}\` uses an unknown placeholder {${name}}`,
        hint: near === undefined ? `placeholders are ${known}` : `did you mean {${near}}? Placeholders are ${known}`,
      };
    }
  }
  const literal = template.replace(PLACEHOLDER, '');
  if (literal.includes('{') || literal.includes('}')) {
    return {
      message: `\`${label}\` has a "{" or "}" that is not part of a placeholder`,
      hint: `write placeholders as {user}; remove the stray brace. Placeholders are ${known}`,
    };
  }
  if (rules.sessionName && literal === template) {
    const filled = template.replace(SESSION_NAME_DISALLOWED_CHAR, '-');
    if (filled.length < SESSION_NAME_MIN_LENGTH) {
      return {
        message: `\`${label}\` "${template}" is shorter than ${SESSION_NAME_MIN_LENGTH} characters`,
        hint: 'write at least 2 characters, e.g. "rolemap-{user}"',
      };
    }
  }
  return undefined;
}
