import { VERSION } from '../constants';
import type { CacheHandle, CommandContext } from './CommandContext';
import { runCredentials } from './commands/credentials';
import type { Command } from './parseArgs';
import type { RunDeps } from './RunDeps';

export interface OpenCacheResult {
  cache: CacheHandle | undefined;
  disabledWhy: string | undefined;
}

/**
 * Runs one parsed command. Throws typed errors; the caller turns them into an exit code. Returns
 * the exit code of a command that has its own (exec: the code of the command it ran).
 */
export async function run(command: Command, deps: RunDeps, openCache: () => OpenCacheResult): Promise<number | void> {
  switch (command.name) {
    case 'version':
      deps.output.text(VERSION);
      return;
    case 'help':
      deps.output.text((await import('./helpText')).helpText(command.topic));
      return;
    case 'completion':
      deps.output.text((await import('./commands/completion')).completionScript(command.shell));
      return;
    default:
  }
  const { cache, disabledWhy } = openCache();
  const context: CommandContext = { deps, cache, cacheDisabledWhy: disabledWhy };
  switch (command.name) {
    case 'credentials':
      return runCredentials(command, context);
    // The other commands are loaded when used: Terragrunt only ever runs `credentials`.
    case 'credential-process':
      return (await import('./commands/credentialProcess')).runCredentialProcess(command, context);
    case 'exec':
      return (await import('./commands/exec')).runExec(command, context);
    case 'env':
      return (await import('./commands/env')).runEnv(command, context);
    case 'explain':
      return (await import('./commands/explain')).runExplain(command, context);
    case 'validate':
      return (await import('./commands/validate')).runValidate(command, context);
    case 'cache':
      return (await import('./commands/cache')).runCache(command, context);
    case 'login':
      return (await import('./commands/login')).runLogin(command, context);
    case 'logout':
      return (await import('./commands/logout')).runLogout(command, context);
  }
}
