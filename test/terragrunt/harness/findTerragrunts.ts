import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dialectFor, type TerragruntDialect } from './terragruntDialect';

/** A Terragrunt executable the suite runs, with what its version supports. */
export interface TerragruntBinary {
  path: string;
  /** e.g. "v1.1.3" */
  version: string;
  dialect: TerragruntDialect;
}

export type FoundTerragrunts = { binaries: TerragruntBinary[] } | { skip: string };

/**
 * The Terragrunts to test: TERRAGRUNT_BIN, plus each path in TERRAGRUNT_BINS (separated like
 * PATH), else `terragrunt` on PATH. A named binary that does not run is an error, not a skip:
 * someone asked for it. Only "none at all" is a skip, with the reason.
 */
export function findTerragrunts(env: NodeJS.ProcessEnv): FoundTerragrunts {
  const named = [env['TERRAGRUNT_BIN'], ...(env['TERRAGRUNT_BINS'] ?? '').split(path.delimiter)]
    .map((p) => p?.trim() ?? '')
    .filter((p) => p !== '');
  if (named.length === 0) {
    const onPath = findOnPath('terragrunt', env['PATH'] ?? '');
    if (onPath === undefined) return { skip: 'no terragrunt: set TERRAGRUNT_BIN (and TERRAGRUNT_BINS for more) or put terragrunt on PATH' };
    named.push(onPath);
  }
  const binaries = [...new Set(named.map((p) => path.resolve(p)))].map((binary) => ({ path: binary, ...versionOf(binary) }));
  return { binaries };
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function versionOf(binary: string): { version: string; dialect: TerragruntDialect } {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/' } });
  if (run.error !== undefined) throw new Error(`${binary} --version: ${run.error.message}`);
  const version = /\bv?(\d+\.\d+\.\d+(?:-[\w.]+)?)\b/.exec(`${run.stdout}\n${run.stderr}`)?.[1];
  if (run.status !== 0 || version === undefined) {
    throw new Error(`${binary} --version exited ${String(run.status)} without a version: ${run.stdout}${run.stderr}`.trim() + unversionedHint(run.stdout));
  }
  return { version: `v${version}`, dialect: dialectFor(version) };
}

/**
 * A Terragrunt built from source without its release's -ldflags calls itself "latest", and the
 * suite picks each scenario by version: say so, and how to get a binary that knows its version.
 */
function unversionedHint(stdout: string): string {
  if (!/\bversion latest\b/.test(stdout)) return '';
  return (
    '\nThat binary was built from source without its version (a plain `go build` leaves it "latest"). ' +
    'Install a release build (README, "The suite under a real Terragrunt"), or run `make build` in a git checkout of the tag, which sets it.'
  );
}
