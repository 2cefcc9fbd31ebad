import { VERSION } from '../constants';
import { COMMAND_SUMMARIES } from './commandSummaries';
import { COMMAND_NAMES, type CommandName } from './parseArgs';

function commandList(): string {
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length)) + 2;
  return COMMAND_NAMES.map((name) => `  ${name.padEnd(width)}${COMMAND_SUMMARIES[name]}`).join('\n');
}

const MAIN = `rolemap ${VERSION}: AWS credentials for Terragrunt units, by directory.

Terragrunt runs rolemap in each unit directory (TG_AUTH_PROVIDER_CMD=rolemap). rolemap finds the
unit in rolemap.yaml, obtains credentials for the mapped account and role, and prints the JSON
Terragrunt reads.

Usage:
  rolemap [credentials] [--dir D] [--mode plan|apply] [--config F]
  rolemap credential-process [--dir D] [--mode plan|apply] [--config F]
  rolemap exec [DIR] [--mode plan|apply] [--config F] -- CMD [ARG...]
  rolemap env [DIR] [--mode plan|apply] [--config F] [--shell sh|fish|powershell] [--unset]
  rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]
  rolemap validate [--config F] [--dir D] [--units] [--json]
  rolemap login [--start-url U] [--region R] [--sso-session NAME] [--no-browser] | --mfa [--profile P] [--code C]
  rolemap logout [--start-url U] [--region R] [--sso-session NAME]
  rolemap cache list|clear [--json]
  rolemap completion bash|zsh|fish
  rolemap help [COMMAND] | --help | <command> --help
  rolemap version | --version

Commands:
${commandList()}

Environment:
  ROLEMAP_CONFIG       mapping file (else rolemap.yaml, found walking up from the unit); a
                       relative path is taken from the directory rolemap runs in
  ROLEMAP_MODE         plan or apply (else CI context, else your config, else modes.local)
  ROLEMAP_USER_CONFIG  your own config (else $XDG_CONFIG_HOME/rolemap/config.yaml)
  ROLEMAP_CACHE_DIR    credential cache (else $XDG_CACHE_HOME/rolemap, ~/.cache/rolemap)
  ROLEMAP_NO_CACHE=1   do not use the credential cache
  ROLEMAP_LOG_LEVEL    trace|debug|info|warn|error|silent (default warn); logs go to stderr
  ROLEMAP_LOG_FORMAT   text|json (default text)

Exit codes: 0 success, 1 credentials could not be obtained, 2 usage or configuration error.
`;

/** Options that find the mapping file, shared by several commands. */
const CONFIG_OPTION = `  --config F    the mapping file, overriding ROLEMAP_CONFIG and the walk up to rolemap.yaml;
                a relative path is taken from the current directory, not from --dir`;
const MODE_OPTION = '  --mode M      plan or apply, overriding ROLEMAP_MODE and CI detection';

