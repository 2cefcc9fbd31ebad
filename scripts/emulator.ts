/**
 * `npm run emulator [-- --port N]`: runs the local AWS emulator until Ctrl-C and prints the
 * environment a shell needs to point the AWS SDK (and rolemap) at it.
 */
import { SEED_DEVELOPER, SEED_REGION, startEmulator } from '../test/emulator';

function portFrom(argv: readonly string[]): number {
  const index = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (index === -1) return 0;
  const arg = argv[index] ?? '';
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`emulator: --port needs a number from 0 to 65535, got ${String(text)}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: portFrom(process.argv.slice(2)) });
  const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, ...endpoints } = emulator.env();
  const exports = (vars: Record<string, string>): string[] =>
    Object.entries(vars).map(([name, value]) => `export ${name}='${value}'`);
  const lines = [
    `# rolemap AWS emulator listening on ${emulator.url} (Ctrl-C to stop)`,
    `# control API: GET ${emulator.url}/_emulator/calls, POST ${emulator.url}/_emulator/{reset,faults,roles/trust,clock,token}`,
    '# paste into your shell (the seeded developer user, arn:aws:iam::999999999999:user/developer):',
    ...exports({
      ...endpoints,
      AWS_REGION: SEED_REGION,
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
    }),
    '# to act as a GitHub Actions job (OIDC web identity), also:',
    ...exports({ ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN }),
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
