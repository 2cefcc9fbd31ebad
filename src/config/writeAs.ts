import type { Field } from './YamlReader';

/**
 * How to write `value` where `field` is, for hints: `` `plan: terragrunt-plan` `` for a key,
 * `` `- "live/**"` `` for a list item.
 */
export function writeAs(field: Field, value: string): string {
  if (/\]$/.test(field.label)) {
    return `\`- ${value}\``;
  }
  const key = field.label.slice(field.label.lastIndexOf('.') + 1);
  return `\`${key}: ${value}\``;
}
