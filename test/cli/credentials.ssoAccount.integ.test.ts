/**
 * The account guard for IAM Identity Center credentials (README, "How credentials are obtained"),
 * through the built binary: the portal's answer does not name an account, so rolemap asks STS
 * (GetCallerIdentity, signed with the new credentials) once per fetch, and refuses credentials of
 * another account.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Emulator } from '../emulator';
import { SEED_ACCOUNTS } from '../emulator/seed';
import type { SsoControl } from '../emulator/sso';
import { listCacheFiles } from './fixtures/listCacheFiles';
import { printedCredentials } from './fixtures/printedCredentials';
import { makeSandbox, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';
import { startSsoEmulator } from './fixtures/startSsoEmulator';

const START_URL = 'https://acme.awsapps.com/start';
const PERMISSION_SET = 'AdministratorAccess';
const OTHER_ACCOUNT = '888888888888';
const UNIT = 'dev/app';

const MAPPING = `version: 1
accounts:
  dev: "${SEED_ACCOUNTS.dev}"
defaults:
  region: us-east-1
  auth: sso
sso: {start_url: ${START_URL}, region: us-east-1}
mappings:
  - paths: ["dev/**"]
    account: dev
    role: ${PERMISSION_SET}
`;

describe('dist/rolemap credentials with auth: sso: the account is checked with STS', () => {
  let emulator: Emulator;
  let sso: SsoControl;
  let sandbox: Sandbox;
  let unitDir: string;
  let env: Record<string, string>;

  function rolemap(args: readonly string[]): Promise<RolemapRun> {
    return runRolemap(args, { cwd: unitDir, env });
  }

  beforeAll(async () => {
    ({ emulator, sso } = await startSsoEmulator());
    sso.assign(SEED_ACCOUNTS.dev, PERMISSION_SET);
    sandbox = makeSandbox();
    const root = path.join(sandbox.home, 'live');
    unitDir = path.join(root, UNIT);
    fs.mkdirSync(unitDir, { recursive: true });
    fs.writeFileSync(path.join(root, 'rolemap.yaml'), MAPPING);
    env = { ...sandbox.env, ...emulator.env() };
    const login = await rolemap(['login', '--start-url', START_URL, '--region', 'us-east-1', '--no-browser']);
    expect(login.code).toBe(0);
  });
  afterAll(async () => {
    sandbox.cleanup();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.resetCalls();
    sso.answerForAccount(undefined);
    sso.roleCredentialsTtlSeconds = 3600;
  });

  it('a portal answering with credentials of another account: exit 1, nothing on stdout, nothing cached', async () => {
    sso.answerForAccount(OTHER_ACCOUNT);
    const run = await rolemap([]);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(run.stderr).toContain(`arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/AWSReservedSSO_${PERMISSION_SET}_`);
    expect(run.stderr).toContain(`in account ${OTHER_ACCOUNT}, not in the mapped account ${SEED_ACCOUNTS.dev}`);
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1, GetCallerIdentity: 1 });
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);

    // Remembered like any refusal, so a run --all does not ask the portal once per unit.
    const again = await rolemap([]);
    expect({ code: again.code, stdout: again.stdout }).toStrictEqual({ code: 1, stdout: '' });
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1, GetCallerIdentity: 1 });
    await rolemap(['cache', 'clear']);
  });

  it('a portal answering with credentials that expired a minute ago: exit 1, nothing on stdout, STS is not asked', async () => {
    sso.roleCredentialsTtlSeconds = -60;
    const run = await rolemap([]);

    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 1, stdout: '' });
    // A minute ago when issued; a second or two more by the time rolemap looks.
    expect(run.stderr).toMatch(new RegExp(`Refusing credentials for arn:aws:iam::${SEED_ACCOUNTS.dev}:role/${PERMISSION_SET}: AWS answered with credentials that expired 6\\ds ago`));
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1 });
    expect(listCacheFiles(sandbox.cacheDir).credentials).toStrictEqual([]);
    await rolemap(['cache', 'clear']);
  });

  it('a behaving portal: credentials printed; the principal STS named is cached with them, and a hit asks nothing', async () => {
    const first = await rolemap([]);
    expect({ code: first.code, stderr: first.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1, GetCallerIdentity: 1 });

    const [entryFile, ...more] = listCacheFiles(sandbox.cacheDir).credentials;
    expect(more).toStrictEqual([]);
    const entry = JSON.parse(fs.readFileSync(entryFile ?? '', 'utf8')) as { credentials: { principalArn: string } };
    expect(entry.credentials.principalArn).toMatch(
      new RegExp(`^arn:aws:sts::${SEED_ACCOUNTS.dev}:assumed-role/AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]+/alice$`),
    );

    const second = await rolemap([]);
    expect(second.code).toBe(0);
    expect(printedCredentials(second.stdout)).toStrictEqual(printedCredentials(first.stdout));
    expect(emulator.callCounts()).toStrictEqual({ GetRoleCredentials: 1, GetCallerIdentity: 1 });
  });
});
