import * as fs from 'node:fs';
import * as path from 'node:path';
import { helpText } from '../../src/cli/helpText';
import { ALLOWED, COMMAND_NAMES, type CommandName } from '../../src/cli/parseArgs';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The code block of README's "## Commands" section. */
function commandsBlock(): string {
  const section = README.slice(README.indexOf('\n## Commands\n'));
  const start = section.indexOf('```\n') + 4;
  return section.slice(start, section.indexOf('```', start));
}

/** The README's usage line of a command: the line that starts `rolemap <command> ` or is `rolemap <command>`. */
function readmeLine(command: CommandName): string | undefined {
  return commandsBlock()
    .split('\n')
    .map((line) => line.split(/ {2,}/)[0] ?? '')
    .find((usage) => usage === `rolemap ${command}` || usage.startsWith(`rolemap ${command} `));
}

const flagsIn = (text: string): string[] => [...new Set([...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))].sort();

/** The options a command's help lists: its usage line, and each option line (`  --flag ...`). */
function helpFlags(command: CommandName): string[] {
  const text = helpText(command);
  const usage = text.split('\n')[0] ?? '';
  const options = [...text.matchAll(/^ {2}(--[a-z][a-z-]*)/gm)].map((m) => m[1] ?? '');
  return flagsIn(`${usage.replace(/ -- CMD.*$/, '')} ${options.join(' ')}`);
}

describe('README.md and --help agree with the parser', () => {
  it.each(COMMAND_NAMES.map((c) => [c]))('%s: the flags its --help lists and the README shows are those it takes', (command) => {
    const allowed = ALLOWED[command].map((o) => `--${o}`).sort();
    const line = readmeLine(command);
    expect({ help: helpFlags(command), readme: line === undefined ? 'missing from README' : flagsIn(line) }).toStrictEqual({ help: allowed, readme: allowed });
  });

  it('every command line in the README names a command rolemap has', () => {
    const named = commandsBlock()
      .split('\n')
      .filter((line) => line.startsWith('rolemap '))
      .map((line) => (line.split(/ {2,}/)[0] ?? '').split(' ')[1] ?? '')
      .filter((word) => word !== '');
    expect(named.filter((word) => !(COMMAND_NAMES as readonly string[]).includes(word))).toStrictEqual([]);
  });

  it('the main help has a usage line for every command', () => {
    const usage = helpText(undefined).split('\n\n').find((part) => part.startsWith('Usage:')) ?? '';
    const named = usage
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(' ')[1]?.replace(/^\[(\w+)\]$/, '$1'));
    expect(named).toStrictEqual([...COMMAND_NAMES]);
  });
});
