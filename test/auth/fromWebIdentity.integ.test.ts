import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStsClient } from '../../src/auth/createStsClient';
import { fromWebIdentity } from '../../src/auth/fromWebIdentity';
import type { WebIdentityTokenSource } from '../../src/config/types';
import { GITLAB_ISSUER, SEED_GITHUB_SUBJECT, seedRoleArn, startEmulator, type Emulator } from '../emulator';
import { credentialRequest, recordingLogger } from './credentialRequest';
import { isolateAwsEnv, type IsolatedEnv } from './isolatedEnv';
import { credentialsFailure } from './credentialsFailure';

const PLAN = seedRoleArn('222222222222', 'terragrunt-plan');
const SESSION_ARN = 'arn:aws:sts::222222222222:assumed-role/terragrunt-plan/rolemap-alice';

let emulator: Emulator;
let isolated: IsolatedEnv;
let slept: number[];
const fast = { sleep: async (ms: number) => void slept.push(ms), random: () => 0.5 };

function webRequest(token: WebIdentityTokenSource, audience = 'sts.amazonaws.com') {
  return credentialRequest({
    accountId: '222222222222',
    roleName: 'terragrunt-plan',
    auth: 'web-identity',
    webIdentity: { token, audience },
  });
}

function githubEnv(): void {
  const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN } = emulator.env();
  Object.assign(process.env, { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN });
}

beforeEach(async () => {
  slept = [];
  emulator = await startEmulator();
  isolated = isolateAwsEnv({ AWS_ENDPOINT_URL_STS: emulator.env().AWS_ENDPOINT_URL_STS });
});

afterEach(async () => {
  isolated.restore();
  await emulator.close();
});

