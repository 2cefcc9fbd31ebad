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

/** What the SDK's Node handler answers with: an http.IncomingMessage. */
type Body = NodeJS.ReadableStream & { destroy?: () => void; destroyed?: boolean };

function isReadable(body: unknown): body is Body {
  return typeof body === 'object' && body !== null && typeof (body as { on?: unknown }).on === 'function';
}

/**
 * Reads `body` into memory, refusing it past `maxBytes`, or at once when its Content-Length
 * (`contentLength`, the header's value) declares more. Through 'data' and 'end' rather than
 * `for await`: Node's async iterator over a stream compiles a good deal of its stream internals
 * on first use: 2.7 M instructions of a cache miss (216 M), for one small answer.
 * A connection that closes before the end rejects, as a reset does with `for await`.
 */
export function readBoundedBody(body: Body, maxBytes: number, status: number | undefined, contentLength: string | undefined): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (Number(contentLength ?? Number.NaN) > maxBytes) {
      body.destroy?.();
      reject(new ResponseTooLargeError(maxBytes, status));
      return;
    }
    const cutOff = (): Error => Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' });
    // Nothing was read yet, so a stream already destroyed was cut off before this saw it.
    if (body.destroyed === true) {
      reject(cutOff());
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    body.on('data', (chunk: Uint8Array) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        body.destroy?.();
        reject(new ResponseTooLargeError(maxBytes, status));
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, total)));
    body.on('error', reject);
    // After 'end' or 'error' this changes nothing: a promise settles once.
    body.on('close', () => reject(cutOff()));
  });
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
      if (isReadable(response.body)) response.body = await readBoundedBody(response.body, maxBytes, response.statusCode, response.headers?.['content-length']);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'rolemapResponseSizeLimit' },
  );
}
