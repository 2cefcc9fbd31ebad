import type { CommandName } from './parseArgs';

/** One line per command, for the main help and for shell completion. */
export const COMMAND_SUMMARIES: Readonly<Record<CommandName, string>> = {
  credentials: "print Terragrunt's JSON for the unit (the default)",
  'credential-process': 'print the JSON of an AWS profile\'s credential_process',
  exec: "run a command with the unit's credentials",
  env: 'print lines that give a human shell the unit\'s credentials; --unset undoes them',
  explain: 'show how a unit resolves, and why; no AWS call, no secret',
  validate: 'check the mapping file; --units also checks that it covers every unit',
  login: 'sign in to IAM Identity Center, or get an MFA session (--mfa)',
  logout: 'sign out of IAM Identity Center',
  cache: 'list or clear cached credentials',
  completion: 'print a completion script for bash, zsh or fish',
  help: 'show the help of rolemap or of a command',
  version: "print rolemap's version",
};
