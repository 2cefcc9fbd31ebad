import { getRandomValues, randomUUID } from 'node:crypto';

/**
 * Stands in for the global `crypto` (Web Crypto) inside the AWS SDK libs (scripts/build.mjs
 * injects it). The SDK reads the global only to take crypto.randomUUID for its invocation ids,
 * and the first read of Node's global `crypto` loads its Web Crypto modules, which costs a cache
 * miss a noticeable share of a millisecond; node:crypto, which the libs load anyway, has the same
 * randomUUID (a version 4 UUID) and getRandomValues.
 */
const nodeCrypto = { getRandomValues, randomUUID };

export { nodeCrypto as crypto };
