import { resolve as resolvePath } from 'node:path';
import type { CompiledConfig, CompiledUserConfig, Mode } from '../config/types';
import { isCompiledUserConfig } from '../config/compiledShape';
import { loadCompiled, loadCompiledMapping, type CompiledStore } from './loadCompiled';
import type { Logger } from '../log/logger';
import { detectCi } from '../resolve/detectCi';
import { isCi } from '../resolve/isCi';
import { resolveRequest } from '../resolve/resolveRequest';
import type { Environment, ModeFromEnv, ResolveResult } from '../resolve/types';
import { findMappingFile, type MappingFileLocation } from './findMappingFile';
import { findUserConfig } from './findUserConfig';
import { unitPathFor } from './unitPathFor';

export interface ResolveUnitInit {
  /** The unit directory as given (--dir or the working directory). */
  dir: string;
  configFlag: string | undefined;
  modeFlag: Mode | undefined;
  /** ROLEMAP_CONFIG, ROLEMAP_USER_CONFIG and ROLEMAP_MODE, as read at the entry. */
  fromEnv: { config: string | undefined; userConfig: string | undefined; mode: ModeFromEnv | undefined };
  env: Environment;
  homedir: string;
  osUser: string;
  compiledStore: CompiledStore | undefined;
  logger: Logger;
}

/** A resolved unit; the cli narrows `R` to the verdicts once it has turned refusals into errors. */
export interface ResolvedUnit<R extends ResolveResult = ResolveResult> {
  location: MappingFileLocation;
  config: CompiledConfig;
  userConfig: CompiledUserConfig | undefined;
  unitDir: string;
  unitPath: string;
  result: R;
}

/**
 * The I/O half of resolution: finds the mapping file and the developer's config, loads their
 * compiled forms, computes the unit path, then hands everything to the pure resolver.
 */
export async function resolveUnit(init: ResolveUnitInit): Promise<ResolvedUnit> {
  const unitDir = resolvePath(init.dir);
  const location = findMappingFile(unitDir, init.configFlag, init.fromEnv.config);
  const unitPath = unitPathFor(unitDir, location.file);
  // Detected once per call: it walks the whole CI registry outside CI, and both the developer's
  // config and the resolution ask.
  const ci = detectCi(init.env);
  const userConfig = await loadUserConfig(init, ci !== undefined);
  const resolveWith = (config: CompiledConfig): ResolveResult =>
    resolveRequest({ config, userConfig, unitPath, env: init.env, ci, modeFlag: init.modeFlag, modeFromEnv: init.fromEnv.mode, osUser: init.osUser });
  // Only the mappings that can match this unit: in a large tree, most of the file is never read.
  const partial = await loadMappingFile(location.file, init, unitPath);
  const partialResult = resolveWith(partial);
  if (partialResult.status !== 'unmatched' || partialResult.emptyAllowed) return { location, config: partial, userConfig, unitDir, unitPath, result: partialResult };
  // No match is an error that names the nearest globs of the whole file.
  const config = await loadMappingFile(location.file, init);
  return { location, config, userConfig, unitDir, unitPath, result: resolveWith(config) };
}

/**
 * Loads and compiles a mapping file (through the compiled-config cache): all of it, or with
 * `unitPath` only the mappings that can match that unit.
 */
export function loadMappingFile(
  file: string,
  init: Pick<ResolveUnitInit, 'compiledStore' | 'logger'>,
  unitPath?: string,
): Promise<CompiledConfig> {
  return loadCompiledMapping({
    file,
    store: init.compiledStore,
    unitPath,
    compile: async (text, name) => (await import('../config/compileMappingFile')).compileMappingFile(text, name),
    onStoreError: (error) => init.logger.warn('could not save the compiled mapping file', { error: error instanceof Error ? error.message : String(error) }),
  });
}

/** The developer's config, or undefined in CI (where it is never read) or when there is none. */
export async function loadUserConfig(
  init: Pick<ResolveUnitInit, 'fromEnv' | 'env' | 'homedir' | 'compiledStore' | 'logger'>,
  inCi: boolean = isCi(init.env),
): Promise<CompiledUserConfig | undefined> {
  if (inCi) return undefined;
  const file = findUserConfig(init.fromEnv.userConfig, init.env, init.homedir);
  if (file === undefined) return undefined;
  return loadCompiled({
    file,
    store: init.compiledStore,
    compile: async (text, name) => (await import('../config/compileUserConfig')).compileUserConfig(text, name),
    isShape: isCompiledUserConfig,
    onStoreError: (error) => init.logger.warn('could not save the compiled user config', { error: error instanceof Error ? error.message : String(error) }),
  });
}