describe('fromWebIdentity', () => {
  it('assumes the role with a token from GitHub Actions, unsigned and without base credentials', async () => {
    githubEnv();
    const credentials = await fromWebIdentity({ request: webRequest({ kind: 'github' }), logger: recordingLogger() })();
    expect(credentials).toStrictEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(String),
      principalArn: SESSION_ARN,
    });
    const calls = emulator.callLog();
    expect(calls.map((call) => call.action)).toStrictEqual(['GitHubToken', 'AssumeRoleWithWebIdentity']);
    expect(calls[0]).toMatchObject({ audience: 'sts.amazonaws.com', result: 'ok' });
    expect(calls[1]).toMatchObject({ roleArn: PLAN, sessionName: 'rolemap-alice', subject: SEED_GITHUB_SUBJECT, result: 'ok' });
    expect(calls[1]?.callerArn).toBeUndefined();
  });

  it.each<[string, (dir: string, token: string) => WebIdentityTokenSource]>([
    [
      'env:NAME',
      (_, token) => {
        process.env['CI_JOB_JWT_V2'] = token;
        return { kind: 'env', name: 'CI_JOB_JWT_V2' };
      },
    ],
    [
      'file:PATH (trimmed)',
      (dir, token) => {
        writeFileSync(join(dir, 'token'), `${token}\n`);
        return { kind: 'file', path: join(dir, 'token') };
      },
    ],
    [
      'auto with GITLAB_OIDC_TOKEN',
      (_, token) => {
        process.env['GITLAB_OIDC_TOKEN'] = token;
        return { kind: 'auto' };
      },
    ],
    [
      'auto with AWS_WEB_IDENTITY_TOKEN_FILE',
      (dir, token) => {
        writeFileSync(join(dir, 'eks-token'), token);
        process.env['AWS_WEB_IDENTITY_TOKEN_FILE'] = join(dir, 'eks-token');
        return { kind: 'auto' };
      },
    ],
  ])('reads the token from %s', async (_, setUp) => {
    const token = emulator.issueToken({ sub: 'repo:acme/infra:pull_request', iss: GITLAB_ISSUER });
    const source = setUp(isolated.dir, token);
    const credentials = await fromWebIdentity({ request: webRequest(source), logger: recordingLogger() })();
    expect(credentials.principalArn).toBe(SESSION_ARN);
    expect(emulator.callLog()).toMatchObject([{ action: 'AssumeRoleWithWebIdentity', subject: 'repo:acme/infra:pull_request', result: 'ok' }]);
  });

  it('takes its STS client, retry clock and environment from its caller, none from process.env', async () => {
    delete process.env['AWS_ENDPOINT_URL_STS'];
    const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, AWS_ENDPOINT_URL_STS } = emulator.env();
    emulator.faults.throttleNext(1, 'AssumeRoleWithWebIdentity');
    const regions: string[] = [];
    const credentials = await fromWebIdentity({
      request: webRequest({ kind: 'github' }),
      logger: recordingLogger(),
      env: { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN },
      retry: fast,
      stsClient: (init) => {
        regions.push(init.region);
        return createStsClient({ ...init, endpoint: AWS_ENDPOINT_URL_STS });
      },
    })();
    expect(credentials.principalArn).toBe(SESSION_ARN);
    expect(regions).toStrictEqual(['us-east-1']);
    // The throttled attempt and the one after it each asked the token URL of the given environment.
    expect(emulator.callCounts()).toStrictEqual({ GitHubToken: 2, AssumeRoleWithWebIdentity: 2 });
    expect(slept).toStrictEqual([50]);
  });

  it('auto prefers GitHub Actions over other token variables', async () => {
    githubEnv();
    process.env['GITLAB_OIDC_TOKEN'] = emulator.issueToken({ sub: 'repo:acme/other:pull_request' });
    await fromWebIdentity({ request: webRequest({ kind: 'auto' }), logger: recordingLogger() })();
    expect(emulator.callCounts()).toStrictEqual({ GitHubToken: 1, AssumeRoleWithWebIdentity: 1 });
    expect(emulator.callLog()[1]).toMatchObject({ subject: SEED_GITHUB_SUBJECT });
  });

  it('fails with access-denied and an OIDC sub hint when the trust policy does not accept the sub', async () => {
    githubEnv();
    emulator.github.setSubject('repo:evil/fork:pull_request');
    const error = await credentialsFailure(fromWebIdentity({ request: webRequest({ kind: 'github' }), logger: recordingLogger(), retry: fast })());
    expect([error.kind, error.retryable, error.roleArn, error.baseIdentity]).toStrictEqual([
      'access-denied',
      false,
      PLAN,
      'sub repo:evil/fork:pull_request',
    ]);
    expect(error.message.startsWith(`Could not assume ${PLAN} with web identity sub repo:evil/fork:pull_request: AccessDenied`)).toBe(true);
    expect(error.hint).toContain('"sub" conditions must match the token (sub repo:evil/fork:pull_request)');
    expect(emulator.calls('AssumeRoleWithWebIdentity')).toBe(1);
  });

  it('fails with expired-token for an expired token, without retrying', async () => {
    process.env['MY_TOKEN'] = emulator.issueToken({ sub: 'repo:acme/infra:pull_request', expiresIn: -60 });
    const error = await credentialsFailure(
      fromWebIdentity({ request: webRequest({ kind: 'env', name: 'MY_TOKEN' }), logger: recordingLogger(), retry: fast })(),
    );
    expect([error.kind, error.retryable]).toStrictEqual(['expired-token', false]);
    expect(error.message).not.toContain(process.env['MY_TOKEN']);
    expect(emulator.calls('AssumeRoleWithWebIdentity')).toBe(1);
  });

  it('fails with no-web-identity-token naming what auto looked for, calling nothing', async () => {
    const error = await credentialsFailure(fromWebIdentity({ request: webRequest({ kind: 'auto' }), logger: recordingLogger(), retry: fast })());
    expect([error.kind, error.retryable]).toStrictEqual(['no-web-identity-token', false]);
    expect(error.message).toBe(
      'No web identity token found (web_identity.token: auto looked for ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN, AWS_WEB_IDENTITY_TOKEN_FILE, ROLEMAP_WEB_IDENTITY_TOKEN, GITLAB_OIDC_TOKEN)',
    );
    expect(emulator.calls()).toBe(0);
  });

  it('retries a throttled GitHub endpoint and a throttled STS, then succeeds', async () => {
    githubEnv();
    emulator.faults.throttleNext(2, 'GitHubToken');
    emulator.faults.throttleNext(1, 'AssumeRoleWithWebIdentity');
    const credentials = await fromWebIdentity({ request: webRequest({ kind: 'github' }), logger: recordingLogger(), retry: fast })();
    expect(credentials.principalArn).toBe(SESSION_ARN);
    expect(emulator.callLog().map((call) => `${call.action} ${call.result ?? ''}`)).toStrictEqual([
      'GitHubToken Throttling',
      'GitHubToken Throttling',
      'GitHubToken ok',
      'AssumeRoleWithWebIdentity Throttling',
      'GitHubToken ok',
      'AssumeRoleWithWebIdentity ok',
    ]);
    expect(slept).toStrictEqual([50, 100, 200]);
  });

  it('fails without retrying when GitHub refuses the request token', async () => {
    githubEnv();
    process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = 'not-the-token';
    const error = await credentialsFailure(fromWebIdentity({ request: webRequest({ kind: 'github' }), logger: recordingLogger(), retry: fast })());
    expect([error.kind, error.retryable, error.message]).toStrictEqual([
      'access-denied',
      false,
      'Could not get a web identity token from GitHub Actions: HTTP 401',
    ]);
    expect(emulator.calls('GitHubToken')).toBe(1);
  });
});
