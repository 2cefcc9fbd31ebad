import type { Environment } from '../../resolve/types';

export interface BrowserContext {
  noBrowser: boolean;
  /** Whether stderr is a terminal: a person is watching. */
  isTTY: boolean;
  env: Environment;
  platform: NodeJS.Platform;
}

/**
 * Whether `rolemap login` should open a browser: never with --no-browser or without a terminal,
 * and only where there is a display (X11 or Wayland on Linux; macOS and Windows always have one).
 */
export function shouldOpenBrowser(context: BrowserContext): boolean {
  if (context.noBrowser || !context.isTTY) return false;
  if (context.platform === 'darwin' || context.platform === 'win32') return true;
  return (context.env['DISPLAY'] ?? '') !== '' || (context.env['WAYLAND_DISPLAY'] ?? '') !== '';
}
