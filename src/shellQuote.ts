const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** `text` as one word for a POSIX shell: as it is when that is safe, else single-quoted. */
export function shellQuote(text: string): string {
  return SHELL_SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
