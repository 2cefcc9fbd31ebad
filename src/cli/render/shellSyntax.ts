import { shellQuote } from '../../shellQuote';
import type { Shell } from '../parseArgs';

/**
 * How `rolemap env` speaks one shell. Every statement is one line, so that a shell that runs
 * the output line by line (PowerShell's `| Invoke-Expression`) runs the same program.
 *
 * The value a variable had before `rolemap env` is kept in two shell variables that are not
 * exported (`__rolemap_had_NAME`: "x" when it was set; `__rolemap_old_NAME`: its value), so that
 * `rolemap env --unset` can put it back without handing the user's own credentials to every child
 * process under a second name.
 */
export interface ShellSyntax {
  /** `value` as one literal word: nothing in it is expanded. */
  quote(value: string): string;
  /** Sets and exports `name`. */
  set(name: string, value: string): string;
  /** Removes `name` from the environment. */
  unset(name: string): string;
  /** Remembers whether `name` is set, and its value, for restore(). */
  save(name: string): string;
  /** Puts back what save() remembered and forgets it; without a save (a child shell), unsets `name`. */
  restore(name: string): string;
  /** How to run rolemap env's output in this shell, for messages; `args` are env's arguments. */
  apply(args: string): string;
}

const had = (name: string): string => `__rolemap_had_${name}`;
const old = (name: string): string => `__rolemap_old_${name}`;

/** fish: in single quotes only `\\` and `\'` are special. */
function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, '\\$&')}'`;
}

/** PowerShell: in single quotes a quote is doubled; the typographic single quotes count as quotes too. */
function powershellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

export const SHELL_SYNTAX: Readonly<Record<Shell, ShellSyntax>> = {
  sh: {
    quote: shellQuote,
    set: (name, value) => `export ${name}=${shellQuote(value)}`,
    unset: (name) => `unset ${name}`,
    save: (name) => `${had(name)}=\${${name}+x}; ${old(name)}=\${${name}-}`,
    restore: (name) =>
      `if [ -n "\${${had(name)}+s}" ]; then if [ -n "$${had(name)}" ]; then export ${name}="$${old(name)}"; else unset ${name}; fi; unset ${had(name)} ${old(name)}; else unset ${name}; fi`,
    apply: (args) => `eval "$(rolemap env${args})"`,
  },
  fish: {
    quote: fishQuote,
    set: (name, value) => `set -gx ${name} ${fishQuote(value)}`,
    unset: (name) => `set -e ${name}`,
    save: (name) => `if set -q ${name}; set -g ${had(name)} x; set -g ${old(name)} $${name}; else; set -g ${had(name)} ''; set -g ${old(name)}; end`,
    restore: (name) =>
      `if set -q ${had(name)}; if test -n "$${had(name)}"; set -gx ${name} $${old(name)}; else; set -e ${name}; end; set -e ${had(name)}; set -e ${old(name)}; else; set -e ${name}; end`,
    apply: (args) => `rolemap env${args} --shell fish | source`,
  },
  powershell: {
    quote: powershellQuote,
    set: (name, value) => `$env:${name} = ${powershellQuote(value)}`,
    unset: (name) => `Remove-Item Env:${name} -ErrorAction SilentlyContinue`,
    save: (name) => `$global:${had(name)} = Test-Path Env:${name}; $global:${old(name)} = $env:${name}`,
    restore: (name) =>
      `if (Test-Path Variable:global:${had(name)}) { if ($global:${had(name)}) { $env:${name} = $global:${old(name)} } else { Remove-Item Env:${name} -ErrorAction SilentlyContinue }; Remove-Variable -Scope Global -Name ${had(name)}, ${old(name)} } else { Remove-Item Env:${name} -ErrorAction SilentlyContinue }`,
    apply: (args) => `rolemap env${args} --shell powershell | Out-String | Invoke-Expression`,
  },
};
