import type { STSClient, STSClientConfig } from '@aws-sdk/client-sts';
import { STS_CONNECTION_TIMEOUT_MS, STS_REQUEST_TIMEOUT_MS } from '../constants';
import type { Logger } from '../log/logger';
import type { Environment } from '../resolve/types';
import { limitResponseSize } from './limitResponseSize';
import { requestHandlerOptions } from './requestHandlerOptions';
import { toSdkLogger } from './toSdkLogger';

export interface CreateStsClientInit {
  /** The loaded @aws-sdk/client-sts module (see loadSts). */
  sts: typeof import('./sdk/clientSts');
  region: string;
  logger: Logger;
  /** Static base credentials or a provider. */
  credentials: NonNullable<STSClientConfig['credentials']>;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** An endpoint to use instead of the SDK's own choice (see resolveStsEndpoint). */
  endpoint?: string | undefined;
  /** Read for AWS_CA_BUNDLE; defaults to process.env, where the SDK reads the rest of its settings. */
  env?: Environment;
  /** The profile the call's base credentials come from, whose `ca_bundle` applies; default the session's. */
  profile?: string;
}

/**
 * An STS client that makes exactly one attempt per call (withRetries is the only retry loop),
 * turns a hung connection, request or answer into a TimeoutError (requestHandlerOptions), and
 * refuses an answer too large to be STS's. The endpoint is `init.endpoint`, else the SDK's own
 * choice, which honours AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL.
 */
export function createStsClient(init: CreateStsClientInit): STSClient {
  const client = new init.sts.STSClient({
    region: init.region,
    credentials: init.credentials,
    maxAttempts: 1,
    ...(init.endpoint === undefined ? {} : { endpoint: init.endpoint }),
    requestHandler: requestHandlerOptions(
      init.env ?? process.env,
      init.connectionTimeoutMs ?? STS_CONNECTION_TIMEOUT_MS,
      init.requestTimeoutMs ?? STS_REQUEST_TIMEOUT_MS,
      toSdkLogger(init.logger),
      init.profile,
    ),
  });
  limitResponseSize(client.middlewareStack);
  return client;
}
