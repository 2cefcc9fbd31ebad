import { spawn } from 'node:child_process';

/** The platform's URL opener, as [command, ...args before the URL]. */
function opener(platform: NodeJS.Platform): [string, ...string[]] {
  if (platform === 'darwin') return ['open'];
  // rundll32 takes the URL as one argument; `cmd /c start` would let `&` in it split the command.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  return ['xdg-open'];
}

/**
 * Opens `url` in the user's browser, detached, with no stdio (nothing may reach rolemap's
 * stdout). Resolves once the opener has started; rejects when it cannot be started.
 */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const [command, ...args] = opener(platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url], { detached: true, stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
