import { request } from 'node:http';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type AssumeRoleCommandInput,
  type Credentials,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  SEED_ACCOUNTS,
  SEED_DEVELOPER,
  SEED_GITHUB_SUBJECT,
  SEED_MFA_DEVICE,
  SEED_REGION,
  seedRoleArn,
  startEmulator,
  type Emulator,
  type StartEmulatorOptions,
} from './index';

const DEV_ROLE = seedRoleArn(SEED_ACCOUNTS.dev, 'terragrunt');
const STAGE_PLAN_ROLE = seedRoleArn(SEED_ACCOUNTS.stage, 'terragrunt-plan');
/** A role the dev account's terragrunt role may chain into. */
const CHAIN_ROLE = 'arn:aws:iam::222222222222:role/chained';
const DEVELOPER = { accessKeyId: SEED_DEVELOPER.accessKeyId, secretAccessKey: SEED_DEVELOPER.secretAccessKey };

interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.addRole({ arn: CHAIN_ROLE, trust: { principals: [DEV_ROLE], allowSourceIdentity: true, allowTagSession: true, maxSessionDuration: 43200 } });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.resetCalls();
  emulator.faults.clear();
});

function stsClient(credentials: KeyPair = DEVELOPER, config: Partial<STSClientConfig> = {}, on: Emulator = emulator): STSClient {
  return new STSClient({ region: SEED_REGION, endpoint: on.url, maxAttempts: 1, credentials, ...config });
}

/**
 * Sends a GetCallerIdentity over plain HTTP and reads what comes back: the status, the length the
 * headers promise, the bytes received, and whether the connection was closed or fell silent for
 * `silentMs`.
 */
function partialAnswer(url: string, silentMs = 5_000): Promise<{ status: number; promised: number; received: number; ended: 'closed' | 'silent' | 'whole' }> {
  return new Promise((resolve, reject) => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let received = 0;
      const done = (ended: 'closed' | 'silent' | 'whole'): void => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, promised: Number(res.headers['content-length']), received, ended });
        req.destroy();
      };
      const timer = setTimeout(() => done('silent'), silentMs);
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => done('whole'));
      res.on('error', () => done('closed'));
      res.on('close', () => done('closed'));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function keysOf(credentials: Credentials | undefined): KeyPair {
  const { AccessKeyId, SecretAccessKey, SessionToken } = credentials ?? {};
  if (AccessKeyId === undefined || SecretAccessKey === undefined || SessionToken === undefined) {
    throw new Error('response has no credentials');
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
}

async function assume(input: Partial<AssumeRoleCommandInput> = {}, credentials: KeyPair = DEVELOPER, on: Emulator = emulator) {
  return stsClient(credentials, {}, on).send(new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'alice', ...input }));
}

/** What a caller sees of an SDK error: code, HTTP status and message. */
async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

async function withEmulator<T>(options: StartEmulatorOptions, body: (e: Emulator) => Promise<T>): Promise<T> {
  const own = await startEmulator(options);
  try {
    return await body(own);
  } finally {
    await own.close();
  }
}

function denied(callerArn: string, action: string, roleArn: string) {
  return {
    name: 'AccessDenied',
    status: 403,
    message: `User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`,
  };
}

function validation(message: string) {
  return { name: 'ValidationError', status: 400, message };
}

