import type { MetadataBearer, MiddlewareStack } from '@aws-sdk/types';

import { MAX_RESPONSE_BYTES } from '../constants';


/**
 * The error a too-large answer becomes. Its name and $metadata make the usual error mapping
 * (toCredentialsError, toSsoCredentialsError) say what happened.
 */
export class ResponseTooLargeError extends Error {
  readonly $metadata: { httpStatusCode: number | undefined };

  constructor(readonly limitBytes: number, httpStatusCode: number | undefined) {
    super(`the answer is larger than ${Math.round(limitBytes / 1024)} KiB`);
    this.name = 'ResponseTooLargeError';
    this.$metadata = { httpStatusCode };
  }
}

function isReadable(body: unknown): body is AsyncIterable<Uint8Array> & { destroy?: () => void } {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** Reads `body` into memory, refusing it past `maxBytes`. */
async function collect(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, maxBytes: number, status: number | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy?.();
      throw new ResponseTooLargeError(maxBytes, status);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Caps the size of every answer a client reads, given the client's middlewareStack (STS, SSO, sso-oidc): a body over `maxBytes`
 * fails the call with ResponseTooLargeError instead of filling memory until Node aborts. Added
 * below the SDK's deserializer, so the body is counted as it arrives, before anything parses it.
 */
export function limitResponseSize<I extends object, O extends MetadataBearer>(stack: MiddlewareStack<I, O>, maxBytes = MAX_RESPONSE_BYTES): void {
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
      const status = response.statusCode;
      const declared = Number(response.headers?.['content-length'] ?? Number.NaN);
      if (declared > maxBytes) {
        if (isReadable(response.body)) response.body.destroy?.();
        throw new ResponseTooLargeError(maxBytes, status);
      }
      if (isReadable(response.body)) response.body = await collect(response.body, maxBytes, status);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'rolemapResponseSizeLimit' },
  );
}
