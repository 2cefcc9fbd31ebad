import type { Agent, AgentOptions } from 'node:https';

import type { Environment } from '../resolve/types';
import { readCaBundle } from './caBundle';
import { readHttpsProxy } from './httpsProxy';
import { ProxyTunnelAgent } from './proxyTunnelAgent';

/** What the AWS SDK's Node HTTP handler gives the agent it makes itself; a tunnelling agent gets the same. */
const SDK_AGENT_DEFAULTS: AgentOptions = { keepAlive: true, maxSockets: 50 };

/**
 * The `httpsAgent` of an AWS SDK client's request handler, from what the AWS CLI reads: through
 * HTTPS_PROXY's tunnel (httpsProxy) when it is set, trusting the certificates of AWS_CA_BUNDLE or
 * of `profile`'s `ca_bundle` (caBundle) when one is set; undefined when none is, for the SDK's own
 * agent. `profile` is the call's base profile; without one, the session's applies.
 * @throws UsageError when a setting is unusable.
 */
export function awsHttpsAgent(env: Environment, profile?: string): Agent | AgentOptions | undefined {
  const ca = readCaBundle(env, profile);
  const proxy = readHttpsProxy(env);
  const options: AgentOptions = ca === undefined ? {} : { ca };
  if (proxy !== undefined) return new ProxyTunnelAgent(proxy, { ...SDK_AGENT_DEFAULTS, ...options });
  return ca === undefined ? undefined : options;
}

/**
 * The `clientConfig` for the clients the AWS SDK's own credential providers build (a profile's
 * role, its SSO portal, a web identity token's STS): the same agent as rolemap's clients get.
 */
export function providerClientConfig(env: Environment, profile?: string): { requestHandler?: { httpsAgent: Agent | AgentOptions } } {
  const httpsAgent = awsHttpsAgent(env, profile);
  return httpsAgent === undefined ? {} : { requestHandler: { httpsAgent } };
}
