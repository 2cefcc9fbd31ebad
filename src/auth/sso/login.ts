import type { Environment } from '../../resolve/types';
import { loginWithDeviceFlow, type LoginResult } from './loginWithDeviceFlow';
import { openBrowser as defaultOpenBrowser } from './openBrowser';
import { resolveHomeDir } from './resolveHomeDir';
import { shouldOpenBrowser } from './shouldOpenBrowser';

export interface LoginOptions {
  startUrl: string;
  region: string;
  /** --no-browser. */
  noBrowser: boolean;
  env: Environment;
  /** Writes a line to stderr. */
  notify: (message: string) => void;
  /** Store the token under this sso-session name. */
  sessionName?: string | undefined;
  /** Defaults to process.stderr.isTTY. */
  isTTY?: boolean | undefined;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform | undefined;
  /** Defaults to HOME from `env`. */
  homeDir?: string | undefined;
  now?: (() => number) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  openBrowser?: ((url: string) => Promise<void>) | undefined;
}

/**
 * `rolemap login [--start-url U] [--region R] [--no-browser]`: fills in the real clock, sleep,
 * terminal and browser, then runs the device authorization flow (loginWithDeviceFlow).
 */
export function login(options: LoginOptions): Promise<LoginResult> {
  const platform = options.platform ?? process.platform;
  const browser = shouldOpenBrowser({
    noBrowser: options.noBrowser,
    isTTY: options.isTTY ?? process.stderr.isTTY === true,
    env: options.env,
    platform,
  });
  return loginWithDeviceFlow({
    startUrl: options.startUrl,
    region: options.region,
    sessionName: options.sessionName,
    env: options.env,
    homeDir: options.homeDir ?? resolveHomeDir(options.env),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    notify: options.notify,
    openBrowser: browser ? (options.openBrowser ?? ((url) => defaultOpenBrowser(url, platform))) : undefined,
  });
}
