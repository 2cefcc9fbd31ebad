import { spawnSync } from 'node:child_process';
import { SHELL_SYNTAX } from '../../../src/cli/render/shellSyntax';
import type { Shell } from '../../../src/cli/parseArgs';

/** Values each quoting must keep literal: quotes of every kind, expansions, escapes, newlines. */
const NASTY = `it's "$HOME" \`id\` $(id) \\ ; & | * ? ~ # ! % {a,b} $env:PATH\nsecond line ‘’‚‛`;

describe('SHELL_SYNTAX.quote', () => {
  it.each<[Shell, string, string]>([
    ['sh', 'us-east-1', 'us-east-1'],
    ['sh', '', "''"],
    ['sh', "it's", `'it'\\''s'`],
    ['sh', '$HOME `id`', "'$HOME `id`'"],
    ['fish', 'us-east-1', "'us-east-1'"],
    ['fish', "it's", "'it\\'s'"],
    ['fish', 'a\\b', "'a\\\\b'"],
    ['fish', '$HOME (id)', "'$HOME (id)'"],
    ['powershell', "it's", "'it''s'"],
    ['powershell', 'a‘b’c', "'a‘‘b’’c'"],
    ['powershell', '$env:PATH `n', "'$env:PATH `n'"],
  ])('%s: %j is written %s', (shell, value, quoted) => {
    expect(SHELL_SYNTAX[shell].quote(value)).toBe(quoted);
  });

  it.each<[Shell, string[]]>([
    ['sh', ['sh', '-c']],
    ['fish', ['fish', '-c']],
    ['powershell', ['pwsh', '-NoProfile', '-Command']],
  ])('%s reads the quoted value back as it was (when the shell is installed)', (shell, [program, ...args]) => {
    if (program === undefined || spawnSync(program, [...args, 'exit 0'], { stdio: 'ignore' }).status !== 0) {
      process.stdout.write(`shellSyntax.test: ${String(program)} is not installed; ${shell} quoting is checked by the table above only\n`);
      return;
    }
    const quoted = SHELL_SYNTAX[shell].quote(NASTY);
    const print = shell === 'powershell' ? `[Console]::Out.Write(${quoted})` : `printf '%s' ${quoted}`;
    const result = spawnSync(program, [...args, print], { encoding: 'utf8' });
    expect({ status: result.status, stdout: result.stdout }).toStrictEqual({ status: 0, stdout: NASTY });
  });
});

describe('SHELL_SYNTAX statements', () => {
  it.each<[Shell, string, string, string]>([
    ['sh', 'export X=us-east-1', 'unset X', 'eval "$(rolemap env --unset)"'],
    ['fish', "set -gx X 'us-east-1'", 'set -e X', 'rolemap env --unset --shell fish | source'],
    ['powershell', "$env:X = 'us-east-1'", 'Remove-Item Env:X -ErrorAction SilentlyContinue', 'rolemap env --unset --shell powershell | Out-String | Invoke-Expression'],
  ])('%s: set, unset and how to apply', (shell, set, unset, apply) => {
    const syntax = SHELL_SYNTAX[shell];
    expect([syntax.set('X', 'us-east-1'), syntax.unset('X'), syntax.apply(' --unset')]).toStrictEqual([set, unset, apply]);
  });

  it.each<Shell>(['sh', 'fish', 'powershell'])('%s: every statement is one line', (shell) => {
    const syntax = SHELL_SYNTAX[shell];
    expect([syntax.save('X'), syntax.restore('X'), syntax.set('X', 'a')].filter((line) => line.includes('\n'))).toStrictEqual([]);
  });
});
