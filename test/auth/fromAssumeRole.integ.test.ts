import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStsClient } from '../../src/auth/createStsClient';
import { fromAssumeRole } from '../../src/auth/fromAssumeRole';
import { SEED_DEVELOPER, seedRoleArn, startEmulator, type Emulator } from '../emulator';
import { credentialRequest, recordingLogger } from './credentialRequest';
import { isolateAwsEnv, type IsolatedEnv } from './isolatedEnv';
import { credentialsFailure } from './credentialsFailure';

const APPLY = seedRoleArn('333333333333', 'terragrunt-apply');
const DEVELOPER = SEED_DEVELOPER.arn;
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

let emulator: Emulator;
let isolated: IsolatedEnv;
let slept: number[];
const fast = { sleep: async (ms: number) => void slept.push(ms), random: () => 0.5 };

function developerKeys(): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: SEED_DEVELOPER.accessKeyId, AWS_SECRET_ACCESS_KEY: SEED_DEVELOPER.secretAccessKey };
}

// A fresh emulator per test: tests change trust policies and queue faults.
beforeEach(async () => {
  slept = [];
  emulator = await startEmulator();
  isolated = isolateAwsEnv({ AWS_ENDPOINT_URL_STS: emulator.env().AWS_ENDPOINT_URL_STS });
});

afterEach(async () => {
  isolated.restore();
  await emulator.close();
});

