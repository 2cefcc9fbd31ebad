import { VERSION } from '../constants';

const MAIN = `rolemap ${VERSION}: AWS credentials for Terragrunt units, by directory.

Terragrunt runs rolemap in each unit directory (TG_AUTH_PROVIDER_CMD=rolemap). rolemap finds the
unit in rolemap.yaml, obtains credentials for the mapped account and role, and prints the JSON
Terragrunt reads.

Usage:
  rolemap [credentials] [--dir D] [--mode plan|apply] [--config F]
  rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]
  rolemap validate [--config F] [--dir D] [--units] [--json]
  rolemap env [DIR] [--mode plan|apply] [--config F]
  rolemap login [--start-url U] [--region R] [--sso-session NAME] [--no-browser]
  rolemap logout [--start-url U] [--region R] [--sso-session NAME]
  rolemap cache list|clear [--json]
  rolemap --version | --help | <command> --help

Commands:
  credentials   print Terragrunt's JSON for the unit (the default)
  explain       show how a unit resolves, and why; no AWS call, no secret
  validate      check the mapping file; --units also checks that it covers every unit
  env           print export lines for a human shell: eval "$(rolemap env)"
  login         sign in to IAM Identity Center
  logout        sign out of IAM Identity Center
  cache         list or clear cached credentials

Environment:
  ROLEMAP_CONFIG       mapping file (else rolemap.yaml, found walking up from the unit)
  ROLEMAP_MODE         plan or apply (else CI context, else your config, else modes.local)
  ROLEMAP_USER_CONFIG  your own config (else $XDG_CONFIG_HOME/rolemap/config.yaml)
  ROLEMAP_CACHE_DIR    credential cache (else $XDG_CACHE_HOME/rolemap, ~/.cache/rolemap)
  ROLEMAP_NO_CACHE=1   do not use the credential cache
  ROLEMAP_LOG_LEVEL    trace|debug|info|warn|error|silent (default warn); logs go to stderr
  ROLEMAP_LOG_FORMAT   text|json (default text)

Exit codes: 0 success, 1 credentials could not be obtained, 2 usage or configuration error.
`;

/** Options that find the mapping file, shared by several commands. */
const CONFIG_OPTION = '  --config F    the mapping file, overriding ROLEMAP_CONFIG and the walk up to rolemap.yaml';
const MODE_OPTION = '  --mode M      plan or apply, overriding ROLEMAP_MODE and CI detection';

const COMMANDS: Readonly<Record<string, string>> = {
  credentials: `Usage: rolemap credentials [--dir D] [--mode plan|apply] [--config F]

Prints one JSON object for Terragrunt on stdout: awsCredentials (or awsRole with auth: delegate)
and envs. This is what \`rolemap\` with no command does. On failure stdout stays empty and the
reason goes to stderr; the exit code is 1 when AWS refused or could not be reached, 2 when the
mapping file or the command line is wrong.

  --dir D       the unit directory (default: the current directory, as Terragrunt runs it)
${MODE_OPTION}
${CONFIG_OPTION}
`,
  env: `Usage: rolemap env [DIR] [--mode plan|apply] [--config F]

Prints \`export AWS_...=...\` lines for a human shell, for the unit DIR (default: the current
directory):

  eval "$(rolemap env live/dev/vpc)"

${MODE_OPTION}
${CONFIG_OPTION}
`,
  explain: `Usage: rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]

Shows how rolemap resolves the unit DIR (default: the current directory), without calling AWS
and without secrets: the mapping file and how it was found, the unit path, every candidate
mapping with its specificity, the winner and why, the mode and why, the account, role ARN,
session name, auth kind, overrides applied or refused, and the cache state.

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
  login: `Usage: rolemap login [--start-url U] [--region R] [--sso-session NAME] [--no-browser]

Signs in to IAM Identity Center with the device authorization flow and stores the token where
the AWS CLI keeps it (~/.aws/sso/cache), under every name your AWS config uses for that portal
(each sso-session with its start URL, each legacy profile's sso_start_url), so all of them work.
The start URL and region default to your config's sso block, then the mapping file's. The URL
and code are shown on stderr; a browser is opened only with a terminal and a display.

  --start-url U the IAM Identity Center start URL, e.g. https://acme.awsapps.com/start
  --region R    the region of IAM Identity Center
  --sso-session NAME
                also store the token for this sso-session name (as \`aws sso login --sso-session\`)
  --no-browser  never open a browser
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
${CONFIG_OPTION}
`,
  logout: `Usage: rolemap logout [--start-url U] [--region R] [--sso-session NAME]

Signs out of IAM Identity Center and removes the cached token under every name \`rolemap login\`
stores it. The start URL and region default as for \`rolemap login\`.

  --start-url U the IAM Identity Center start URL
  --region R    the region of IAM Identity Center
  --sso-session NAME
                also remove the token stored for this sso-session name
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
${CONFIG_OPTION}
`,
  cache: `Usage: rolemap cache list|clear [--json]

  list          the cached credentials, without secrets: role, session name, auth, base
                identity and expiry
  clear         remove every cached credential, remembered failure and lock
  --json        list as JSON
`,
};

/** The help text for a command, or the main help when there is no topic or no such command. */
export function helpText(topic: string | undefined): string {
  return (topic === undefined ? undefined : COMMANDS[topic]) ?? MAIN;
}