describe('startEmulator STS AssumeRole', () => {
  it('issues session credentials in the role account, shaped as AWS answers', async () => {
    const before = emulator.now();
    const out = await assume({ DurationSeconds: 7200, SourceIdentity: 'alice', Tags: [{ Key: 'team', Value: 'infra' }] });
    const after = emulator.now();

    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toMatch(/^\S{40}$/);
    expect(out.Credentials?.SessionToken).toMatch(/^\S{100,}$/);
    const expiration = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7200_000);
    expect(expiration).toBeLessThanOrEqual(after + 7200_000);
    expect(out.AssumedRoleUser).toEqual({
      Arn: 'arn:aws:sts::111111111111:assumed-role/terragrunt/alice',
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:alice$/),
    });
    expect(out.SourceIdentity).toBe('alice');
    expect(out.PackedPolicySize).toEqual(expect.any(Number));
  });

  it('leaves the role path out of the assumed-role ARN', async () => {
    const pathRole = 'arn:aws:iam::111111111111:role/teams/infra/deployer';
    emulator.addRole({ arn: pathRole, trust: { principals: [SEED_DEVELOPER.arn] } });
    const out = await assume({ RoleArn: pathRole });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/deployer/alice');
  });

  it('answers GetCallerIdentity for the user and for the issued session', async () => {
    const user = await stsClient().send(new GetCallerIdentityCommand({}));
    expect({ Account: user.Account, Arn: user.Arn, UserId: user.UserId }).toEqual({
      Account: '999999999999',
      Arn: 'arn:aws:iam::999999999999:user/developer',
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
    });
    const session = keysOf((await assume()).Credentials);
    const role = await stsClient(session).send(new GetCallerIdentityCommand({}));
    expect({ Account: role.Account, Arn: role.Arn, UserId: role.UserId }).toEqual({
      Account: '111111111111',
      Arn: 'arn:aws:sts::111111111111:assumed-role/terragrunt/alice',
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:alice$/),
    });
  });

  it('is reached through AWS_ENDPOINT_URL_STS without an explicit endpoint', async () => {
    const saved = process.env['AWS_ENDPOINT_URL_STS'];
    process.env['AWS_ENDPOINT_URL_STS'] = emulator.env().AWS_ENDPOINT_URL_STS;
    try {
      const client = new STSClient({ region: SEED_REGION, maxAttempts: 1, credentials: DEVELOPER });
      const out = await client.send(new GetCallerIdentityCommand({}));
      expect(out.Arn).toBe(SEED_DEVELOPER.arn);
      expect(emulator.calls('GetCallerIdentity')).toBe(1);
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_STS'];
      else process.env['AWS_ENDPOINT_URL_STS'] = saved;
    }
  });

  it('accepts a signature made for any region', async () => {
    const out = await stsClient(DEVELOPER, { region: 'eu-west-1' }).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(SEED_DEVELOPER.arn);
  });
});

