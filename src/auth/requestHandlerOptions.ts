import type { Agent, AgentOptions } from 'node:https';

import type { Environment } from '../resolve/types';
import { awsHttpsAgent } from './awsHttpsAgent';
import type { SdkLogger } from './toSdkLogger';

/** The options rolemap gives the AWS SDK's Node HTTP handler (STS, SSO portal, SSO OIDC). */
export interface RequestHandlerOptions {
  connectionTimeout: number;
  requestTimeout: number;
  socketTimeout: number;
  throwOnRequestTimeout: true;
  logger?: SdkLogger;
  httpsAgent?: Agent | AgentOptions;
}

/**
 * Timeouts for every request of an AWS SDK client: `connectionMs` to connect, `requestMs` for the
 * answer to start, and `requestMs` again of silence while it arrives. The SDK's request timeout
 * ends when the headers come in; without the socket timeout an answer that stops halfway (a
 * proxy, a dying connection) would hold the call until the overall deadline, a minute.
 * The SDK starts watching a socket timeout of 6 s or more only 3 s into the request.
 * With HTTPS_PROXY set in `env`, or AWS_CA_BUNDLE or the `ca_bundle` of `profile` (the call's
 * base profile, else the session's), the client goes through that proxy and trusts those
 * certificates (awsHttpsAgent).
 * @throws UsageError when a setting is unusable.
 */
export function requestHandlerOptions(env: Environment, connectionMs: number, requestMs: number, logger?: SdkLogger, profile?: string): RequestHandlerOptions {
  const httpsAgent = awsHttpsAgent(env, profile);
  return {
    connectionTimeout: connectionMs,
    requestTimeout: requestMs,
    socketTimeout: requestMs,
    throwOnRequestTimeout: true,
    ...(logger === undefined ? {} : { logger }),
    ...(httpsAgent === undefined ? {} : { httpsAgent }),
  };
}
