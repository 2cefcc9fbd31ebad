import { COMMAND_SUMMARIES } from '../commandSummaries';
import { ALLOWED, COMMAND_NAMES, COMPLETION_SHELLS, SHELLS, type CommandName, type CompletionShell, type OptionName, type ValuedOptionName } from '../parseArgs';

/** What each option's value is, for completion (the compiler checks that none is missing). */
const VALUES: Readonly<Record<ValuedOptionName, { words?: readonly string[]; kind?: 'directory' | 'file' | 'free' }>> = {
  dir: { kind: 'directory' },
  config: { kind: 'file' },
  mode: { words: ['plan', 'apply'] },
  shell: { words: SHELLS },
  'start-url': { kind: 'free' },
  region: { kind: 'free' },
  'sso-session': { kind: 'free' },
  profile: { kind: 'free' },
  code: { kind: 'free' },
};

/** Words a command takes in place of arguments (its positionals). */
const ARGUMENTS: Partial<Readonly<Record<CommandName, { words?: readonly string[]; kind?: 'directory' }>>> = {
  exec: { kind: 'directory' },
  env: { kind: 'directory' },
  explain: { kind: 'directory' },
  cache: { words: ['list', 'clear'] },
  completion: { words: COMPLETION_SHELLS },
  help: { words: COMMAND_NAMES },
};

const isValued = (option: OptionName): option is ValuedOptionName => option in VALUES;
const flags = (command: CommandName): string[] => [...ALLOWED[command].map((o) => `--${o}`), '--help'];
const valued = (Object.keys(VALUES) as ValuedOptionName[]).map((o) => `--${o}`);

function bash(): string {
  const optionCases = (Object.entries(VALUES) as Array<[ValuedOptionName, (typeof VALUES)[ValuedOptionName]]>).map(([option, value]) => {
    const reply =
      value.words !== undefined
        ? `COMPREPLY=($(compgen -W "${value.words.join(' ')}" -- "$cur"))`
        : value.kind === 'directory'
          ? 'COMPREPLY=($(compgen -d -- "$cur"))'
          : value.kind === 'file'
            ? 'COMPREPLY=($(compgen -f -- "$cur"))'
            : 'COMPREPLY=()';
    return `    --${option}) ${reply}; return ;;`;
  });
  const commandCases = COMMAND_NAMES.map((command) => {
    const args = ARGUMENTS[command];
    const words = [...flags(command), ...(args?.words ?? [])].join(' ');
    const dirs = args?.kind === 'directory' ? '; [[ $cur == -* ]] || COMPREPLY+=($(compgen -d -- "$cur"))' : '';
    return `    ${command}) COMPREPLY=($(compgen -W "${words}" -- "$cur"))${dirs} ;;`;
  });
  return `# rolemap completion for bash: source <(rolemap completion bash)
_rolemap() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} command= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --)
        if [[ $command == exec ]]; then
          if ((COMP_CWORD == i + 1)); then COMPREPLY=($(compgen -c -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
          return
        fi ;;
      ${valued.join('|')}) ((i++)) ;;
      -*) ;;
      *) [[ -n $command ]] || command=\${COMP_WORDS[i]} ;;
    esac
  done
  case $prev in
${optionCases.join('\n')}
  esac
  case $command in
    '') COMPREPLY=($(compgen -W "${[...COMMAND_NAMES, ...flags('credentials'), '--version'].join(' ')}" -- "$cur")) ;;
${commandCases.join('\n')}
  esac
}
complete -F _rolemap rolemap
`;
}

/** zsh runs the bash completion through bashcompinit, as the AWS CLI's own completion does. */
function zsh(): string {
  return `# rolemap completion for zsh: source <(rolemap completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash().split('\n').slice(1).join('\n')}`;
}

function fish(): string {
  const quote = (text: string): string => `'${text.replace(/[\\']/g, '\\$&')}'`;
  const lines = [
    '# rolemap completion for fish: rolemap completion fish > ~/.config/fish/completions/rolemap.fish',
    'complete -c rolemap -f',
    ...COMMAND_NAMES.map((command) => `complete -c rolemap -n __fish_use_subcommand -a ${command} -d ${quote(COMMAND_SUMMARIES[command])}`),
  ];
  const optionLine = (condition: string, option: OptionName): string => {
    const value = isValued(option) ? VALUES[option] : undefined;
    const values =
      value === undefined
        ? ''
        : value.words !== undefined
          ? ` -x -a ${quote(value.words.join(' '))}`
          : value.kind === 'directory'
            ? " -x -a '(__fish_complete_directories)'"
            : value.kind === 'file'
              ? ' -r -F'
              : ' -x';
    return `complete -c rolemap -n ${quote(condition)} -l ${option}${values}`;
  };
  for (const option of ALLOWED.credentials) lines.push(optionLine('__fish_use_subcommand', option));
  for (const command of COMMAND_NAMES) {
    const condition = `__fish_seen_subcommand_from ${command}`;
    for (const option of ALLOWED[command]) lines.push(optionLine(condition, option));
    const args = ARGUMENTS[command];
    if (args?.words !== undefined) lines.push(`complete -c rolemap -n ${quote(condition)} -x -a ${quote(args.words.join(' '))}`);
    if (args?.kind === 'directory') lines.push(`complete -c rolemap -n ${quote(condition)} -x -a '(__fish_complete_directories)'`);
  }
  return `${lines.join('\n')}\n`;
}

const SCRIPTS: Readonly<Record<CompletionShell, () => string>> = { bash, zsh, fish };

/** `rolemap completion bash|zsh|fish`: a script that completes commands, options and their values. */
export function completionScript(shell: CompletionShell): string {
  return SCRIPTS[shell]();
}
