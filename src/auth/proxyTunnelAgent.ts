import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';

import { PROXY_REFUSED_CODE } from './classifySdkError';
import { bypassesProxy, type HttpsProxy } from './httpsProxy';

/**
 * An HTTPS agent that reaches each host through the proxy's CONNECT tunnel (unless NO_PROXY
 * exempts it), then speaks TLS to the host itself over the tunnel: the proxy sees a host name and
 * encrypted bytes, never a request or a credential. Every option of the agent (`ca` among them)
 * applies to the TLS with the host. A refusal is an error with code PROXY_REFUSED_CODE and the
 * proxy's status; nothing about the proxy's URL but its host and port is ever in an error.
 */
export class ProxyTunnelAgent extends https.Agent {
  private readonly proxy: HttpsProxy;

  constructor(proxy: HttpsProxy, options: https.AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 443);
    if (bypassesProxy(host, port, this.proxy.noProxy)) return super.createConnection(options, callback);
    // Node's agents always pass one; without it there would be no way to hand over the tunnel,
    // and going direct instead could bypass a proxy that is the only way out.
    if (callback === undefined) throw new Error('ProxyTunnelAgent needs the callback form of createConnection');
    const { url, authorization } = this.proxy;
    const secure = url.protocol === 'https:';
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const request = (secure ? https : http).request({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      method: 'CONNECT',
      path: target,
      setHost: false,
      agent: false,
      headers: { host: target, ...(authorization === undefined ? {} : { 'proxy-authorization': authorization }) },
      ...(secure ? { servername: url.hostname } : {}),
    });
    let settled = false;
    const settle = (error: Error | null, stream?: Duplex): void => {
      if (settled) return;
      settled = true;
      // The callback's stream may be absent on an error; Node's agent then only reads the error.
      callback(error, stream as Duplex);
    };
    request.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        const status = response.statusCode ?? 0;
        settle(Object.assign(new Error(`The proxy ${url.host} refused a tunnel to ${target} (HTTP ${status}).`), { code: PROXY_REFUSED_CODE, proxyStatus: status }));
        return;
      }
      settle(null, super.createConnection({ ...options, socket } as https.RequestOptions) ?? undefined);
    });
    request.once('error', (error) => settle(error));
    request.end();
    return undefined;
  }
}
