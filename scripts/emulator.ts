/**
 * `npm run emulator [-- --port N]`: runs the local AWS emulator (STS, GitHub OIDC, and IAM
 * Identity Center's SSO-OIDC and portal) until Ctrl-C and prints the environment a shell needs
 * to point the AWS SDK (and rolemap) at it.
 */
import { SEED_ACCOUNTS, SEED_DEVELOPER, SEED_MFA_DEVICE, SEED_REGION, SEED_ROLE_NAMES, startEmulator } from '../test/emulator';
import { createSsoService, type SsoControl } from '../test/emulator/sso';

/** Any start URL works; this one matches the examples in the README. */
const START_URL = 'https://acme.awsapps.com/start';

/** Permission sets the emulated SSO user may use in every seeded workload account. */
const PERMISSION_SETS = ['AdministratorAccess', 'ReadOnlyAccess', ...SEED_ROLE_NAMES];
const WORKLOAD_ACCOUNTS = [SEED_ACCOUNTS.dev, SEED_ACCOUNTS.stage, SEED_ACCOUNTS.prod, SEED_ACCOUNTS.shared];

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
  let sso: SsoControl | undefined;
  const emulator = await startEmulator({
    port: portFrom(process.argv.slice(2)),
    services: [
      (ctx) => {
        const service = createSsoService(ctx);
        sso = service.control;
        return service;
      },
    ],
  });
  if (sso === undefined) throw new Error('the SSO service was not started');
  // A person approves on the verification page (GET /device?user_code=...), as with the real
  // service; polls alone never approve.
  sso.approveAfterPolls(Number.MAX_SAFE_INTEGER);
  for (const account of WORKLOAD_ACCOUNTS) for (const permissionSet of PERMISSION_SETS) sso.assign(account, permissionSet);

  const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO, ...endpoints } =
    emulator.env();
  const exports = (vars: Record<string, string>): string[] =>
    Object.entries(vars).map(([name, value]) => `export ${name}='${value}'`);
  const lines = [
    `# rolemap AWS emulator listening on ${emulator.url} (Ctrl-C to stop)`,
    `# control API: GET ${emulator.url}/_emulator/calls, POST ${emulator.url}/_emulator/{reset,faults,roles/trust,clock,token}`,
    `#   SSO device codes are approved by opening GET ${emulator.url}/device?user_code=XXXX-XXXX`,
    '# paste into your shell (the seeded developer user, arn:aws:iam::999999999999:user/developer):',
    ...exports({
      ...endpoints,
      AWS_REGION: SEED_REGION,
      AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey,
    }),
    '# to act as a GitHub Actions job (OIDC web identity), also:',
    ...exports({ ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN }),
    '# to try rolemap login (IAM Identity Center), also:',
    ...exports({ AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO }),
    `#   ./dist/rolemap login --start-url ${START_URL} --region ${SEED_REGION} --no-browser`,
    `# it prints a URL (${emulator.url}/device?user_code=XXXX-XXXX): open it in a browser, or`,
    "# curl it, to approve the code; rolemap then polls once a second and saves the token.",
    `# Permission sets ${PERMISSION_SETS.join(', ')} are assigned in`,
    `# accounts ${WORKLOAD_ACCOUNTS.join(', ')}. To use them, put in your rolemap config`,
    `# (ROLEMAP_USER_CONFIG): sso: {start_url: ${START_URL}, region: ${SEED_REGION}}, and an override`,
    '# with auth: sso and role: <permission set> (auth: auto picks SSO only when AWS_ACCESS_KEY_ID is unset).',
    `# to try rolemap login --mfa: a profile with the developer's keys and mfa_serial = ${SEED_MFA_DEVICE.serial}`,
    `#   in ~/.aws/config (AWS_PROFILE=it, AWS_ACCESS_KEY_ID unset); the device's code is always ${SEED_MFA_DEVICE.code}.`,
    `#   POST ${emulator.url}/_emulator/roles/trust {"arn": "<role ARN>", "requireMfa": true} makes a role require MFA.`,
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
