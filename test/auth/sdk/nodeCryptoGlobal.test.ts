import { crypto } from '../../../src/auth/sdk/nodeCryptoGlobal';

describe("the SDK libs' stand-in for the global crypto", () => {
  it('gives version 4 UUIDs, a new one each call, as the Web Crypto randomUUID does', () => {
    const first = crypto.randomUUID();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(crypto.randomUUID()).not.toBe(first);
  });

  it('fills a typed array with random bytes, called as the SDK calls it', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    expect(bytes).toHaveLength(32);
    expect(new Set(bytes).size).toBeGreaterThan(8);
  });
});
