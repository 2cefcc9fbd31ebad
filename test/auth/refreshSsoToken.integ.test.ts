/**
 * refreshSsoToken when a grant fails. Unanswered: the refresh token may be spent, so it is not
 * sent again, by this process or by the others of the same wave, until the settle window has
 * passed. Turned away unprocessed (throttled, 503): sent again with backoff.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { refreshSsoToken } from '../../src/auth/sso/refreshSsoToken';
import { SSO_REFRESH_SETTLE_MS } from '../../src/constants';
import { CredentialsError } from '../../src/errors';
import { seedSsoToken } from '../cli/fixtures/seedSsoToken';
import { startSsoHarness, type SsoHarness } from './fixtures/ssoHarness';
import { SSO_REGION, SSO_START_URL } from './fixtures/ssoRequest';

let harness: SsoHarness;
let home: string;

beforeEach(async () => {
  harness = await startSsoHarness();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-refresh-timeout-'));
});

afterEach(async () => {
  await harness.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('refreshSsoToken after a grant that got no answer', () => {
  it('sends the grant once; the next caller of the wave fails at once without sending; after the window it is tried again', async () => {
    const file = path.join(home, 'token.json');
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
    harness.faults.hangNext(1, 'CreateToken');
    let skewMs = 0;
    const init = {
      path: file,
      sso: { startUrl: SSO_START_URL, region: SSO_REGION },
      env: harness.env(),
      now: () => Date.now() + skewMs,
      requestTimeoutMs: 300,
    };
    const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

    const first = await failure(refreshSsoToken(init));
    const second = await failure(refreshSsoToken(init));

    expect(first).toBeInstanceOf(CredentialsError);
    expect(first).toMatchObject({ kind: 'timeout', retryable: true });
    expect(second).toMatchObject({ kind: 'timeout', retryable: true, message: expect.stringContaining("another call's refresh just failed") });
    // The login's device-code grant and the one unanswered refresh grant.
    expect(harness.calls('CreateToken')).toBe(2);

    skewMs = SSO_REFRESH_SETTLE_MS + 1_000;
    const token = await refreshSsoToken(init);

    expect(token.expiresAtMs).toBeGreaterThan(Date.now());
    expect(harness.calls('CreateToken')).toBe(3);
  });
});

describe('refreshSsoToken after a grant the service did not process', () => {
  const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

  async function seedExpired(): Promise<string> {
    const file = path.join(home, 'token.json');
    await seedSsoToken({ url: harness.url, startUrl: SSO_START_URL, region: SSO_REGION, files: [file], expiresAtMs: Date.now() - 60_000 });
    return file;
  }

  function refreshInit(file: string, waits: number[]) {
    return {
      path: file,
      sso: { startUrl: SSO_START_URL, region: SSO_REGION },
      env: harness.env(),
      now: Date.now,
      retry: {
        sleep: async (ms: number) => {
          waits.push(ms);
        },
      },
    };
  }

  it.each([
    ['a 503 (ServiceUnavailableException)', () => harness.faults.failNext(1, 503, 'CreateToken')],
    ['throttling (HTTP 429)', () => harness.faults.throttleNext(1, 'CreateToken')],
  ])('sends the grant again after %s and refreshes with one more request', async (_what, inject) => {
    const file = await seedExpired();
    inject();
    const waits: number[] = [];

    const token = await refreshSsoToken(refreshInit(file, waits));

    expect(token.expiresAtMs).toBeGreaterThan(Date.now());
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ accessToken: token.accessToken });
    // The login's device-code grant, the refused refresh grant and the one that succeeded.
    expect(harness.calls('CreateToken')).toBe(3);
    expect(waits).toHaveLength(1);
  });

  it('does not send the grant again after a 500, which may come after the grant was processed', async () => {
    const file = await seedExpired();
    harness.faults.failNext(1, 500, 'CreateToken');
    const waits: number[] = [];

    const error = await failure(refreshSsoToken(refreshInit(file, waits)));

    expect(error).toMatchObject({ kind: 'server', retryable: true });
    expect(harness.calls('CreateToken')).toBe(2);
    expect(waits).toEqual([]);
  });
});
