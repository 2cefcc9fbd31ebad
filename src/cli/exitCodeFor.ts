import { EXIT_CREDENTIALS, EXIT_USAGE } from '../constants';
import { CacheError, ConfigError, CredentialsError, UsageError } from '../errors';

/** The one place an error becomes an exit code (docs/architecture.md, "Exit codes"). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT_USAGE;
  if (error instanceof CredentialsError || error instanceof CacheError) return EXIT_CREDENTIALS;
  // Anything unexpected still means no credentials were printed.
  return EXIT_CREDENTIALS;
}
