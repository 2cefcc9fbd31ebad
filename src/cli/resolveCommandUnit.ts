import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Mode } from '../config/types';
import { UsageError } from '../errors';
import { resolveUnit, type ResolvedUnit } from '../locate/resolveUnit';
import type { ResolveVerdict } from '../resolve/types';
import type { CommandContext } from './CommandContext';
import { unresolvedError } from './render/unresolvedError';

/** The unit options shared by credentials, credential-process, exec, env and explain. */
export interface UnitOptions {
  dir: string | undefined;
  mode: Mode | undefined;
  config: string | undefined;
}

/**
 * Resolves the unit a command is about, from its options and the run's context. Relative paths
 * in --dir and --config are taken from the directory rolemap was started in (never --config
 * from --dir): that is what a user typing them means.
 * @throws UsageError when --dir (or DIR) names no directory, before any mapping file is looked for;
 *   the error of a refusal (unresolvedError) when the resolver refuses the unit's input.
 */
export async function resolveCommandUnit(options: UnitOptions, context: CommandContext): Promise<ResolvedUnit<ResolveVerdict>> {
  const { deps } = context;
  const dir = options.dir === undefined ? deps.cwd : resolve(deps.cwd, options.dir);
  const stat = options.dir === undefined ? undefined : statSync(dir, { throwIfNoEntry: false });
  if (options.dir !== undefined && stat?.isDirectory() !== true) {
    throw new UsageError(`The unit directory ${dir} ${stat === undefined ? 'does not exist' : 'is not a directory'}.`, {
      hint: 'Give the directory of an existing unit (relative paths start from the current directory).',
    });
  }
  const resolved = await resolveUnit({
    dir,
    configFlag: options.config === undefined ? undefined : resolve(deps.cwd, options.config),
    modeFlag: options.mode,
    fromEnv: deps.rolemapEnv,
    env: deps.env,
    homedir: deps.homedir,
    osUser: deps.osUser,
    compiledStore: context.cache?.compiledStore,
    logger: deps.logger,
  });
  const { result } = resolved;
  if (result.status === 'matched' || result.status === 'unmatched' || result.status === 'ambiguous') return { ...resolved, result };
  throw unresolvedError(result);
}
