import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';

/** Signals rolemap passes on to the command it runs, so that stopping rolemap stops the command. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
/**
 * Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\). The command
 * is in rolemap's group and already got them; sending a second one would make Terraform give up
 * its graceful stop ("Two interrupts received. Exiting immediately").
 */
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export interface RunChildInit {
  command: readonly [string, ...string[]];
  env: Record<string, string | undefined>;
  /** For a message when the command cannot be started. */
  notify: (message: string) => void;
}

/**
 * Runs a command with the given environment and rolemap's own stdin, stdout, stderr and working
 * directory, and resolves to the exit code a shell would report: the command's own, 128 plus
 * the signal's number when a signal ended it, 127 when it was not found, 126 when it could not
 * be run. While it runs, rolemap does not die of the signals it forwards.
 */
export function runChild(init: RunChildInit): Promise<number> {
  const [file, ...args] = init.command;
  // Any of stdin, stdout, stderr on a terminal: the command shares it, and gets keyboard signals from it.
  const onTerminal = [0, 1, 2].some((fd) => isatty(fd));
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: init.env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => {
      if (onTerminal && TERMINAL_SIGNALS.includes(signal)) return;
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const done = (code: number): void => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const notFound = error.code === 'ENOENT';
      init.notify(`rolemap: cannot run ${file}: ${notFound ? 'command not found' : error.message}`);
      done(notFound ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      done(signal === null ? (code ?? 1) : 128 + (constants.signals[signal] ?? 0));
    });
  });
}