describe('fromAssumeRole', () => {
  it('assumes the role with base credentials from the environment', async () => {
    Object.assign(process.env, developerKeys());
    const credentials = await fromAssumeRole({ request: credentialRequest(), logger: recordingLogger() })();
    expect(credentials).toStrictEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.stringMatching(ISO_INSTANT),
      principalArn: 'arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice',
    });
    const [call] = emulator.callLog();
    expect(call).toMatchObject({ action: 'AssumeRole', roleArn: APPLY, sessionName: 'rolemap-alice', durationSeconds: 3600, callerArn: DEVELOPER, result: 'ok' });
  });

  it('calls STS through the client it is given', async () => {
    Object.assign(process.env, developerKeys());
    const endpoint = emulator.env().AWS_ENDPOINT_URL_STS;
    delete process.env['AWS_ENDPOINT_URL_STS'];
    const regions: string[] = [];
    const credentials = await fromAssumeRole({
      request: credentialRequest(),
      logger: recordingLogger(),
      stsClient: (init) => {
        regions.push(init.region);
        return createStsClient({ ...init, endpoint });
      },
    })();
    expect(credentials.principalArn).toBe('arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice');
    expect(regions).toStrictEqual(['us-east-1']);
    expect(emulator.callLog()).toMatchObject([{ action: 'AssumeRole', roleArn: APPLY, callerArn: DEVELOPER, result: 'ok' }]);
  });

  it('takes base credentials from source_profile in the shared credentials file, over environment keys', async () => {
    writeFileSync(
      join(isolated.dir, 'aws-credentials'),
      `[dev]\naws_access_key_id = ${SEED_DEVELOPER.accessKeyId}\naws_secret_access_key = ${SEED_DEVELOPER.secretAccessKey}\n`,
    );
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIANOTTHEONE', AWS_SECRET_ACCESS_KEY: 'wrong' });
    const logger = recordingLogger();
    const credentials = await fromAssumeRole({ request: credentialRequest({ sourceProfile: 'dev' }), logger })();
    expect(credentials.principalArn).toBe('arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice');
    expect(emulator.callLog()).toMatchObject([{ action: 'AssumeRole', callerArn: DEVELOPER, result: 'ok' }]);
  });

  it('sends ExternalId, SourceIdentity and Tags as configured', async () => {
    Object.assign(process.env, developerKeys());
    emulator.updateRole(APPLY, { externalId: 'acme-ext-42' });
    const request = credentialRequest({
      externalId: 'acme-ext-42',
      sourceIdentity: 'alice',
      tags: [
        { Key: 'team', Value: 'infra' },
        { Key: 'unit', Value: 'prod/vpc' },
      ],
      durationSeconds: 7200,
    });
    await fromAssumeRole({ request, logger: recordingLogger() })();
    expect(emulator.callLog()).toMatchObject([
      {
        action: 'AssumeRole',
        externalId: 'acme-ext-42',
        sourceIdentity: 'alice',
        tags: { team: 'infra', unit: 'prod/vpc' },
        durationSeconds: 7200,
        result: 'ok',
      },
    ]);
  });

  it('fails with access-denied naming the role and the caller ARN, without retrying', async () => {
    Object.assign(process.env, developerKeys());
    emulator.updateRole(APPLY, { principals: [] });
    const error = await credentialsFailure(fromAssumeRole({ request: credentialRequest(), logger: recordingLogger(), retry: fast })());
    expect([error.kind, error.retryable, error.roleArn, error.baseIdentity]).toStrictEqual(['access-denied', false, APPLY, DEVELOPER]);
    expect(error.message.startsWith(`Could not assume ${APPLY} as ${DEVELOPER}: AccessDenied`)).toBe(true);
    expect(error.hint).toContain(`trust policy of ${APPLY} allows ${DEVELOPER} sts:AssumeRole`);
    expect(error.message).not.toContain(SEED_DEVELOPER.secretAccessKey);
    expect(emulator.callCounts()).toStrictEqual({ AssumeRole: 1, GetCallerIdentity: 1 });
    expect(slept).toStrictEqual([]);
  });

  it('names sts:TagSession and sts:SetSourceIdentity when the trust policy refuses them', async () => {
    Object.assign(process.env, developerKeys());
    emulator.updateRole(APPLY, { allowTagSession: false });
    const request = credentialRequest({ sourceIdentity: 'alice', tags: [{ Key: 'team', Value: 'infra' }] });
    const error = await credentialsFailure(fromAssumeRole({ request, logger: recordingLogger(), retry: fast })());
    expect(error.kind).toBe('access-denied');
    expect(error.hint).toContain('sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession');
  });

  it('retries three throttles with backoff, then succeeds', async () => {
    Object.assign(process.env, developerKeys());
    emulator.faults.throttleNext(3, 'AssumeRole');
    const logger = recordingLogger();
    const credentials = await fromAssumeRole({ request: credentialRequest(), logger, retry: fast })();
    expect(credentials.principalArn).toBe('arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice');
    expect(emulator.callLog().map((call) => call.result)).toStrictEqual(['Throttling', 'Throttling', 'Throttling', 'ok']);
    expect(slept).toStrictEqual([50, 100, 200]);
  });

  it('retries server errors and gives up after maxAttempts, saying so', async () => {
    Object.assign(process.env, developerKeys());
    emulator.faults.failNext(5, 503, 'AssumeRole');
    const error = await credentialsFailure(
      fromAssumeRole({ request: credentialRequest(), logger: recordingLogger(), retry: { ...fast, maxAttempts: 3 } })(),
    );
    expect([error.kind, error.retryable]).toStrictEqual(['server', true]);
    expect(error.message).toMatch(/^Could not assume arn:aws:iam::333333333333:role\/terragrunt-apply as env:AKIAEMULATORDEVELOPER: ServiceUnavailable .*\(gave up after 3 attempts\)$/);
    expect(emulator.calls('AssumeRole')).toBe(3);
  });

  it('turns a hung STS into retried timeouts and fails within the deadline', async () => {
    Object.assign(process.env, developerKeys());
    emulator.faults.hangNext(50, 'AssumeRole');
    const error = await credentialsFailure(
      fromAssumeRole({ request: credentialRequest(), logger: recordingLogger(), requestTimeoutMs: 200, retry: { ...fast, deadlineMs: 1500 } })(),
    );
    expect([error.kind, error.retryable]).toStrictEqual(['timeout', true]);
    expect(error.message).toMatch(/\(gave up after \d+ attempts\)$/);
    expect(emulator.calls('AssumeRole')).toBeGreaterThanOrEqual(2);
  });

  it('times out an answer that stops halfway, as one that never starts, and retries it', async () => {
    Object.assign(process.env, developerKeys());
    emulator.faults.stallNext(1, 'AssumeRole');
    const credentials = await fromAssumeRole({ request: credentialRequest(), logger: recordingLogger(), requestTimeoutMs: 300, retry: fast })();
    expect(credentials.principalArn).toBe('arn:aws:sts::333333333333:assumed-role/terragrunt-apply/rolemap-alice');
    expect(emulator.callLog().map((call) => call.result)).toStrictEqual(['stall', 'ok']);
  });

  it('explains the one-hour cap when an assumed role asks for more', async () => {
    Object.assign(process.env, developerKeys());
    emulator.updateRole(APPLY, { principals: [DEVELOPER, seedRoleArn('111111111111', 'terragrunt')] });
    const first = await fromAssumeRole({ request: credentialRequest({ accountId: '111111111111', roleName: 'terragrunt' }), logger: recordingLogger() })();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: first.accessKeyId,
      AWS_SECRET_ACCESS_KEY: first.secretAccessKey,
      AWS_SESSION_TOKEN: first.sessionToken,
    });
    const error = await credentialsFailure(
      fromAssumeRole({ request: credentialRequest({ durationSeconds: 7200 }), logger: recordingLogger(), retry: fast })(),
    );
    const chainedBase = 'arn:aws:sts::111111111111:assumed-role/terragrunt/rolemap-alice';
    expect([error.kind, error.retryable, error.baseIdentity]).toStrictEqual(['validation', false, chainedBase]);
    expect(error.message.startsWith(`Could not assume ${APPLY} as ${chainedBase}: ValidationError`)).toBe(true);
    expect(error.hint).toBe(
      `${chainedBase} is itself an assumed role, and AWS caps chained role sessions at one hour: set duration: 3600 for this mapping.`,
    );
    expect(error.message).not.toContain(first.secretAccessKey);
    expect(error.message).not.toContain(first.sessionToken);
  });

  it('fails with no-base-credentials and a hint when there are none', async () => {
    const error = await credentialsFailure(fromAssumeRole({ request: credentialRequest(), logger: recordingLogger(), retry: fast })());
    expect([error.kind, error.retryable, error.roleArn, error.baseIdentity]).toStrictEqual([
      'no-base-credentials',
      false,
      APPLY,
      'profile:default',
    ]);
    expect(error.hint).toContain('aws configure');
    expect(error.hint).toContain('rolemap login');
    expect(emulator.calls()).toBe(0);
  });
});
