const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** A path as it can be pasted into a shell command in a hint. */
export function shellQuote(text: string): string {
  return SHELL_SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
