/**
 * How one Terragrunt version is driven, read off its source at the tags this suite was built
 * against (v0.59.0 and v1.1.3) and the tags that changed each thing:
 * - v0.73.0: the `run --all` command, `--tf-path`, `--non-interactive`, `--working-dir`, and
 *   TG_* variables (TERRAGRUNT_* still read, deprecated); before it `run-all`,
 *   `--terragrunt-tfpath` and friends, TERRAGRUNT_* only.
 * - v0.63.8: `run-all` runs the auth command in every unit while it discovers the units (so a
 *   failure there stops the whole run before any unit runs); before it, only for unit tasks and
 *   dependency fetches.
 * - v0.67.10: a failing auth command is reported as `Failed to execute "<cmd>" in <dir>` followed
 *   by its stderr; before it the error says only `[<unit>] exit status N`, and the stderr is a log
 *   line of its own (`level=info msg=rolemap: ...`).
 * - v0.68.14: the auth command's `awsRole` answer (Terragrunt assumes the role itself); before
 *   it `awsRole` is silently ignored.
 * - v0.88.1: the auth command string is split with go-shellwords (quotes work); before it with
 *   strings.Fields (a quoted path with a space is cut into pieces).
 * - v1.0.0: stacks (`terragrunt.stack.hcl`) without an experiment flag.
 * - v1.1.0: `--no-discovery-auth-provider-cmd`.
 */
export interface TerragruntDialect {
  /** The variable that holds the auth provider command. */
  authCommandEnv: 'TG_AUTH_PROVIDER_CMD' | 'TERRAGRUNT_AUTH_PROVIDER_CMD';
  /** Arguments for `run --all <command>` (or `run-all <command>`) in a working directory with the stub OpenTofu. */
  runAll(command: string, init: { workingDir: string; tfPath: string; extra?: readonly string[] }): string[];
  /** Arguments for `stack generate` in a working directory (stacks only). */
  stackGenerate(init: { workingDir: string; tfPath: string }): string[];
  /** What the suite sets so that Terragrunt never reaches a network or waits on a prompt. */
  quietEnv: Record<string, string>;
  supports: {
    authInDiscovery: boolean;
    failureNamesCommand: boolean;
    awsRole: boolean;
    quotedAuthCommand: boolean;
    stacks: boolean;
    noDiscoveryAuthProviderCmd: boolean;
  };
}

/** The dialect of a version such as "1.1.3" or "0.59.0". */
export function dialectFor(version: string): TerragruntDialect {
  const at = (min: string): boolean => compareVersions(version, min) >= 0;
  const supports = {
    authInDiscovery: at('0.63.8'),
    failureNamesCommand: at('0.67.10'),
    awsRole: at('0.68.14'),
    quotedAuthCommand: at('0.88.1'),
    stacks: at('1.0.0'),
    noDiscoveryAuthProviderCmd: at('1.1.0'),
  };
  if (at('0.73.0')) {
    return {
      authCommandEnv: 'TG_AUTH_PROVIDER_CMD',
      runAll: (command, { workingDir, tfPath, extra = [] }) => ['run', '--all', '--non-interactive', '--working-dir', workingDir, '--tf-path', tfPath, ...extra, command],
      stackGenerate: ({ workingDir, tfPath }) => ['stack', 'generate', '--non-interactive', '--working-dir', workingDir, '--tf-path', tfPath],
      quietEnv: {
        TG_NON_INTERACTIVE: 'true',
        TG_NO_COLOR: 'true',
        TG_TELEMETRY_TRACE_EXPORTER: 'none',
        TG_TELEMETRY_METRIC_EXPORTER: 'none',
        TG_TELEMETRY_LOGS_EXPORTER: 'none',
        TG_PROVIDER_CACHE: 'false',
        TG_NO_AUTO_PROVIDER_CACHE_DIR: 'true',
      },
      supports,
    };
  }
  return {
    authCommandEnv: 'TERRAGRUNT_AUTH_PROVIDER_CMD',
    runAll: (command, { workingDir, tfPath, extra = [] }) => [
      'run-all',
      command,
      '--terragrunt-non-interactive',
      '--terragrunt-working-dir',
      workingDir,
      '--terragrunt-tfpath',
      tfPath,
      ...extra,
    ],
    stackGenerate: () => {
      throw new Error('Terragrunt before v0.73.0 has no stacks');
    },
    quietEnv: {
      TERRAGRUNT_NON_INTERACTIVE: 'true',
      TERRAGRUNT_NO_COLOR: 'true',
      TERRAGRUNT_TELEMETRY_TRACE_EXPORTER: 'none',
      TERRAGRUNT_TELEMETRY_METRIC_EXPORTER: 'none',
      TERRAGRUNT_PROVIDER_CACHE: 'false',
    },
    supports,
  };
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
