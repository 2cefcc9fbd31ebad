import type { Mode } from '../config/types';
import { resolveUnit, type ResolvedUnit } from '../locate/resolveUnit';
import type { CommandContext } from './CommandContext';

/** The unit options shared by credentials, env and explain. */
export interface UnitOptions {
  dir: string | undefined;
  mode: Mode | undefined;
  config: string | undefined;
}

/** Resolves the unit a command is about, from its options and the run's context. */
export function resolveCommandUnit(options: UnitOptions, context: CommandContext): Promise<ResolvedUnit> {
  const { deps } = context;
  return resolveUnit({
    dir: options.dir ?? deps.cwd,
    configFlag: options.config,
    modeFlag: options.mode,
    env: deps.env,
    homedir: deps.homedir,
    osUser: deps.osUser,
    compiledStore: context.cache?.compiledStore,
    logger: deps.logger,
  });
}