const COMMANDS: Readonly<Record<CommandName, string>> = {
  credentials: `Usage: rolemap credentials [--dir D] [--mode plan|apply] [--config F]

Prints one JSON object for Terragrunt on stdout: awsCredentials (or awsRole with auth: delegate)
and envs. This is what \`rolemap\` with no command does. On failure stdout stays empty and the
reason goes to stderr; the exit code is 1 when AWS refused or could not be reached, 2 when the
mapping file or the command line is wrong.

  --dir D       the unit directory (default: the current directory, as Terragrunt runs it)
${MODE_OPTION}
${CONFIG_OPTION}
`,
  'credential-process': `Usage: rolemap credential-process [--dir D] [--mode plan|apply] [--config F]

Prints the JSON that the AWS CLI and SDKs read from a profile's credential_process (Version 1,
AccessKeyId, SecretAccessKey, SessionToken, Expiration), from the same mapping and cache as
\`rolemap credentials\`. The SDKs run it again before Expiration, so plain Terraform, OpenTofu
and the AWS CLI get fresh credentials during a long run. In ~/.aws/config:

  [profile prod]
  credential_process = rolemap credential-process --dir /abs/path/live/prod

A unit whose mapping says auth: delegate, or that unmatched: empty leaves without credentials,
is an error (exit 2).

  --dir D       the unit directory (default: the current directory); give an absolute path in
                a profile, since the AWS CLI and SDKs run it from wherever they are started
${MODE_OPTION}
${CONFIG_OPTION}
`,
  exec: `Usage: rolemap exec [DIR] [--mode plan|apply] [--config F] -- CMD [ARG...]

Runs CMD with the credentials and envs of the unit DIR (default: the current directory), in
place of any AWS credentials it would inherit (AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION), in the
current directory. Exits with CMD's exit code, or 128 plus the signal's number when a signal
ended it (127: CMD not found). SIGTERM, SIGHUP, SIGUSR1 and SIGUSR2 sent to rolemap go on to
CMD; so do SIGINT and SIGQUIT, except from a terminal, which already sends them to CMD itself.

  rolemap exec live/prod/app -- terraform plan

  --dir D       the unit directory, as DIR
${MODE_OPTION}
${CONFIG_OPTION}
`,
  env: `Usage: rolemap env [DIR] [--mode plan|apply] [--config F] [--shell sh|fish|powershell] [--unset]

Prints lines that give a human shell the credentials and envs of the unit DIR (default: the
current directory), unsetting AWS_PROFILE and other credentials that would take precedence,
and remembering (in variables the shell does not export) what they replace:

  eval "$(rolemap env live/dev/vpc)"                                   sh, bash, zsh
  rolemap env live/dev/vpc --shell fish | source                        fish
  rolemap env live/dev/vpc --shell powershell | Out-String | Invoke-Expression

A later rolemap (Terragrunt) in that shell does not use those credentials as a base; undo them
first with --unset.

  --dir D       the unit directory, as DIR
${MODE_OPTION}
${CONFIG_OPTION}
  --shell S     sh (default; also bash and zsh), fish or powershell
  --unset       print the lines that put back what the last \`rolemap env\` of this shell
                changed: eval "$(rolemap env --unset)"
`,
  explain: `Usage: rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]

Shows how rolemap resolves the unit DIR (default: the current directory), without calling AWS
and without secrets: the mapping file and how it was found, the unit path, every candidate
mapping with its specificity, the winner and why, the mode and why, the account, role ARN,
session name, auth kind, overrides applied or refused, and the cache state.

  --dir D       the unit directory, as DIR
${MODE_OPTION}
${CONFIG_OPTION}
  --json        the same as one JSON object
`,
  validate: `Usage: rolemap validate [--config F] [--dir D] [--units] [--json]

Checks the mapping file and exits 0 when it is valid, 2 otherwise; each problem is shown with
its file:line:column and what to write instead.

  --units       also scan for terragrunt.hcl units under the file's directory (skipping
                .terragrunt-cache) and report each as covered, uncovered or ambiguous, and
                mappings that cover no unit; exits 2 when a unit is uncovered or ambiguous
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
${CONFIG_OPTION}
  --json        the report as JSON
`,
  login: `Usage: rolemap login [--start-url U] [--region R] [--sso-session NAME] [--no-browser] | --mfa [--profile P] [--code C]

Signs in to IAM Identity Center with the device authorization flow and stores the token where
the AWS CLI keeps it (~/.aws/sso/cache), under every name your AWS config uses for that portal
(each sso-session with its start URL, each legacy profile's sso_start_url), so all of them work.
Without --start-url or --sso-session it signs in to each portal the mapping tree uses (each
mapping's sso, else your config's sso block, else the mapping file's), one after another. The
URL and code are shown on stderr; a browser is opened only with a terminal and a display.

  --start-url U the IAM Identity Center start URL, e.g. https://acme.awsapps.com/start
  --region R    the region of IAM Identity Center
  --sso-session NAME
                sign in to the portal of this name under the mapping file's sso_sessions; with
                --start-url, also store the token for this sso-session name (as \`aws sso login\`)
  --no-browser  never open a browser
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
${CONFIG_OPTION}

With --mfa, gets an MFA session instead (sts:GetSessionToken with the profile's mfa_serial and
code) and caches it (0600) as that profile's base until it expires, so a whole \`terragrunt run
--all\` asks for one code. Terragrunt calls never prompt: without a fresh session they fail with
this command.

  --mfa         an MFA session for a base profile with mfa_serial in ~/.aws/config
  --profile P   that profile (default: the one rolemap's base uses: source_profile in your
                config, AWS_DEFAULT_PROFILE, AWS_PROFILE, else default)
  --code C      the device's current code; without it, asked on the terminal
`,
  logout: `Usage: rolemap logout [--start-url U] [--region R] [--sso-session NAME]

Signs out of IAM Identity Center and removes the cached token under every name \`rolemap login\`
stores it. The portals default as for \`rolemap login\`: each portal the mapping tree uses.

  --start-url U the IAM Identity Center start URL
  --region R    the region of IAM Identity Center
  --sso-session NAME
                sign out of the portal of this name under the mapping file's sso_sessions; with
                --start-url, also remove the token stored for this sso-session name
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
${CONFIG_OPTION}
`,
  completion: `Usage: rolemap completion bash|zsh|fish

Prints a script that completes rolemap's commands, options and values in the shell:

  source <(rolemap completion bash)            in ~/.bashrc
  source <(rolemap completion zsh)             in ~/.zshrc
  rolemap completion fish > ~/.config/fish/completions/rolemap.fish
`,
  help: `Usage: rolemap help [COMMAND]

Shows the help of rolemap, or of COMMAND (the same as \`rolemap COMMAND --help\`).
`,
  version: `Usage: rolemap version

Prints rolemap's version (the same as \`rolemap --version\`).
`,
  cache: `Usage: rolemap cache list|clear [--json]

  list          the cached credentials and MFA sessions, without secrets: role, session name,
                auth, base identity and expiry
  clear         remove every cached credential, MFA session, remembered failure and lock
  --json        list as JSON
`,
};

/** The help text for a command, or the main help when there is no topic. */
export function helpText(topic: CommandName | undefined): string {
  return topic === undefined ? MAIN : COMMANDS[topic];
}
