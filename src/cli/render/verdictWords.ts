/**
 * The words for a unit that resolves to no role: unmatched (no mapping matches it) or ambiguous
 * (the most specific mappings tie and resolve differently). Every renderer of these verdicts takes
 * its words from here, so that a unit's problem and its fix read alike wherever they are shown:
 * the error of `credentials`, `env`, `exec` and `credential-process` (unresolvedError), the report
 * of `explain` (explainReport), and the coverage table and errors of `validate --units`.
 */

/** What is wrong with an unmatched unit. */
export const UNMATCHED = 'no mapping matches';

/**
 * How to fix an unmatched unit, as a sentence; `orEmpty` adds the other way out, declaring such
 * units credential-free.
 */
export function unmatchedFix(orEmpty: boolean): string {
  return orEmpty
    ? 'Add a mapping whose paths cover the unit, or set `unmatched: empty` at the top of the file to give such units no credentials.'
    : 'Add a mapping whose paths cover the unit.';
}

/** What is wrong with an ambiguous unit, naming the tied mappings as the renderer shows them (e.g. `#2 at rolemap.yaml:9`). */
export function ambiguousText(tied: readonly string[]): string {
  return `mappings ${tied.join(' and ')} tie on specificity and give different accounts, roles or settings`;
}

/** How to fix an ambiguous unit, as a sentence. */
export const AMBIGUOUS_FIX = 'Make one glob more specific (more literal path segments) so it wins, or make the mappings agree.';

/** `text` with its first letter in upper case, to start a sentence with one of the words above. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
