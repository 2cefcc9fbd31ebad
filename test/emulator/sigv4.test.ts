import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { verifySigV4, type SigV4Verdict } from './sigv4';
import type { EmulatorRequest } from './types';

const KEY = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

/** The SDK's signer needs a hash class; node's crypto provides the algorithm. */
class Sha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(this.secret as Uint8Array));
  }
}

/** Signs like the AWS SDK does, then turns the request into what the emulator's server sees. */
async function signed(init: { path?: string; query?: Record<string, string>; body?: string; region?: string; service?: string; at?: number }): Promise<EmulatorRequest> {
  const signer = new SignatureV4({ credentials: KEY, region: init.region ?? 'us-east-1', service: init.service ?? 'sts', sha256: Sha256 });
  const body = init.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: init.path ?? '/',
      query: init.query ?? {},
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    },
    { signingDate: new Date(init.at ?? NOW) },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return {
    method: 'POST',
    path: init.path ?? '/',
    query: new URLSearchParams(init.query ?? {}),
    headers,
    body: Buffer.from(body),
  };
}

function verify(req: EmulatorRequest, wallClock = NOW): SigV4Verdict {
  return verifySigV4(req, {
    service: 'sts',
    wallClock: () => wallClock,
    secretFor: (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
  });
}

const MISMATCH = {
  status: 'rejected',
  httpStatus: 403,
  code: 'SignatureDoesNotMatch',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};

describe('verifySigV4', () => {
  it.each<[string, Parameters<typeof signed>[0]]>([
    ['a plain STS call', {}],
    ['another region', { region: 'eu-central-1' }],
    ['a query string that needs encoding', { query: { b: 'x y', a: 'z/1', 'c*': "it's" } }],
    ['a nested path', { path: '/federation/credentials' }],
  ])('accepts %s signed by the SDK signer', async (_, init) => {
    expect(verify(await signed(init))).toEqual({ status: 'verified', accessKeyId: KEY.accessKeyId, region: init.region ?? 'us-east-1' });
  });

  it.each<[string, (req: EmulatorRequest) => EmulatorRequest]>([
    ['a changed body', (req) => ({ ...req, body: Buffer.from('Action=AssumeRole&Version=2011-06-15') })],
    ['a changed signed header', (req) => ({ ...req, headers: { ...req.headers, host: 'evil.example.com' } })],
    ['a changed query', (req) => ({ ...req, query: new URLSearchParams({ extra: '1' }) })],
    ['a changed method', (req) => ({ ...req, method: 'GET' })],
  ])('refuses %s', async (_, tamper) => {
    expect(verify(tamper(await signed({})))).toEqual(MISMATCH);
  });

  it.each<[string, number, string]>([
    ['16 minutes old', NOW + 16 * 60_000, 'Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z (20240501T121600Z - 15 min.)'],
    ['16 minutes ahead', NOW - 16 * 60_000, 'Signature not yet current: 20240501T120000Z is still later than 20240501T115900Z (20240501T114400Z + 15 min.)'],
  ])('refuses a signature %s', async (_, wallClock, message) => {
    expect(verify(await signed({}), wallClock)).toEqual({ status: 'rejected', httpStatus: 403, code: 'SignatureDoesNotMatch', message });
  });

  it('accepts a signature 14 minutes old', async () => {
    expect(verify(await signed({}), NOW + 14 * 60_000).status).toBe('verified');
  });

  it('refuses a signature scoped to another service', async () => {
    expect(verify(await signed({ service: 'sso' }))).toEqual({
      status: 'rejected',
      httpStatus: 403,
      code: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to correct service: 'sts'.",
    });
  });

  it('refuses an unknown access key before checking the signature', async () => {
    const req = await signed({});
    const authorization = String(req.headers['authorization']).replace(KEY.accessKeyId, 'AKIAUNKNOWN000000000');
    expect(verify({ ...req, headers: { ...req.headers, authorization } })).toEqual({
      status: 'rejected',
      httpStatus: 403,
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['no Authorization header', {}, 'MissingAuthenticationToken'],
    ['another algorithm', { authorization: 'AWS3 Credential=x' }, 'IncompleteSignature'],
    ['no signature', { authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20240501/us-east-1/sts/aws4_request, SignedHeaders=host` }, 'IncompleteSignature'],
  ])('refuses a request with %s', async (_, headers, code) => {
    const req = await signed({});
    const { authorization: _dropped, ...rest } = req.headers;
    expect(verify({ ...req, headers: { ...rest, ...headers } })).toMatchObject({ status: 'rejected', code });
  });
});