describe('startEmulator STS authentication', () => {
  it.each<[string, KeyPair, { name: string; status: number; message: string }]>([
    [
      'a wrong secret',
      { accessKeyId: SEED_DEVELOPER.accessKeyId, secretAccessKey: 'not-the-secret' },
      {
        name: 'SignatureDoesNotMatch',
        status: 403,
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      },
    ],
    [
      'an unknown access key',
      { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'whatever' },
      { name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' },
    ],
    [
      'a long-term key sent with a session token',
      { ...DEVELOPER, sessionToken: 'bogus' },
      { name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' },
    ],
  ])('refuses %s', async (_, credentials, expected) => {
    expect(await failureOf(assume({}, credentials))).toEqual(expected);
    expect(emulator.callLog()).toEqual([expect.objectContaining({ action: 'AssumeRole', result: expected.name })]);
  });

  it('refuses issued credentials without their session token, or with another one', async () => {
    const session = keysOf((await assume()).Credentials);
    const invalid = { name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' };
    const { sessionToken, ...withoutToken } = session;
    expect(sessionToken).toBeDefined();
    expect(await failureOf(stsClient(withoutToken).send(new GetCallerIdentityCommand({})))).toEqual(invalid);
    expect(await failureOf(stsClient({ ...session, sessionToken: 'IQoJother' }).send(new GetCallerIdentityCommand({})))).toEqual(invalid);
  });

  it('refuses issued credentials once the emulated clock passes their expiry', async () => {
    await withEmulator({}, async (own) => {
      const session = keysOf((await assume({ DurationSeconds: 900 }, DEVELOPER, own)).Credentials);
      own.advanceClock(901);
      expect(await failureOf(stsClient(session, {}, own).send(new GetCallerIdentityCommand({})))).toEqual({
        name: 'ExpiredToken',
        status: 403,
        message: 'The security token included in the request is expired',
      });
    });
  });
});

describe('startEmulator STS trust', () => {
  const mallory = { arn: 'arn:aws:iam::444444444444:user/mallory', accessKeyId: 'AKIAMALLORY000000000', secretAccessKey: 'mallory-secret' };

  it('refuses a caller the trust policy does not name, and an unknown role alike', async () => {
    emulator.addUser(mallory);
    expect(await failureOf(assume({}, mallory))).toEqual(denied(mallory.arn, 'sts:AssumeRole', DEV_ROLE));
    const missing = seedRoleArn(SEED_ACCOUNTS.dev, 'no-such-role');
    expect(await failureOf(assume({ RoleArn: missing }))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', missing));
  });

  it('lets any principal of an account named by its root ARN in', async () => {
    const colleague = { arn: 'arn:aws:iam::999999999999:user/colleague', accessKeyId: 'AKIACOLLEAGUE0000000', secretAccessKey: 'colleague-secret' };
    emulator.addUser(colleague);
    const out = await assume({ RoleSessionName: 'colleague' }, colleague);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/terragrunt/colleague');
  });

  it('matches a role chain caller by its role ARN', async () => {
    const target = 'arn:aws:iam::222222222222:role/only-from-dev-terragrunt';
    emulator.addRole({ arn: target, trust: { principals: [DEV_ROLE] } });
    const session = keysOf((await assume()).Credentials);
    expect((await assume({ RoleArn: target }, session)).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/only-from-dev-terragrunt/alice',
    );
    expect(await failureOf(assume({ RoleArn: target }))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', target));
  });

  it('stops trusting a caller when the trust policy is changed', async () => {
    const role = 'arn:aws:iam::111111111111:role/revocable';
    emulator.addRole({ arn: role, trust: { principals: [SEED_DEVELOPER.arn] } });
    await assume({ RoleArn: role });
    emulator.updateRole(role, { principals: [] });
    expect(await failureOf(assume({ RoleArn: role }))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', role));
  });

  it.each<[string, string | undefined, boolean]>([
    ['missing', undefined, false],
    ['wrong', 'other-id', false],
    ['right', 'ext-123', true],
  ])('requires the external id (%s)', async (_, externalId, succeeds) => {
    const role = 'arn:aws:iam::111111111111:role/third-party';
    emulator.addRole({ arn: role, trust: { principals: [SEED_DEVELOPER.arn], externalId: 'ext-123' } });
    const call = assume({ RoleArn: role, ...(externalId === undefined ? {} : { ExternalId: externalId }) });
    if (succeeds) expect((await call).AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/third-party/alice');
    else expect(await failureOf(call)).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', role));
  });

  it('refuses SourceIdentity and session tags unless the role allows sts:SetSourceIdentity / sts:TagSession', async () => {
    const strict = 'arn:aws:iam::111111111111:role/strict';
    emulator.addRole({ arn: strict, trust: { principals: [SEED_DEVELOPER.arn] } });
    expect(await failureOf(assume({ RoleArn: strict, SourceIdentity: 'alice' }))).toEqual(
      denied(SEED_DEVELOPER.arn, 'sts:SetSourceIdentity', strict),
    );
    expect(await failureOf(assume({ RoleArn: strict, Tags: [{ Key: 'team', Value: 'infra' }] }))).toEqual(
      denied(SEED_DEVELOPER.arn, 'sts:TagSession', strict),
    );
    expect((await assume({ RoleArn: strict })).SourceIdentity).toBeUndefined();
  });

  it('carries the source identity along a role chain, which then needs sts:SetSourceIdentity', async () => {
    const strict = 'arn:aws:iam::222222222222:role/strict-chain';
    emulator.addRole({ arn: strict, trust: { principals: [DEV_ROLE] } });
    const session = keysOf((await assume({ SourceIdentity: 'alice' })).Credentials);
    expect((await assume({ RoleArn: CHAIN_ROLE }, session)).SourceIdentity).toBe('alice');
    const callerArn = 'arn:aws:sts::111111111111:assumed-role/terragrunt/alice';
    expect(await failureOf(assume({ RoleArn: strict }, session))).toEqual(denied(callerArn, 'sts:SetSourceIdentity', strict));
    expect(await failureOf(assume({ RoleArn: CHAIN_ROLE, SourceIdentity: 'mallory' }, session))).toEqual(
      denied(callerArn, 'sts:SetSourceIdentity', CHAIN_ROLE),
    );
  });

  it('answers with another account when told to misbehave', async () => {
    emulator.misbehave.wrongAccountFor(STAGE_PLAN_ROLE);
    try {
      const out = await assume({ RoleArn: STAGE_PLAN_ROLE });
      expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/terragrunt-plan/alice');
    } finally {
      emulator.misbehave.clear();
    }
    expect((await assume({ RoleArn: STAGE_PLAN_ROLE })).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/terragrunt-plan/alice',
    );
  });
});

describe('startEmulator STS GetSessionToken and MFA', () => {
  const MFA_ROLE = 'arn:aws:iam::111111111111:role/needs-mfa';
  const MFA = { SerialNumber: SEED_MFA_DEVICE.serial, TokenCode: SEED_MFA_DEVICE.code };
  const invalidCode = { name: 'AccessDenied', status: 403, message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' };

  beforeAll(() => {
    emulator.addRole({ arn: MFA_ROLE, trust: { principals: [SEED_DEVELOPER.arn], requireMfa: true, maxSessionDuration: 43200 } });
  });

  async function sessionToken(input: { SerialNumber?: string; TokenCode?: string; DurationSeconds?: number } = MFA, credentials: KeyPair = DEVELOPER) {
    return stsClient(credentials).send(new GetSessionTokenCommand(input));
  }

  it('issues a session that acts as the user, for 12 hours by default, and logs the device but not the code', async () => {
    const before = emulator.now();
    const out = await sessionToken();
    const after = emulator.now();
    const session = keysOf(out.Credentials);
    expect(session.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    // Issued at a whole second between the two readings (a loaded machine can cross a second).
    const expiration = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 43200_000);
    expect(expiration).toBeLessThanOrEqual(after + 43200_000);
    const who = await stsClient(session).send(new GetCallerIdentityCommand({}));
    expect({ Account: who.Account, Arn: who.Arn }).toEqual({ Account: SEED_ACCOUNTS.base, Arn: SEED_DEVELOPER.arn });
    const [entry] = emulator.callLog();
    expect(entry).toStrictEqual({
      action: 'GetSessionToken',
      at: expect.any(Number),
      callerArn: SEED_DEVELOPER.arn,
      serialNumber: SEED_MFA_DEVICE.serial,
      result: 'ok',
    });
  });

  it('refuses a wrong code and a device that is not the caller\'s, as AWS does', async () => {
    expect(await failureOf(sessionToken({ ...MFA, TokenCode: '654321' }))).toEqual(invalidCode);
    expect(await failureOf(sessionToken({ ...MFA, SerialNumber: 'arn:aws:iam::999999999999:mfa/someone-else' }))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'MultiFactorAuthentication failed, unable to validate MFA code.',
    });
    expect(await failureOf(sessionToken({ ...MFA, TokenCode: '12a456' }))).toEqual(
      validation("1 validation error detected: Value '***' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*"),
    );
  });

  it('refuses GetSessionToken signed with session credentials', async () => {
    const session = keysOf((await sessionToken()).Credentials);
    expect(await failureOf(sessionToken(MFA, session))).toEqual({ name: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' });
  });

  it('lets only MFA-authenticated callers assume a role whose trust requires MFA', async () => {
    expect(await failureOf(assume({ RoleArn: MFA_ROLE }))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', MFA_ROLE));
    const withoutCode = keysOf((await sessionToken({})).Credentials);
    expect(await failureOf(assume({ RoleArn: MFA_ROLE }, withoutCode))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', MFA_ROLE));

    const mfaSession = keysOf((await sessionToken()).Credentials);
    const assumed = await assume({ RoleArn: MFA_ROLE }, mfaSession);
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/needs-mfa/alice');
    // The MFA context travels with the role session into the next role.
    const next = 'arn:aws:iam::222222222222:role/needs-mfa-from-role';
    emulator.addRole({ arn: next, trust: { principals: [MFA_ROLE], requireMfa: true } });
    expect((await assume({ RoleArn: next }, keysOf(assumed.Credentials))).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/needs-mfa-from-role/alice',
    );
    // AssumeRole with the code itself, as the AWS CLI does for a profile with mfa_serial.
    expect((await assume({ RoleArn: MFA_ROLE, ...MFA })).AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/needs-mfa/alice');
    expect(await failureOf(assume({ RoleArn: MFA_ROLE, ...MFA, TokenCode: '000000' }))).toEqual(invalidCode);
  });

  it('caps a role assumed from a session token at one hour, like a role chain', async () => {
    const mfaSession = keysOf((await sessionToken()).Credentials);
    expect(await failureOf(assume({ RoleArn: MFA_ROLE, DurationSeconds: 7200 }, mfaSession))).toEqual(
      validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
    );
  });

  it('expires the session with the emulated clock', async () => {
    const mfaSession = keysOf((await sessionToken({ ...MFA, DurationSeconds: 900 })).Credentials);
    emulator.advanceClock(901);
    expect(await failureOf(assume({ RoleArn: MFA_ROLE }, mfaSession))).toEqual({
      name: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
  });
});

describe('startEmulator STS validation', () => {
  it.each<[string, Partial<AssumeRoleCommandInput>, { name: string; status: number; message: string } | undefined]>([
    ['the shortest duration', { DurationSeconds: 900 }, undefined],
    ['the role maximum', { DurationSeconds: 43200 }, undefined],
    [
      'too short a duration',
      { DurationSeconds: 899 },
      validation("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"),
    ],
    [
      'more than 12 hours',
      { DurationSeconds: 43201 },
      validation("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"),
    ],
    ['a valid session name', { RoleSessionName: 'a@b.c=d,e-f_g+h' }, undefined],
    [
      'a one-character session name',
      { RoleSessionName: 'a' },
      validation("1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"),
    ],
    [
      'a 65-character session name',
      { RoleSessionName: 'x'.repeat(65) },
      validation(`1 validation error detected: Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`),
    ],
    [
      'a session name with forbidden characters',
      { RoleSessionName: 'dependabot[bot]' },
      validation("1 validation error detected: Value 'dependabot[bot]' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
    ],
    [
      'a source identity with a colon',
      { SourceIdentity: 'aws:alice' },
      validation("1 validation error detected: Value 'aws:alice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
    ],
    [
      'two violations at once',
      { RoleSessionName: 'a b', DurationSeconds: 100 },
      validation(
        "2 validation errors detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
          "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ),
    ],
    [
      '51 session tags',
      { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
      validation(expect.stringMatching(/^1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/) as unknown as string),
    ],
    ['50 session tags', { Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, undefined],
    ['a policy that is not JSON', { Policy: '{not json' }, { name: 'MalformedPolicyDocumentException', status: 400, message: 'The policy is not in the valid JSON format.' }],
  ])('handles %s', async (_, input, expected) => {
    if (expected === undefined) expect((await assume(input)).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    else expect(await failureOf(assume(input))).toEqual(expected);
  });

  it('enforces the role MaxSessionDuration', async () => {
    const short = 'arn:aws:iam::111111111111:role/one-hour';
    emulator.addRole({ arn: short, trust: { principals: [SEED_DEVELOPER.arn] } });
    expect(await failureOf(assume({ RoleArn: short, DurationSeconds: 3601 }))).toEqual(
      validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    );
    expect((await assume({ RoleArn: short, DurationSeconds: 3600 })).Credentials).toBeDefined();
  });

  it('caps role chaining at one hour', async () => {
    const session = keysOf((await assume()).Credentials);
    expect(await failureOf(assume({ RoleArn: CHAIN_ROLE, DurationSeconds: 3601 }, session))).toEqual(
      validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
    );
    expect((await assume({ RoleArn: CHAIN_ROLE, DurationSeconds: 3600 }, session)).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/chained/alice',
    );
    expect((await assume({ RoleArn: CHAIN_ROLE }, session)).Credentials).toBeDefined();
    expect(await failureOf(assume({ RoleArn: STAGE_PLAN_ROLE }, session))).toEqual(
      denied('arn:aws:sts::111111111111:assumed-role/terragrunt/alice', 'sts:AssumeRole', STAGE_PLAN_ROLE),
    );
  });
});

describe('startEmulator STS AssumeRoleWithWebIdentity', () => {
  function withWebIdentity(token: string, input: { RoleArn?: string; DurationSeconds?: number } = {}) {
    // The call is unsigned: the client is given no credentials at all.
    const client = new STSClient({
      region: SEED_REGION,
      endpoint: emulator.url,
      maxAttempts: 1,
      credentials: () => Promise.reject(new Error('AssumeRoleWithWebIdentity must not need credentials')),
    });
    return client.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'ci', WebIdentityToken: token, ...input }),
    );
  }

  it('exchanges a trusted token for credentials, shaped as AWS answers', async () => {
    const out = await withWebIdentity(emulator.issueToken({ sub: 'repo:acme/infra:ref:refs/heads/main' }), { DurationSeconds: 7200 });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect({
      SubjectFromWebIdentityToken: out.SubjectFromWebIdentityToken,
      Audience: out.Audience,
      Provider: out.Provider,
      AssumedRoleUser: out.AssumedRoleUser,
    }).toEqual({
      SubjectFromWebIdentityToken: 'repo:acme/infra:ref:refs/heads/main',
      Audience: 'sts.amazonaws.com',
      Provider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::111111111111:assumed-role/terragrunt/ci',
        AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:ci$/),
      },
    });
    expect(emulator.callLog()).toEqual([
      {
        action: 'AssumeRoleWithWebIdentity',
        at: expect.any(Number),
        roleArn: DEV_ROLE,
        sessionName: 'ci',
        durationSeconds: 7200,
        subject: 'repo:acme/infra:ref:refs/heads/main',
        audience: 'sts.amazonaws.com',
        result: 'ok',
      },
    ]);
  });

  it.each<[string, () => string, { name: string; status: number; message: string }]>([
    [
      'a subject the role does not trust',
      () => emulator.issueToken({ sub: 'repo:evil/infra:ref:refs/heads/main' }),
      { name: 'AccessDenied', status: 403, message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' },
    ],
    [
      'another audience',
      () => emulator.issueToken({ sub: SEED_GITHUB_SUBJECT, aud: 'https://github.com/acme' }),
      { name: 'InvalidIdentityTokenException', status: 400, message: 'Incorrect token audience' },
    ],
    [
      'an expired token',
      () => emulator.issueToken({ sub: SEED_GITHUB_SUBJECT, expiresIn: -10 }),
      { name: 'ExpiredTokenException', status: 400, message: expect.stringMatching(/^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/) as unknown as string },
    ],
    [
      'a token from an issuer without an OIDC provider',
      () => emulator.issueToken({ sub: SEED_GITHUB_SUBJECT, iss: 'https://issuer.example.com' }),
      { name: 'InvalidIdentityTokenException', status: 400, message: 'No OpenIDConnect provider found in your account for https://issuer.example.com' },
    ],
    [
      'a token whose claims were edited',
      () => {
        const [header, , signature] = emulator.issueToken({ sub: 'repo:evil/infra:ref:refs/heads/main' }).split('.');
        const forged = Buffer.from(JSON.stringify({ iss: 'https://token.actions.githubusercontent.com', sub: SEED_GITHUB_SUBJECT, aud: 'sts.amazonaws.com', iat: 1, exp: 4102444800 })).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      { name: 'InvalidIdentityTokenException', status: 400, message: expect.stringContaining('signature') as unknown as string },
    ],
    [
      'something that is not a JWT',
      () => 'not-a-jwt',
      { name: 'InvalidIdentityTokenException', status: 400, message: expect.stringContaining('not a valid JWT') as unknown as string },
    ],
  ])('refuses %s', async (_, token, expected) => {
    expect(await failureOf(withWebIdentity(token()))).toEqual(expected);
  });

  it('refuses a token that expired on the emulated clock', async () => {
    await withEmulator({}, async (own) => {
      const token = own.issueToken({ sub: SEED_GITHUB_SUBJECT, expiresIn: 60 });
      own.advanceClock(61);
      const client = stsClient(DEVELOPER, {}, own);
      const call = client.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'ci', WebIdentityToken: token }));
      expect((await failureOf(call)).name).toBe('ExpiredTokenException');
    });
  });

  it('honours a role audience other than sts.amazonaws.com', async () => {
    const role = 'arn:aws:iam::111111111111:role/gitlab';
    emulator.addRole({ arn: role, trust: { oidcSubjects: ['project_path:acme/infra:*'], oidcAudience: 'https://gitlab.com' } });
    const token = emulator.issueToken({ sub: 'project_path:acme/infra:ref_type:branch:ref:main', aud: 'https://gitlab.com', iss: 'https://gitlab.com' });
    const out = await withWebIdentity(token, { RoleArn: role });
    expect([out.Audience, out.Provider]).toEqual(['https://gitlab.com', 'arn:aws:iam::111111111111:oidc-provider/gitlab.com']);
  });
});

describe('startEmulator GitHub OIDC endpoint', () => {
  function claimsOf(jwt: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  }

  function requestToken(audience: string | undefined, authorization: string | undefined): Promise<Response> {
    const env = emulator.env();
    const url = audience === undefined ? env.ACTIONS_ID_TOKEN_REQUEST_URL : `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`;
    return fetch(url, { headers: authorization === undefined ? {} : { authorization } });
  }

  it('issues a token for the requested audience that STS accepts', async () => {
    const response = await requestToken('sts.amazonaws.com', `bearer ${emulator.env().ACTIONS_ID_TOKEN_REQUEST_TOKEN}`);
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: string };
    expect(claimsOf(value)).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      sub: SEED_GITHUB_SUBJECT,
      aud: 'sts.amazonaws.com',
      repository: 'acme/infra',
      ref: 'refs/heads/main',
    });
    const out = await stsClient().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'gh', WebIdentityToken: value }));
    expect(out.SubjectFromWebIdentityToken).toBe(SEED_GITHUB_SUBJECT);
    expect(emulator.callCounts()).toEqual({ GitHubToken: 1, AssumeRoleWithWebIdentity: 1 });
  });

  it('uses the owner URL as audience when none is requested, as GitHub does', async () => {
    const response = await requestToken(undefined, `Bearer ${emulator.env().ACTIONS_ID_TOKEN_REQUEST_TOKEN}`);
    const { value } = (await response.json()) as { value: string };
    expect(claimsOf(value)['aud']).toBe('https://github.com/acme');
  });

  it.each<[string, string | undefined]>([
    ['no bearer token', undefined],
    ['a wrong bearer token', 'bearer wrong'],
  ])('answers 401 to %s', async (_, authorization) => {
    const response = await requestToken('sts.amazonaws.com', authorization);
    expect(response.status).toBe(401);
    expect(emulator.callLog()).toEqual([expect.objectContaining({ action: 'GitHubToken', result: 'Unauthorized' })]);
  });

  it('issues tokens for the subject set by the test', async () => {
    emulator.github.setSubject('repo:acme/infra:pull_request');
    try {
      const response = await requestToken('sts.amazonaws.com', `bearer ${emulator.env().ACTIONS_ID_TOKEN_REQUEST_TOKEN}`);
      const { value } = (await response.json()) as { value: string };
      expect(claimsOf(value)).toMatchObject({ sub: 'repo:acme/infra:pull_request', event_name: 'pull_request' });
    } finally {
      emulator.github.setSubject(SEED_GITHUB_SUBJECT);
    }
  });
});

describe('startEmulator faults and counts', () => {
  it('throttles the next call, then answers normally', async () => {
    emulator.faults.throttleNext(1);
    expect(await failureOf(assume())).toEqual({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    expect((await assume()).Credentials).toBeDefined();
    expect(emulator.calls('AssumeRole')).toBe(2);
  });

  it('is retried through by the SDK when throttled', async () => {
    emulator.faults.throttleNext(2, 'AssumeRole');
    const out = await stsClient(DEVELOPER, { maxAttempts: 3 }).send(new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'alice' }));
    expect(out.$metadata.attempts).toBe(3);
    expect(emulator.calls('AssumeRole')).toBe(3);
  });

  it.each<[number | undefined, { name: string; status: number }]>([
    [undefined, { name: 'InternalFailure', status: 500 }],
    [503, { name: 'ServiceUnavailable', status: 503 }],
  ])('fails with HTTP %s', async (status, expected) => {
    emulator.faults.failNext(1, status);
    expect(await failureOf(assume())).toMatchObject(expected);
    expect((await assume()).Credentials).toBeDefined();
  });

  it('only hits the action a fault names', async () => {
    emulator.faults.throttleNext(1, 'AssumeRole');
    expect((await stsClient().send(new GetCallerIdentityCommand({}))).Arn).toBe(SEED_DEVELOPER.arn);
    expect((await failureOf(assume())).name).toBe('Throttling');
  });

  it('hangs a call until the client gives up', async () => {
    emulator.faults.hangNext(1);
    const impatient = stsClient(DEVELOPER, { requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }) });
    const failure = await failureOf(impatient.send(new GetCallerIdentityCommand({})));
    expect(failure.name).toBe('TimeoutError');
    // The next call is answered; it is sent without the 300 ms limit, which a loaded machine can
    // exceed on an ordinary call (it then timed out, and its late answer leaked into the next test).
    expect((await stsClient(DEVELOPER).send(new GetCallerIdentityCommand({}))).Arn).toBe(SEED_DEVELOPER.arn);
    expect(emulator.callLog().map((e) => e.result)).toEqual(['hang', 'ok']);
  });

  it('sends the start of an answer and then cuts the connection, or falls silent', async () => {
    emulator.faults.cutNext(1);
    emulator.faults.stallNext(1);
    const cut = await partialAnswer(emulator.url);
    expect(cut.received).toBeGreaterThan(0);
    expect(cut).toMatchObject({ status: 200, promised: 2 * cut.received, ended: 'closed' });
    const stalled = await partialAnswer(emulator.url, 300);
    expect(stalled).toMatchObject({ status: 200, promised: 2 * stalled.received, ended: 'silent' });
    expect(emulator.callLog().map((e) => e.result)).toEqual(['cut', 'stall']);
  });

  it('logs each call with what was asked and how it ended', async () => {
    await assume({ DurationSeconds: 1800, ExternalId: 'ext-1', SourceIdentity: 'alice', Tags: [{ Key: 'unit', Value: 'dev/vpc' }] });
    await failureOf(assume({ RoleSessionName: 'a' }));
    expect(emulator.callLog()).toEqual([
      {
        action: 'AssumeRole',
        at: expect.any(Number),
        roleArn: DEV_ROLE,
        sessionName: 'alice',
        durationSeconds: 1800,
        externalId: 'ext-1',
        sourceIdentity: 'alice',
        tags: { unit: 'dev/vpc' },
        callerArn: SEED_DEVELOPER.arn,
        result: 'ok',
      },
      {
        action: 'AssumeRole',
        at: expect.any(Number),
        roleArn: DEV_ROLE,
        sessionName: 'a',
        callerArn: SEED_DEVELOPER.arn,
        result: 'ValidationError',
      },
    ]);
    expect([emulator.calls(), emulator.calls('AssumeRole'), emulator.calls('GetCallerIdentity')]).toEqual([2, 2, 0]);
    emulator.resetCalls();
    expect(emulator.calls()).toBe(0);
  });
});

describe('startEmulator extra services', () => {
  it('gives them the same counting and faults, in their JSON protocol', async () => {
    await withEmulator(
      {
        services: [
          (ctx) => ({
            name: 'echo',
            async handle(req) {
              if (req.path !== '/echo') return undefined;
              return (await ctx.begin('Echo', 'json')) ?? { status: 200, body: JSON.stringify({ now: ctx.now() }) };
            },
          }),
        ],
      },
      async (own) => {
        own.faults.throttleNext(1, 'Echo');
        const throttled = await fetch(`${own.url}/echo`);
        expect([throttled.status, throttled.headers.get('x-amzn-errortype'), await throttled.json()]).toEqual([
          429,
          'TooManyRequestsException',
          { message: 'Rate exceeded' },
        ]);
        expect((await fetch(`${own.url}/echo`)).status).toBe(200);
        expect(own.calls('Echo')).toBe(2);
        expect(own.services.map((s) => s.name)).toEqual(['echo']);
      },
    );
  });
});

describe('startEmulator control API', () => {
  async function post(on: Emulator, path: string, body: unknown): Promise<Response> {
    return fetch(`${on.url}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  it('queues faults, reports calls and resets them', async () => {
    await withEmulator({}, async (own) => {
      expect((await post(own, 'faults', { throttle: 1, action: 'AssumeRole' })).status).toBe(200);
      expect((await failureOf(assume({}, DEVELOPER, own))).name).toBe('Throttling');
      const calls = (await (await fetch(`${own.url}/_emulator/calls`)).json()) as { counts: Record<string, number>; log: unknown[] };
      expect(calls).toEqual({ counts: { AssumeRole: 1 }, log: [expect.objectContaining({ action: 'AssumeRole', result: 'Throttling' })] });
      await post(own, 'reset', {});
      expect(own.calls()).toBe(0);
    });
  });

  it('revokes trust and moves the clock', async () => {
    await withEmulator({}, async (own) => {
      const session = keysOf((await assume({ DurationSeconds: 900 }, DEVELOPER, own)).Credentials);
      expect((await post(own, 'roles/trust', { arn: DEV_ROLE, principals: [] })).status).toBe(200);
      expect(await failureOf(assume({}, DEVELOPER, own))).toEqual(denied(SEED_DEVELOPER.arn, 'sts:AssumeRole', DEV_ROLE));
      await post(own, 'clock', { advanceSeconds: 900 });
      expect((await failureOf(stsClient(session, {}, own).send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
    });
  });

  it('issues web identity tokens for other processes', async () => {
    const response = await post(emulator, 'token', { sub: SEED_GITHUB_SUBJECT });
    const { token } = (await response.json()) as { token: string };
    const out = await stsClient().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'ci', WebIdentityToken: token }));
    expect(out.SubjectFromWebIdentityToken).toBe(SEED_GITHUB_SUBJECT);
  });
});
