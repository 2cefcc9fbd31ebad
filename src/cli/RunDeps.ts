import type { FlushableLogger } from '../log/createLogger';
import type { Environment } from '../resolve/types';
import type { Output } from './Output';
import type { RolemapEnvironment } from './readRolemapEnvironment';

/** Everything a command needs from the outside world; tests pass their own. */
export interface RunDeps {
  /** The environment, with credentials that rolemap itself issued already removed. */
  env: Environment;
  /** rolemap's own ROLEMAP_* settings, read once from `env` at the entry. */
  rolemapEnv: RolemapEnvironment;
  cwd: string;
  homedir: string;
  uid: number;
  osUser: string;
  now: () => number;
  logger: FlushableLogger;
  output: Output;
  /** Messages for the human at the terminal (login's URL and code); stderr. */
  notify: (message: string) => void;
  /** Whether stderr is a terminal; a function because only login asks, and asking loads Node's tty module. */
  stderrIsTTY: () => boolean;
  /**
   * Told when a command hands out credentials from the cache (a hit): dist/rolemap keeps its own
   * code cache of the bundle only from such a call (keepCodeCache in cli/main).
   */
  onCacheHit?: () => void;
}
