import { VERSION } from '../constants';

const MAIN = `rolemap ${VERSION}: AWS credentials for Terragrunt units, by directory.

Terragrunt runs rolemap in each unit directory (TG_AUTH_PROVIDER_CMD=rolemap). rolemap finds the
unit in rolemap.yaml, obtains credentials for the mapped account and role, and prints the JSON
Terragrunt reads.

Usage:
  rolemap [credentials] [--dir D] [--mode plan|apply] [--config F]
  rolemap explain [DIR] [--mode M] [--config F] [--json]
  rolemap validate [--config F] [--dir D] [--units] [--json]
  rolemap env [DIR] [--mode M] [--config F]
  rolemap login [--start-url U] [--region R] [--no-browser]
  rolemap logout [--start-url U]
  rolemap cache list|clear [--json]
  rolemap --version | --help | <command> --help

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

const COMMANDS: Readonly<Record<string, string>> = {
  credentials: `rolemap credentials [--dir D] [--mode plan|apply] [--config F]

Prints one JSON object for Terragrunt on stdout: awsCredentials (or awsRole with auth: delegate)
and envs. This is what \`rolemap\` with no command does.

  --dir D       the unit directory (default: the current directory, as Terragrunt runs it)
  --mode M      plan or apply, overriding ROLEMAP_MODE and CI detection
  --config F    the mapping file, overriding ROLEMAP_CONFIG and the walk up to rolemap.yaml
`,
  env: `rolemap env [DIR] [--mode plan|apply] [--config F]

Prints \`export AWS_...=...\` lines for a human shell:  eval "$(rolemap env live/dev/vpc)"
`,
  explain: `rolemap explain [DIR] [--mode plan|apply] [--config F] [--json]

Shows how rolemap resolves a unit, without calling AWS and without secrets: the mapping file,
the unit path, every candidate mapping with its specificity, the winner and why, the mode and
why, overrides applied or refused, the role ARN, session name, auth kind and cache state.

  --json        the same as one JSON object
`,
  validate: `rolemap validate [--config F] [--dir D] [--units] [--json]

Checks the mapping file and exits 0 when it is valid, 2 otherwise.

  --units       also scan for terragrunt.hcl units under the file's directory (skipping
                .terragrunt-cache) and report each as covered, uncovered or ambiguous, and
                mappings that cover no unit; exits 2 when a unit is uncovered or ambiguous
  --dir D       where to start looking for rolemap.yaml (default: the current directory)
  --json        the report as JSON
`,
  login: `rolemap login [--start-url U] [--region R] [--no-browser]

Signs in to IAM Identity Center with the device authorization flow and stores the token where
the AWS CLI keeps it (~/.aws/sso/cache). The start URL and region default to your config's sso
block, then the mapping file's. The URL and code are shown on stderr; a browser is opened only
with a terminal and a display.

  --no-browser  never open a browser
`,
  logout: `rolemap logout [--start-url U]

Signs out of IAM Identity Center and removes the cached token.
`,
  cache: `rolemap cache list|clear [--json]

  list    the cached credentials, without secrets: role, account, session name, expiry
  clear   remove every cached credential, remembered failure and lock
`,
};

/** The help text for a command, or the main help. */
export function helpText(topic: string | undefined): string {
  return (topic === undefined ? undefined : COMMANDS[topic]) ?? MAIN;
}
