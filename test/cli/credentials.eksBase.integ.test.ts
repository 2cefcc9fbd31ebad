/**
 * On EKS, the pod's own identity is a base for `assume` (README, "How credentials are obtained"),
 * through the built binary with `auth: auto` in CI: IRSA (AWS_ROLE_ARN +
 * AWS_WEB_IDENTITY_TOKEN_FILE) and EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI, here a
 * container credentials endpoint on 127.0.0.1). rolemap assumes the pod's role first, then the
 * mapped role from it.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { EKS_ISSUER, startEmulator, type Emulator } from '../emulator';
import { SEED_ACCOUNTS, SEED_DEVELOPER, SEED_MAX_SESSION_DURATION, SEED_REGION, seedRoleArn } from '../emulator/seed';
import { callerArnOf } from './fixtures/callerArnOf';
import { printedCredentials } from './fixtures/printedCredentials';
import { LIVE_TREE_ACCOUNTS, writeLiveTree, type LiveTree } from './fixtures/writeLiveTree';
import { makeSandbox, runRolemap, type Sandbox } from './runRolemap';

const UNIT = 'prod/us-east-1/app';
const MAPPED_ROLE = seedRoleArn(LIVE_TREE_ACCOUNTS['prod'] ?? '', 'terragrunt-plan');
const POD_ROLE = `arn:aws:iam::${SEED_ACCOUNTS.base}:role/atlantis-pod`;
const POD_IDENTITY_ROLE = `arn:aws:iam::${SEED_ACCOUNTS.base}:role/atlantis-pod-identity`;
const SERVICE_ACCOUNT = 'system:serviceaccount:atlantis:atlantis';
const POD_AUTHORIZATION_TOKEN = 'emulated-eks-pod-identity-agent-token';

describe('dist/rolemap credentials on EKS: the pod identity is the base for assume', () => {
  let emulator: Emulator;
  let sandbox: Sandbox;
  let tree: LiveTree;

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.addRole({ arn: POD_ROLE, trust: { oidcSubjects: [SERVICE_ACCOUNT], maxSessionDuration: SEED_MAX_SESSION_DURATION } });
    emulator.addRole({ arn: POD_IDENTITY_ROLE, trust: { principals: [SEED_DEVELOPER.arn], maxSessionDuration: SEED_MAX_SESSION_DURATION } });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    tree = writeLiveTree({ root: path.join(sandbox.home, 'live'), units: [UNIT] });
    // auth: auto, as an Atlantis or runner pod would leave it.
    fs.writeFileSync(tree.mappingFile, fs.readFileSync(tree.mappingFile, 'utf8').replace('auth: assume', 'auth: auto'));
    emulator.resetCalls();
  });
  afterEach(() => sandbox.cleanup());

  function ciEnv(extra: Record<string, string>): Record<string, string> {
    // A pod: STS at the emulator, CI, and no GitHub Actions token request variables.
    return { ...sandbox.env, AWS_ENDPOINT_URL_STS: emulator.url, CI: 'true', AWS_REGION: SEED_REGION, ...extra };
  }

  it('IRSA: AssumeRoleWithWebIdentity for the pod role, then AssumeRole of the mapped role signed by it', async () => {
    const tokenFile = path.join(sandbox.home, 'eks-token');
    fs.writeFileSync(tokenFile, emulator.issueToken({ sub: SERVICE_ACCOUNT, iss: EKS_ISSUER, aud: 'sts.amazonaws.com', expiresIn: 86_400 }));
    const env = ciEnv({ AWS_ROLE_ARN: POD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile });

    const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });

    expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(emulator.callLog().map((call) => ({ action: call.action, roleArn: call.roleArn, callerArn: call.callerArn, result: call.result }))).toStrictEqual([
      { action: 'AssumeRoleWithWebIdentity', roleArn: POD_ROLE, callerArn: undefined, result: 'ok' },
      { action: 'AssumeRole', roleArn: MAPPED_ROLE, callerArn: expect.stringMatching(/^arn:aws:sts::999999999999:assumed-role\/atlantis-pod\//), result: 'ok' },
    ]);
    expect(await callerArnOf(emulator, printedCredentials(run.stdout))).toMatch(/^arn:aws:sts::333333333333:assumed-role\/terragrunt-plan\//);

    const explain = await runRolemap(['explain', '--json'], { cwd: tree.unitDir(UNIT), env });
    const report = JSON.parse(explain.stdout) as { auth: { kind: string }; base: { source: string } };
    expect({ auth: report.auth.kind, source: report.base.source }).toStrictEqual({
      auth: 'assume',
      source: `web identity of ${POD_ROLE} with the token in AWS_WEB_IDENTITY_TOKEN_FILE (EKS IRSA)`,
    });
  });

  describe('EKS Pod Identity', () => {
    let agent: Server;
    let agentUrl: string;

    beforeAll(async () => {
      // The pod identity agent hands out the pod role's session credentials to a caller with the pod's token.
      const sts = new STSClient({ region: SEED_REGION, endpoint: emulator.url, credentials: { accessKeyId: SEED_DEVELOPER.accessKeyId, secretAccessKey: SEED_DEVELOPER.secretAccessKey } });
      const session = await sts.send(new AssumeRoleCommand({ RoleArn: POD_IDENTITY_ROLE, RoleSessionName: 'eks-pod-identity', DurationSeconds: 3600 }));
      sts.destroy();
      const credentials = session.Credentials;
      agent = createServer((req, res) => {
        if (req.headers['authorization'] !== POD_AUTHORIZATION_TOKEN) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            AccessKeyId: credentials?.AccessKeyId,
            SecretAccessKey: credentials?.SecretAccessKey,
            Token: credentials?.SessionToken,
            Expiration: credentials?.Expiration?.toISOString(),
          }),
        );
      });
      await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', () => resolve()));
      agentUrl = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/v1/credentials`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => agent.close(() => resolve()));
    });

    it('AssumeRole of the mapped role is signed by the pod identity role', async () => {
      const env = ciEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: agentUrl, AWS_CONTAINER_AUTHORIZATION_TOKEN: POD_AUTHORIZATION_TOKEN });

      const run = await runRolemap([], { cwd: tree.unitDir(UNIT), env });

      expect({ code: run.code, stderr: run.stderr }).toStrictEqual({ code: 0, stderr: '' });
      expect(emulator.callLog().map((call) => ({ action: call.action, roleArn: call.roleArn, callerArn: call.callerArn }))).toStrictEqual([
        { action: 'AssumeRole', roleArn: MAPPED_ROLE, callerArn: `arn:aws:sts::${SEED_ACCOUNTS.base}:assumed-role/atlantis-pod-identity/eks-pod-identity` },
      ]);
      const explain = await runRolemap(['explain', '--json'], { cwd: tree.unitDir(UNIT), env });
      const report = JSON.parse(explain.stdout) as { base: { source: string; identity: string } };
      expect(report.base.source).toBe(`container credentials from ${agentUrl} (ECS or EKS Pod Identity)`);
      expect(report.base.identity).toMatch(new RegExp(`^container:${agentUrl.replace(/[./]/g, '\\$&')}:[0-9a-f]{32}$`));
      expect(report.base.identity).not.toContain(POD_AUTHORIZATION_TOKEN);
    });
  });
});
