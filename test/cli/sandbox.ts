import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The login name in a sandbox's environment (USER), and so `{user}` in what rolemap resolves there. */
export const SANDBOX_USER = 'tester';

export const EXAMPLES_LIVE = path.resolve(__dirname, '../../examples/live');

export interface Sandbox {
  home: string;
  cacheDir: string;
  /** A clean environment: no AWS or CI variables from the machine running the tests. */
  env: Record<string, string>;
  cleanup(): void;
}

/** A temporary HOME and cache directory, so tests never read or write the real ~/.aws or cache. */
export function makeSandbox(extra: Record<string, string> = {}): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-test-'));
  const home = path.join(root, 'home');
  const cacheDir = path.join(root, 'cache');
  fs.mkdirSync(home, { recursive: true });
  return {
    home,
    cacheDir,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      USER: SANDBOX_USER,
      ROLEMAP_CACHE_DIR: cacheDir,
      AWS_CONFIG_FILE: path.join(home, '.aws/config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws/credentials'),
      // Never wait on an instance metadata service that does not exist here.
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
